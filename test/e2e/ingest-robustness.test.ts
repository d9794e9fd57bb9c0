import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixture, json, sandbox, storedRequests } from '../helpers/cli.js';

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
const requests = (): number => storedRequests(sb.db);
const name = (f: FileRow): string => f.file.split('/').pop() ?? '';

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
    expect(r.stderr).toContain(`llmcost: ${litellm}: 1 of 3 lines could not be read. Nothing from it was stored.`);
    expect(requests()).toBe(0);
  });
});

describe('a bad file among several', () => {
  const good1 = fixture('litellm', 'spend-logs.jsonl');
  const bad = fixture('litellm', 'bad-lines.jsonl');
  const good2 = fixture('litellm', 'spend-logs-v2.json');

  it('stores the files before and after it, lists it with its error, and exits 2', () => {
    const r = sb.run(['ingest', 'litellm', good1, bad, good2, '--json']);
    expect(r.status).toBe(2);
    const s = json<Summary>(r);
    expect(s.files.map((f) => [name(f), f.read, f.inserted, f.rejected, f.error])).toEqual([
      ['spend-logs.jsonl', 6, 5, 0, undefined],
      ['bad-lines.jsonl', 4, 0, 3, `${bad}: 3 of 4 lines could not be read.`],
      ['spend-logs-v2.json', 2, 2, 0, undefined],
    ]);
    expect(s.totals).toEqual({ read: 12, inserted: 7, duplicate: 1, rejected: 3, unpriced: 0 });
    expect(r.stderr).toContain(`${bad}:2: field "prompt_tokens": expected a non-negative whole number of tokens, got -5`);
    expect(r.stderr).toContain(`${bad}:4: field "startTime": expected an ISO 8601 time or epoch seconds, got "yesterday"`);
    expect(r.stderr).toContain(`llmcost: ${bad}: 3 of 4 lines could not be read. Nothing from it was stored; the other 2 files were.\n`);
    expect(r.stderr).toContain('--skip-invalid');
    expect(requests()).toBe(7);
    // Fixed or not, the same command again reads only the file that was not stored.
    const again = json<Summary>(sb.run(['ingest', 'litellm', good1, bad, good2, '--json']));
    expect(again.files.map((f) => f.skipped ?? f.error?.replace(bad, 'BAD'))).toEqual([
      'unchanged',
      'BAD: 3 of 4 lines could not be read.',
      'unchanged',
    ]);
  });

  it('says so in the table too, and names every failed file, a corrupt .gz among them', () => {
    const cut = join(sb.dir, 'cut.jsonl.gz');
    const gz = gzipSync(readFileSync(good1));
    writeFileSync(cut, gz.subarray(0, Math.floor(gz.length / 2)));
    const r = sb.run(['ingest', 'litellm', cut, good2, bad]);
    expect(r.status).toBe(2);
    expect(r.stdout).toContain('cut.jsonl.gz (FAILED, not stored)');
    expect(r.stdout).toContain('bad-lines.jsonl (FAILED, not stored)');
    expect(r.stdout).toContain('2 file(s) failed and were not stored: nothing from them is in the database.');
    expect(r.stderr).toContain('llmcost: 2 of 3 files were not stored; the other file was:\n');
    expect(r.stderr).toContain(`\n  ${cut}: the gzip data is truncated or corrupt`);
    expect(r.stderr).toContain(`\n  ${bad}: 3 of 4 lines could not be read.\n`);
    expect(requests()).toBe(2);
  });
});

describe('stray files in a directory given to auto-detection', () => {
  it('skips README.md, notes and images with a note, and stores the data', () => {
    const dir = join(sb.dir, 'exports');
    mkdirSync(dir);
    copyFileSync(fixture('litellm', 'spend-logs.jsonl'), join(dir, 'spend-logs.jsonl'));
    copyFileSync(fixture('csv', 'basic.csv'), join(dir, 'usage.csv'));
    writeFileSync(join(dir, 'README.md'), '# Exports\n\nmodel, tokens and spend per request, written nightly.\n');
    writeFileSync(join(dir, 'notes.txt'), 'Exported by the platform team, see the wiki.\n');
    writeFileSync(join(dir, 'chart.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]));
    const r = sb.run(['ingest', dir, '--json']);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain(`${join(dir, 'README.md')}: skipped, not a usage file (.md)\n`);
    expect(r.stderr).toContain(`${join(dir, 'chart.png')}: skipped, not a usage file (.png)\n`);
    expect(r.stderr).toContain(`${join(dir, 'notes.txt')}: skipped, not a usage file (cannot tell which source it is from)\n`);
    const s = json<Summary>(r);
    expect(s.files.map((f) => [name(f), f.source, f.inserted, f.skipped, f.reason])).toEqual([
      ['chart.png', 'unknown', 0, 'unrecognized', 'not a usage file (.png)'],
      ['notes.txt', 'unknown', 0, 'unrecognized', 'not a usage file (cannot tell which source it is from)'],
      ['README.md', 'unknown', 0, 'unrecognized', 'not a usage file (.md)'],
      ['spend-logs.jsonl', 'litellm', 5, undefined, undefined],
      ['usage.csv', 'csv', 7, undefined, undefined],
    ]);
    expect(requests()).toBe(12);
  });

  it('still refuses a file named on the command line whose source it cannot tell, after storing the others', () => {
    writeFileSync(join(sb.dir, 'README.md'), '# Exports\n\nmodel, tokens and spend per request.\n');
    const r = sb.run(['ingest', 'README.md', fixture('csv', 'basic.csv'), '--json']);
    expect(r.status).toBe(2);
    expect(json<Summary>(r).files.map((f) => [name(f), f.inserted, f.error])).toEqual([
      ['README.md', 0, 'README.md: cannot tell which source this file is from.'],
      ['basic.csv', 7, undefined],
    ]);
    expect(r.stderr).toContain(
      'llmcost: README.md: cannot tell which source this file is from. Nothing from it was stored; the other file was.\n',
    );
    expect(r.stderr).toContain('Name it: llmcost ingest csv|litellm|bedrock-log|claude-code PATH.');
    expect(requests()).toBe(7);
  });
});
