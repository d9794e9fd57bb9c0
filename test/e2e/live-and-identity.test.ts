import { appendFileSync, copyFileSync, mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixture, json, sandbox } from '../helpers/cli.js';

let sb: ReturnType<typeof sandbox>;
beforeEach(() => {
  sb = sandbox();
});
afterEach(() => sb.dispose());

type FileSummary = {
  file: string;
  read: number;
  inserted: number;
  duplicate: number;
  rejected: number;
  skipped?: string;
  updated?: number;
  replaced?: number;
  unfinishedLine?: number;
};
type Summary = { files: FileSummary[]; totals: Record<string, number> };
type Report = {
  rows: { group: Record<string, string>; requests: number; costNanos: number }[];
  totals: { requests: number; costNanos: number };
};

const report = (args: string[] = []): Report => json<Report>(sb.run(['report', ...args, '--json']));

/** The hourly rollup against the raw rows it sums, read from the database file directly. */
function rollupVsRaw(path: string): { raw: unknown[]; rollup: unknown[] } {
  const require = createRequire(import.meta.url);
  const Database = require('better-sqlite3') as typeof import('better-sqlite3');
  const db = new Database(path, { readonly: true });
  try {
    const dims = 'day_only, source, provider, model, user, team, api_key, endpoint';
    const raw = db
      .prepare(
        `SELECT ts / 3600000 AS hour, ${dims}, COUNT(*) AS records, SUM(requests) AS requests, SUM(input_tokens) AS input,
          SUM(output_tokens) AS output, SUM(cache_read_tokens) AS cacheRead, SUM(cache_write_tokens) AS cacheWrite,
          COALESCE(SUM(cost_nanos), 0) AS cost FROM usage GROUP BY hour, ${dims} ORDER BY hour, ${dims}`,
      )
      .all();
    const rollup = db
      .prepare(
        `SELECT hour, ${dims}, records, requests, input_tokens AS input, output_tokens AS output, cache_read_tokens AS cacheRead,
          cache_write_tokens AS cacheWrite, cost_nanos AS cost FROM usage_hourly ORDER BY hour, ${dims}`,
      )
      .all();
    return { raw, rollup };
  } finally {
    db.close();
  }
}

function expectRollupEqualsRaw(): void {
  const { raw, rollup } = rollupVsRaw(sb.db);
  expect(rollup).toEqual(raw);
}

const ingest = (args: string[]): { status: number | null; summary: Summary; stderr: string } => {
  const r = sb.run(['ingest', ...args, '--json']);
  return { status: r.status, summary: json<Summary>(r), stderr: r.stderr };
};

// The live session fixture, line by line: 1 user prompt; 2 msg_01Q7wKc2 with the streaming placeholder
// (output_tokens 1); 3 the same message complete (412); 4 msg_01R3nVx8 (250).
const session = readFileSync(fixture('claude-code', 'live', 'session.jsonl'), 'utf8').split('\n');
const lines = (from: number, to: number): string => `${session.slice(from - 1, to).join('\n')}\n`;
// claude-opus-4-6 per 1M: $5 input, $25 output, $0.50 cache read, $6.25 5-minute and $10 1-hour cache write.
// msg_01Q7wKc2: 3 × $5 + 15,005 × $6.25 + 11,442 × $0.50 = $0.09951725, plus $25 per 1M output tokens.
const PLACEHOLDER = 99_542_250; // output_tokens 1
const COMPLETE = 109_817_250; // output_tokens 412
// msg_01R3nVx8: 10 × $5 + 2,000 × $10 + 26,447 × $0.50 + 250 × $25 = $0.0395235.
const SECOND = 39_523_500;

describe('claude-code: a live session', () => {
  it('completes a message stored with its placeholder when the transcript has grown', () => {
    const dir = join(sb.dir, 'projects', '-home-dev-shop');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'live.jsonl');
    writeFileSync(file, lines(1, 2));
    expect(ingest(['claude-code', join(sb.dir, 'projects')]).summary.totals).toMatchObject({ inserted: 1 });
    expect(report().totals).toMatchObject({ requests: 1, costNanos: PLACEHOLDER });
    expectRollupEqualsRaw();

    appendFileSync(file, lines(3, 3));
    const grown = ingest(['claude-code', join(sb.dir, 'projects')]);
    expect(grown.status).toBe(0);
    expect(grown.summary.files[0]).toMatchObject({ read: 1, inserted: 0, duplicate: 0, updated: 1 });
    expect(report().totals).toMatchObject({ requests: 1, costNanos: COMPLETE });
    expect(report(['--by', 'model']).rows).toEqual([expect.objectContaining({ requests: 1, costNanos: COMPLETE })]);
    expectRollupEqualsRaw();

    // Read again (touched): the same message, no larger: nothing changes.
    utimesSync(file, new Date(), new Date(Date.now() + 5000));
    expect(ingest(['claude-code', file]).summary.files[0]).toMatchObject({ inserted: 0, duplicate: 1 });
    expect(report().totals).toMatchObject({ requests: 1, costNanos: COMPLETE });
    expectRollupEqualsRaw();
  });

  it('leaves a last line still being written for the next ingest, and stores the rest', () => {
    const file = join(sb.dir, 'live.jsonl');
    const cut = session[3]?.slice(0, 200) ?? '';
    writeFileSync(file, `${lines(1, 3)}${cut}`);
    const first = sb.run(['ingest', 'claude-code', file]);
    expect(first).toMatchObject({ status: 0, stderr: '' });
    expect(first.stdout).toContain(
      `${file}:4: the last line is still being written; the rest is stored, and the next ingest reads the file again.`,
    );
    expect(report().totals).toMatchObject({ requests: 1, costNanos: COMPLETE });
    expectRollupEqualsRaw();

    // Unchanged, but not recorded as read whole: read again, still waiting for line 4.
    const again = ingest(['claude-code', file]);
    expect(again.summary.files[0]).toMatchObject({ inserted: 0, duplicate: 1, unfinishedLine: 4 });
    expect(again.summary.files[0]?.skipped).toBeUndefined();

    appendFileSync(file, `${session[3]?.slice(200)}\n`);
    const done = ingest(['claude-code', file]);
    expect(done.status).toBe(0);
    expect(done.summary.files[0]).toMatchObject({ read: 2, inserted: 1, duplicate: 1 });
    expect(done.summary.files[0]?.unfinishedLine).toBeUndefined();
    expect(report().totals).toMatchObject({ requests: 2, costNanos: COMPLETE + SECOND });
    expectRollupEqualsRaw();
    // Now read whole: skipped as unchanged.
    expect(ingest(['claude-code', file]).summary.files[0]).toMatchObject({ skipped: 'unchanged' });
  });

  it('still refuses a cut line in the middle of a transcript', () => {
    const file = join(sb.dir, 'cut.jsonl');
    writeFileSync(file, `${lines(1, 2)}${session[2]?.slice(0, 200)}\n${lines(4, 4)}`);
    const r = sb.run(['ingest', 'claude-code', file]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${file}:3: not valid JSON`);
    expect(r.stderr).toContain(`llmcost: ${file}: 1 of 3 lines could not be read. Nothing from it was stored.`);
  });
});

describe('identity of rows without an id', () => {
  it('counts identical lines of two gateways’ files each, and the same file again (touched, copied) adds nothing', () => {
    const a = ingest(['csv', fixture('csv', 'gateway-a.csv'), fixture('csv', 'gateway-b.csv')]);
    expect(a.status).toBe(0);
    expect(a.summary.totals).toMatchObject({ read: 4, inserted: 4, duplicate: 0 });
    expect(report(['--by', 'team']).rows.map((r) => [r.group.team, r.requests])).toEqual([
      ['search', 20],
      ['billing', 3],
      ['support', 4],
    ]);
    expectRollupEqualsRaw();

    const copy = join(sb.dir, 'moved-gateway-a.csv');
    copyFileSync(fixture('csv', 'gateway-a.csv'), copy);
    utimesSync(copy, new Date(), new Date(Date.now() + 5000));
    const again = ingest(['csv', copy, fixture('csv', 'gateway-a.csv'), '--force']);
    expect(again.summary.totals).toMatchObject({ read: 4, inserted: 0, duplicate: 4 });
    expect(report().totals.requests).toBe(27);
    expectRollupEqualsRaw();
  });

  it('--replace by path: a corrected export saved over the old one gives 12, not 10 + 12', () => {
    const file = join(sb.dir, 'export.csv');
    copyFileSync(fixture('csv', 'daily-export.csv'), file);
    ingest(['csv', file]);
    copyFileSync(fixture('csv', 'daily-export-corrected.csv'), file);
    // Without --replace the corrected export is another file: both count.
    const dry = ingest(['csv', file, '--dry-run']);
    expect(dry.summary.totals).toMatchObject({ inserted: 1 });

    const r = ingest(['csv', file, '--replace']);
    expect(r.status).toBe(0);
    expect(r.summary.files[0]).toMatchObject({ inserted: 1, replaced: 1 });
    expect(report().totals).toMatchObject({ requests: 12, costNanos: 252_000_000 });
    expectRollupEqualsRaw();
    const table = sb.run(['ingest', 'csv', file, '--replace']);
    expect(table.stdout).toContain(`${file} replaced 1 rows stored by earlier ingests.`);
    expect(report().totals).toMatchObject({ requests: 12, costNanos: 252_000_000 });
  });

  it('--replace --since/--until: the source’s rows of those days, whatever file stored them', () => {
    ingest(['csv', fixture('csv', 'daily-export.csv'), fixture('csv', 'gateway-a.csv')]);
    expect(ingest(['csv', fixture('csv', 'daily-export-corrected.csv')]).summary.totals).toMatchObject({ inserted: 1 });
    expect(report(['--since', '2026-10-06', '--until', '2026-10-06']).totals.requests).toBe(22);

    const r = ingest(['csv', fixture('csv', 'daily-export-corrected.csv'), '--replace', '--since', '2026-10-06', '--until', '2026-10-06']);
    expect(r.status).toBe(0);
    expect(r.summary.files[0]).toMatchObject({ inserted: 1, replaced: 2 });
    expect(report(['--since', '2026-10-06', '--until', '2026-10-06']).totals).toMatchObject({ requests: 12, costNanos: 252_000_000 });
    expect(report().totals.requests).toBe(12 + 14); // 2026-10-05 untouched
    expectRollupEqualsRaw();

    // A file with rows outside the range is refused whole.
    const out = sb.run(['ingest', 'csv', fixture('csv', 'gateway-a.csv'), '--replace', '--since', '2026-10-06', '--until', '2026-10-06']);
    expect(out.status).toBe(2);
    expect(out.stderr).toContain(
      `${fixture('csv', 'gateway-a.csv')}:2: the record of 2026-10-05T00:00:00.000Z is outside the --since/--until range to replace.`,
    );
    expect(report().totals.requests).toBe(26);
    expectRollupEqualsRaw();
  });

  it('--since/--until on ingest need --replace', () => {
    const r = sb.run(['ingest', 'csv', fixture('csv', 'daily-export.csv'), '--since', '2026-10-06']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--since/--until on ingest go with --replace.');
  });
});
