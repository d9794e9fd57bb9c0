/** Generic CSV exports: streamed with csv-parse, one record per row, columns recognized by name. */
import { UserError } from '../../lib/errors.js';
import type { IngestAdapter, InputFile, ParsedItem } from '../types.js';
import { type CsvField, mapColumns } from './columns.js';
import { type CsvRowOptions, parseCsvRow } from './parse.js';
import { readCsvRows } from './rows.js';

export interface CsvOptions extends CsvRowOptions {
  map?: Partial<Record<CsvField, string>>;
  delimiter?: string;
}

async function* read(input: InputFile, options: CsvOptions): AsyncIterable<ParsedItem[]> {
  let header: string[] | undefined;
  let map: ReturnType<typeof mapColumns> | undefined;
  for await (const rows of readCsvRows(input, options.delimiter)) {
    const out: ParsedItem[] = [];
    for (const [line, cells] of rows) {
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
    if (out.length > 0) yield out;
  }
  if (!header)
    throw new UserError(`${input.name}: the file is empty (no header row).`, { hint: 'Export the data again with a header row.' });
}

export const csvAdapter: IngestAdapter<CsvOptions> = {
  id: 'csv',
  description: 'CSV exports with a header row (column names recognized, --map to override)',
  read,
};
