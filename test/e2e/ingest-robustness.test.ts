import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixture, json, sandbox } from '../helpers/cli.js';

let sb: ReturnType<typeof sandbox>;
beforeEach(() => {
  sb = sandbox();
});
afterEach(() => sb.dispose());

type FileRow = {
  file: string;
  source: string;
  read: number;
  inserted: number;
  rejected: number;
  skipped?: string;
  reason?: string;
  error?: string;
};
type Summary = { files: FileRow[]; totals: Record<string, number>; issues: { file: string; line: number; message: string }[] };
const requests = (): number => json<{ totals: { requests: number } }>(sb.run(['report', '--json'])).totals.requests;

describe('a JSON Lines file whose first line is bad', () => {
  const litellm = fixture('litellm', 'bad-first-line.jsonl');
  const bedrock = fixture('bedrock-log', 'bad-first-line.jsonl');

  it.each([
    ['litellm', litellm],
    ['bedrock-log', bedrock],
  ])('%s --skip-invalid drops that line and stores the rest', (source, file) => {
    const r = sb.run(['ingest', source, file, '--skip-invalid', '--json']);
    expect(r.status).toBe(0);
    const s = json<Summary>(r);
    expect(s.totals).toEqual({ read: 3, inserted: 2, duplicate: 0, rejected: 1, unpriced: 0 });
    expect(s.issues).toEqual([{ file, line: 1, message: expect.stringMatching(/^not valid JSON \(/) }]);
    expect(r.stderr).toMatch(new RegExp(`^${file}:1: not valid JSON`, 'm'));
    expect(requests()).toBe(2);
  });

  it('is detected by content (the first line aside) and ingested line by line', () => {
    const r = sb.run(['ingest', litellm, bedrock, '--skip-invalid', '--json']);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain(`${litellm}: detected litellm`);
    expect(r.stderr).toContain(`${bedrock}: detected bedrock-log`);
    expect(json<Summary>(r).files.map((f) => [f.source, f.read, f.inserted, f.rejected])).toEqual([
      ['litellm', 3, 2, 1],
      ['bedrock-log', 3, 2, 1],
    ]);
    const bySource = json<{ rows: { group: { source: string }; requests: number; costNanos: number }[] }>(
      sb.run(['report', '--by', 'source', '--json']),
    ).rows.map((x) => [x.group.source, x.requests, x.costNanos]);
    // litellm: the reported spend $0.0045 + $0.00054; bedrock: Nova Lite 1,000 in / 200 out ($0.06 / $0.24 per 1M)
    // and Claude 3 Haiku 2,000 in / 100 out ($0.25 / $1.25 per 1M).
    expect(bySource).toEqual([
      ['litellm', 2, 5_040_000],
      ['bedrock-log', 2, 733_000],
    ]);
  });

  it('without --skip-invalid names the line and stores nothing from the file', () => {
    const r = sb.run(['ingest', 'litellm', litellm]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^${litellm}:1: not valid JSON`, 'm'));
    expect(r.stderr).toContain(`llmcost: ${litellm}: 1 of 3 lines could not be read.`);
    expect(requests()).toBe(0);
  });
});
