/** Generic CSV exports: streamed with csv-parse, one record per row. */
import { CsvError, type InfoRecord, parse } from 'csv-parse';
import { UserError } from '../../lib/errors.js';
import type { IngestAdapter, InputFile, ParsedItem } from '../types.js';
import { type CsvField, mapColumns } from './columns.js';
import { type CsvRowOptions, parseCsvRow } from './parse.js';

export interface CsvOptions extends CsvRowOptions {
  map?: Partial<Record<CsvField, string>>;
  delimiter?: string;
}

async function* read(input: InputFile, options: CsvOptions): AsyncIterable<ParsedItem[]> {
  // The parser is driven synchronously (write a chunk, drain its records) so records come out in
  // batches per chunk instead of one promise per record.
  // on_record returns a [line, cells] pair: cheaper than `info: true`, which builds an object per record.
  const parser = parse({
    bom: true,
    skip_empty_lines: true,
    relax_column_count: true,
    delimiter: options.delimiter ?? ',',
    on_record: (record: string[], context: InfoRecord) => [context.lines, record] as unknown as string[],
  });
  let failure: unknown;
  parser.on('error', (err) => {
    failure ??= err;
  });
  let header: string[] | undefined;
  let map: ReturnType<typeof mapColumns> | undefined;
  const drain = (): ParsedItem[] => {
    const out: ParsedItem[] = [];
    for (let item = parser.read(); item !== null; item = parser.read()) {
      const [line, cells] = item as [number, string[]];
      if (!header || !map) {
        header = cells;
        map = mapColumns(header, options.map ?? {}, input.name);
        continue;
      }
      if (cells.length !== header.length) {
        out.push({
          issue: { file: input.name, line, message: `expected ${header.length} columns as in the header, found ${cells.length}` },
        });
        continue;
      }
      const r = parseCsvRow(cells, header, map, options);
      out.push('record' in r ? { record: r.record, line } : { issue: { file: input.name, line, ...r.issue } });
    }
    return out;
  };
  const check = (): void => {
    if (failure === undefined) return;
    if (failure instanceof CsvError) {
      const lines = (failure as CsvError & { lines?: number }).lines;
      throw new UserError(`${input.name}:${lines ?? '?'}: not valid CSV (${failure.message}).`, {
        hint: 'Check quoting on that line; nothing from this file was stored.',
      });
    }
    throw failure;
  };
  for await (const chunk of input.open()) {
    parser.write(chunk);
    const batch = drain();
    check();
    if (batch.length > 0) yield batch;
  }
  parser.end();
  const last = drain();
  await new Promise((resolve) => setImmediate(resolve)); // let a final parse error surface
  check();
  if (last.length > 0) yield last;
  if (!header)
    throw new UserError(`${input.name}: the file is empty (no header row).`, { hint: 'Export the data again with a header row.' });
}

export const csvAdapter: IngestAdapter<CsvOptions> = {
  id: 'csv',
  description: 'CSV exports with a header row (column names recognized, --map to override)',
  read,
};
