/** Generic CSV exports: streamed with csv-parse, one record per row. */
import { CsvError, parse } from 'csv-parse';
import { UserError } from '../../lib/errors.js';
import type { IngestAdapter, InputFile, ParsedItem } from '../types.js';
import { type CsvField, mapColumns } from './columns.js';
import { type CsvRowOptions, parseCsvRow } from './parse.js';

export interface CsvOptions extends CsvRowOptions {
  map?: Partial<Record<CsvField, string>>;
  delimiter?: string;
}

async function* read(input: InputFile, options: CsvOptions): AsyncIterable<ParsedItem> {
  const parser = input.open().pipe(
    parse({
      bom: true,
      skip_empty_lines: true,
      relax_column_count: true,
      info: true,
      delimiter: options.delimiter ?? ',',
    }),
  );
  let header: string[] | undefined;
  let map: ReturnType<typeof mapColumns> | undefined;
  try {
    for await (const item of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      const cells = item.record;
      const line = item.info.lines;
      if (!header || !map) {
        header = cells;
        map = mapColumns(header, options.map ?? {}, input.name);
        continue;
      }
      if (cells.length !== header.length) {
        yield { issue: { file: input.name, line, message: `expected ${header.length} columns as in the header, found ${cells.length}` } };
        continue;
      }
      const r = parseCsvRow(cells, header, map, options);
      if ('record' in r) yield { record: r.record, line };
      else yield { issue: { file: input.name, line, ...r.issue } };
    }
  } catch (err) {
    if (err instanceof UserError) throw err;
    if (err instanceof CsvError) {
      const lines = (err as CsvError & { lines?: number }).lines;
      throw new UserError(`${input.name}:${lines ?? '?'}: not valid CSV (${err.message}).`, {
        hint: 'Check quoting on that line; nothing from this file was stored.',
      });
    }
    throw err;
  }
  if (!header) throw new UserError(`${input.name}: the file is empty (no header row).`, { hint: 'Export the data again with a header row.' });
}

export const csvAdapter: IngestAdapter<CsvOptions> = {
  id: 'csv',
  description: 'CSV exports with a header row (column names recognized, --map to override)',
  read,
};
