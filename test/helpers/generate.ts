/** Generated inputs for the input-layer tests: N distinct records of each source, as the source writes them. */
import { readFileSync } from 'node:fs';
import { fixture } from './cli.js';

const firstLine = (...path: string[]): string => readFileSync(fixture(...path), 'utf8').split('\n')[0] ?? '';
const csvParts = (...path: string[]): [header: string, row: string] => {
  const [header = '', row = ''] = readFileSync(fixture(...path), 'utf8').split('\n');
  return [header, row];
};

/** Repeats `make(i)` lines until the text reaches `bytes`; returns it with the number of lines made. */
function grow(head: string, bytes: number, make: (i: number) => string): { text: string; records: number } {
  const parts = [head];
  let size = head.length;
  let i = 0;
  while (size < bytes) {
    const line = `${make(i)}\n`;
    parts.push(line);
    size += line.length;
    i++;
  }
  return { text: parts.join(''), records: i };
}

type Gen = (bytes: number) => { text: string; records: number };

const litellmLine = JSON.parse(firstLine('litellm', 'spend-logs.jsonl')) as Record<string, unknown>;
const bedrockLine = JSON.parse(readFileSync(fixture('bedrock-log', 'bad-first-line.jsonl'), 'utf8').split('\n')[1] ?? '') as Record<
  string,
  unknown
>;
const claudeLine = JSON.parse(
  firstLine('claude-code', 'projects', '-home-dev-shop', '3f1c2a9e-0b1d-4c55-9e1f-2f6f5d2b7a10', 'subagents', 'agent-7.jsonl'),
) as { message: Record<string, unknown> } & Record<string, unknown>;

/** One object per source, each record its own id; `bytes` of JSON Lines (or CSV) or a little more. */
export const generate: Record<'litellm' | 'bedrock-log' | 'claude-code' | 'csv' | 'cur', Gen> = {
  litellm: (bytes) => grow('', bytes, (i) => JSON.stringify({ ...litellmLine, request_id: `chatcmpl-gen-${i}` })),
  'bedrock-log': (bytes) => grow('', bytes, (i) => JSON.stringify({ ...bedrockLine, requestId: `gen-${i}` })),
  'claude-code': (bytes) =>
    grow('', bytes, (i) =>
      JSON.stringify({ ...claudeLine, uuid: `u${i}`, requestId: `req_gen_${i}`, message: { ...claudeLine.message, id: `msg_gen_${i}` } }),
    ),
  csv: (bytes) => {
    const [header, row] = csvParts('csv', 'basic.csv');
    // A long route keeps the row count (and the test's time) down.
    return grow(`${header}\n`, bytes, (i) => row.replace(/,\/answer,/, `,/answer/${'x'.repeat(200)},`).replace(/,r1,/, `,gen-${i},`));
  },
  cur: (bytes) => {
    const [header, row] = csvParts('cur', 'cur2.csv');
    return grow(`${header}\n`, bytes, (i) => row.replace(/^c2-0001,/, `gen-${i},`));
  },
};

/** The LiteLLM records of `generate.litellm` as one JSON document: an array, or the /spend/logs/v2 envelope. */
export function litellmDocument(records: number, shape: 'array' | 'envelope', pretty = false): string {
  const items = Array.from({ length: records }, (_, i) => ({ ...litellmLine, request_id: `chatcmpl-gen-${i}` }));
  const doc = shape === 'array' ? items : { data: items, total: records, page: 1, page_size: records, total_pages: 1 };
  return pretty ? JSON.stringify(doc, null, 2) : JSON.stringify(doc);
}
