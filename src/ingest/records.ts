/** Turns JSON / CSV-object records into parsed items with one record parser per source. */
import { UserError } from '../lib/errors.js';
import { assertUnique } from './csv/columns.js';
import { readCsvRows } from './csv/rows.js';
import { FieldError, isObj, type Obj } from './fields.js';
import { readJsonRecords } from './lines.js';
import type { InputFile, ParsedItem, ParseIssue, UsageRecord } from './types.js';

export type RecordParser = (o: Obj) => UsageRecord | undefined;

function issue(input: InputFile, line: number, item: number | undefined, message: string, field?: string): { issue: ParseIssue } {
  const i: ParseIssue = { file: input.name, line, message };
  if (item !== undefined) i.item = item;
  if (field !== undefined) {
    i.field = field;
    i.fieldKind = 'field';
  }
  return { issue: i };
}

/** Applies `parse` to one value; undefined from `parse` means "not a usage line" (skipped, not an error). */
export function parseValue(
  input: InputFile,
  line: number,
  item: number | undefined,
  value: unknown,
  parse: RecordParser,
): ParsedItem | undefined {
  if (!isObj(value)) return issue(input, line, item, `expected a JSON object, got ${Array.isArray(value) ? 'an array' : typeof value}`);
  try {
    const record = parse(value);
    return record ? { record, line } : undefined;
  } catch (err) {
    if (err instanceof FieldError) return issue(input, line, item, err.message, err.field);
    throw err;
  }
}

/** JSON Lines or a JSON document (object, array, {"data": [...]}). */
export async function* jsonItems(input: InputFile, parse: RecordParser): AsyncIterable<ParsedItem[]> {
  let seen = false;
  for await (const batch of readJsonRecords(input)) {
    const out: ParsedItem[] = [];
    for (const j of batch) {
      seen = true;
      if ('error' in j) out.push(issue(input, j.line, j.item, j.error));
      else {
        const p = parseValue(input, j.line, j.item, j.value, parse);
        if (p) out.push(p);
      }
    }
    if (out.length > 0) yield out;
  }
  if (!seen) throw new UserError(`${input.name}: the file is empty.`, { hint: 'Nothing to ingest; check the export.' });
}

/** A CSV export whose header names the record's fields (e.g. `psql \copy … CSV HEADER`). */
export async function* csvObjectItems(input: InputFile, parse: RecordParser): AsyncIterable<ParsedItem[]> {
  let header: string[] | undefined;
  for await (const rows of readCsvRows(input)) {
    const out: ParsedItem[] = [];
    for (const [line, cells] of rows) {
      if (!header) {
        header = cells.map((h) => h.trim());
        for (let i = 0; i < header.length; i++) if (header[i] !== '') assertUnique(header, header, i, input.name);
        continue;
      }
      const o: Obj = {};
      header.forEach((h, i) => {
        o[h] = cells[i];
      });
      const p = parseValue(input, line, undefined, o, parse);
      if (p) out.push(p);
    }
    if (out.length > 0) yield out;
  }
  if (!header) throw new UserError(`${input.name}: the file is empty.`, { hint: 'Nothing to ingest; check the export.' });
}
