import { createRequire } from 'node:module';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { json, sandbox } from '../helpers/cli.js';
import { generate } from '../helpers/generate.js';

let sb: ReturnType<typeof sandbox>;
beforeEach(() => {
  sb = sandbox();
});
afterEach(() => sb.dispose());

type Summary = { files: { file: string; source: string }[]; totals: Record<string, number> };

/** Rows stored (billing rows count no requests, so rows rather than requests). */
function storedRows(path: string): number {
  const Database = createRequire(import.meta.url)('better-sqlite3') as typeof import('better-sqlite3');
  const db = new Database(path, { readonly: true });
  try {
    return Number(db.prepare('SELECT COUNT(*) FROM usage').pluck().get());
  } finally {
    db.close();
  }
}

const MB = 1024 * 1024;

// Past the 16 KB (detection) and 64 KB (LiteLLM's JSON-or-CSV probe) heads, stdin used to end mid-replay:
// exit 13 (an unsettled top-level await), no output, nothing stored.
describe('10 MB through a pipe on stdin', () => {
  it.each([
    [['ingest', 'csv', '-'], 'csv', generate.csv],
    [['ingest', 'litellm', '-'], 'litellm', generate.litellm],
    [['ingest', 'bedrock-log', '-'], 'bedrock-log', generate['bedrock-log']],
    [['ingest', 'claude-code', '-'], 'claude-code', generate['claude-code']],
    [['ingest', 'csv', '--preset', 'cur', '-'], 'cur', generate.cur],
    [['ingest', '-'], 'litellm', generate.litellm],
    [['ingest', '-'], 'csv', generate.csv],
  ] as const)('llmcost %j stores every %s record', (args, source, gen) => {
    const { text, records } = gen(10 * MB);
    const r = sb.run([...args, '--json'], { input: text });
    expect({ status: r.status, stderr: r.stderr }).toEqual({
      status: 0,
      stderr: args.length === 2 ? `-: detected ${source}\n` : '',
    });
    const s = json<Summary>(r);
    expect(s.files.map((f) => [f.file, f.source])).toEqual([['-', source]]);
    expect(s.totals).toEqual({ read: records, inserted: records, duplicate: 0, rejected: 0, unpriced: 0 });
    expect(storedRows(sb.db)).toBe(records);
  });
});
