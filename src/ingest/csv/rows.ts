/** Streams CSV rows with csv-parse, in batches per input chunk, each with its line number. */
import { CsvError, Parser } from 'csv-parse';
import { UserError } from '../../lib/errors.js';
import type { InputFile } from '../types.js';

export type CsvRow = [line: number, cells: string[]];

/**
 * Issue 12 (value sizes): longest CSV record read, 16 MB (a LiteLLM spend-log row with its messages fits). Without a
 * cap, a 50 MB line with no newline took minutes: csv-parse rescans the open record for a newline on every chunk.
 */
const MAX_CSV_RECORD_BYTES = 16 * 1024 * 1024;

/**
 * csv-parse's stream, its records taken as they are pushed, each with the parser's line count at that moment (the
 * line `on_record`'s context would name): no context objects per record (`on_record` and `info: true` build two,
 * 5% of CSV ingest) and no trip through the readable side of the stream.
 */
class RowParser extends Parser {
  rows: CsvRow[] = [];

  override push(record: unknown): boolean {
    if (record === null) return super.push(null);
    this.rows.push([this.info.lines, record as string[]]);
    return true;
  }
}

export async function* readCsvRows(input: InputFile, delimiter = ','): AsyncIterable<CsvRow[]> {
  // The parser is driven synchronously (write a chunk, take its records) so rows come out in batches per chunk
  // instead of one promise per row.
  const parser = new RowParser({
    bom: true,
    skip_empty_lines: true,
    relax_column_count: true,
    max_record_size: MAX_CSV_RECORD_BYTES,
    record_delimiter: ['\r\n', '\n', '\r'],
    delimiter,
  });
  let failure: unknown;
  parser.on('error', (err) => {
    failure ??= err;
  });
  const drain = (): CsvRow[] => {
    const out = parser.rows;
    parser.rows = [];
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
  await new Promise((resolve) => setImmediate(resolve)); // let the last record and a final parse error surface
  check();
  const last = drain();
  if (last.length > 0) yield last;
}
