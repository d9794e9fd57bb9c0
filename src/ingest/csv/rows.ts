/** Streams CSV rows with csv-parse, in batches per input chunk, each with its line number. */
import { CsvError, type InfoRecord, parse } from 'csv-parse';
import { UserError } from '../../lib/errors.js';
import type { InputFile } from '../types.js';

export type CsvRow = [line: number, cells: string[]];

/**
 * Issue 12 (value sizes): longest CSV record read, 16 MB (a LiteLLM spend-log row with its messages fits). Without a
 * cap, a 50 MB line with no newline took minutes: csv-parse rescans the open record for a newline on every chunk.
 */
const MAX_CSV_RECORD_BYTES = 16 * 1024 * 1024;

export async function* readCsvRows(input: InputFile, delimiter = ','): AsyncIterable<CsvRow[]> {
  // The parser is driven synchronously (write a chunk, drain its records) so rows come out in batches
  // per chunk instead of one promise per row. on_record returns [line, cells]: cheaper than `info: true`.
  const parser = parse({
    bom: true,
    skip_empty_lines: true,
    relax_column_count: true,
    max_record_size: MAX_CSV_RECORD_BYTES,
    record_delimiter: ['\r\n', '\n', '\r'],
    delimiter,
    on_record: (record: string[], context: InfoRecord) => [context.lines, record] as unknown as string[],
  });
  let failure: unknown;
  parser.on('error', (err) => {
    failure ??= err;
  });
  const drain = (): CsvRow[] => {
    const out: CsvRow[] = [];
    for (let row = parser.read(); row !== null; row = parser.read()) out.push(row as CsvRow);
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
}
