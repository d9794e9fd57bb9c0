import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);

import { fixture, json, sandbox, storedRequests } from '../helpers/cli.js';

let sb: ReturnType<typeof sandbox>;
beforeEach(() => {
  sb = sandbox();
});
afterEach(() => sb.dispose());

type Row = {
  period?: string;
  group: Record<string, string>;
  costNanos: number;
  costUsd: string;
  requests: number;
  unpricedRequests: number;
  share: number;
};
type Report = {
  rows: Row[];
  totals: Row & { inputTokens: number; cacheReadTokens: number };
  unpriced: { requests: number; models: { model: string; provider: string }[] };
  period: string | null;
  groupBy: string[];
};

describe('ingest csv + report', () => {
  it('ingests, prices and reports exact costs', () => {
    const ing = sb.run(['ingest', 'csv', fixture('csv', 'basic.csv'), '--json']);
    expect(ing.status).toBe(0);
    expect(json(ing)).toMatchObject({
      totals: { read: 7, inserted: 7, duplicate: 0, rejected: 0, unpriced: 1 },
      unpricedModels: [{ model: 'acme-llama-ft', provider: 'self-hosted', records: 1 }],
    });

    const byUser = json<Report>(sb.run(['report', '--by', 'user', '--json']));
    expect(byUser.rows.map((r) => [r.group.user, r.costNanos])).toEqual([
      ['alice', 3_700_000_000],
      ['bob', 600_125_000],
      ['dave', 500_000_000],
      ['carol', 74_710_350],
      ['erin', 0],
    ]);
    expect(byUser.totals).toMatchObject({
      costNanos: 4_874_835_350,
      costUsd: '4.874835350',
      requests: 7,
      unpricedRequests: 1,
      cacheReadTokens: 11_442,
    });
    expect(byUser.unpriced).toMatchObject({ requests: 1, models: [{ model: 'acme-llama-ft', provider: 'self-hosted' }] });
    expect(byUser.rows.find((r) => r.group.user === 'erin')?.unpricedRequests).toBe(1);

    const daily = json<Report>(sb.run(['report', '--daily', '--json']));
    expect(daily.rows.map((r) => [r.period, r.costNanos])).toEqual([
      ['2026-10-01', 4_100_000_000],
      ['2026-10-02', 200_000_000],
      ['2026-10-03', 74_835_350],
      ['2026-10-04', 500_000_000],
    ]);
    // In Tokyo the 23:30 UTC request belongs to the next day.
    const tokyo = json<Report>(sb.run(['report', '--daily', '--tz', 'Asia/Tokyo', '--json']));
    expect(tokyo.rows.map((r) => [r.period, r.costNanos])).toEqual([
      ['2026-10-01', 4_100_000_000],
      ['2026-10-02', 0],
      ['2026-10-03', 274_835_350],
      ['2026-10-04', 500_000_000],
    ]);

    const byModel = json<Report>(sb.run(['report', '--by', 'provider,model', '--since', '2026-10-02', '--until', '2026-10-03', '--json']));
    expect(byModel.rows.map((r) => [r.group.provider, r.group.model, r.costNanos])).toEqual([
      ['aws', 'claude-3-haiku-20240307', 200_000_000],
      ['anthropic', 'claude-sonnet-4-5-20250929', 74_710_350],
      ['openai', 'gpt-4o', 125_000],
    ]);

    const monthly = json<Report>(sb.run(['report', '--monthly', '--by', 'team', '--json']));
    expect(monthly.rows.map((r) => [r.period, r.group.team, r.costNanos])).toEqual([
      ['2026-10', 'search', 3_700_000_000],
      ['2026-10', 'support', 600_125_000],
      ['2026-10', 'platform', 500_000_000],
      ['2026-10', 'research', 74_710_350],
    ]);
  });

  it('adds nothing when the same data is ingested again', () => {
    const file = join(sb.dir, 'copy.csv');
    copyFileSync(fixture('csv', 'basic.csv'), file);
    expect(sb.run(['ingest', 'csv', file]).status).toBe(0);
    const again = json(sb.run(['ingest', 'csv', file, '--json']));
    expect(again).toMatchObject({ files: [{ skipped: 'unchanged', inserted: 0 }] });
    const forced = json(sb.run(['ingest', 'csv', file, '--force', '--json']));
    expect(forced).toMatchObject({ totals: { read: 7, inserted: 0, duplicate: 7 } });
    // The same rows gzipped under another name are still the same rows.
    const gz = join(sb.dir, 'copy.csv.gz');
    writeFileSync(gz, gzipSync(readFileSync(file)));
    expect(json(sb.run(['ingest', 'csv', gz, '--json']))).toMatchObject({ totals: { read: 7, inserted: 0, duplicate: 7 } });
    expect(json<Report>(sb.run(['report', '--by', 'user', '--json'])).totals.costNanos).toBe(4_874_835_350);
  });

  it('keeps identical aggregated lines apart and still dedupes them on re-ingest', () => {
    const first = json(sb.run(['ingest', 'csv', fixture('csv', 'aggregated-no-ids.csv'), '--json']));
    expect(first).toMatchObject({ totals: { read: 3, inserted: 3 } });
    const again = json(sb.run(['ingest', 'csv', fixture('csv', 'aggregated-no-ids.csv'), '--force', '--json']));
    expect(again).toMatchObject({ totals: { read: 3, inserted: 0, duplicate: 3 } });
    const r = json<Report>(sb.run(['report', '--by', 'user', '--json']));
    // 2 × (1M input at $0.15/M) for alice.
    expect(r.rows.find((x) => x.group.user === 'alice')).toMatchObject({ costNanos: 300_000_000, requests: 20 });
  });

  it('guards CSV output against formula injection', () => {
    sb.run(['ingest', 'csv', fixture('csv', 'aggregated-no-ids.csv')]);
    const out = sb.run(['report', '--by', 'user', '--format', 'csv']);
    expect(out.status).toBe(0);
    const lines = out.stdout.trim().split('\n');
    expect(lines[0]).toBe(
      'user,requests,input_tokens,output_tokens,cache_read_tokens,cache_write_tokens,cost_usd,cost_per_request_usd,share',
    );
    expect(lines).toContain(`alice,20,2000000,0,0,0,0.300000000,0.015000000,0.666666`);
    expect(lines.some((l) => l.startsWith(`"'=HYPERLINK(""http://x"")"`))).toBe(true);
  });

  it('names the dimensions in CSV headers (report, pareto)', () => {
    sb.run(['ingest', 'csv', fixture('csv', 'aggregated-no-ids.csv')]);
    const head = (args: string[]): string | undefined => sb.run([...args, '--format', 'csv']).stdout.split('\n')[0];
    expect(head(['report', '--by', 'user,model'])).toBe(
      'user,model,requests,input_tokens,output_tokens,cache_read_tokens,cache_write_tokens,cost_usd,cost_per_request_usd,share',
    );
    expect(head(['report', '--by', 'team,api-key', '--daily'])?.startsWith('period,team,api-key,requests,')).toBe(true);
    expect(head(['pareto', '--by', 'model', '--since', '2026-10-01', '--until', '2026-10-03'])?.startsWith('rank,model,cost,')).toBe(true);
  });

  it('reads stdin', () => {
    const r = sb.run(['ingest', 'csv', '-', '--json'], { input: readFileSync(fixture('csv', 'basic.csv'), 'utf8') });
    expect(r.status).toBe(0);
    expect(json(r)).toMatchObject({ totals: { inserted: 7 } });
  });
});

describe('bad input', () => {
  it('rejects the file with file:line:column messages and leaves the database unchanged', () => {
    const bad = fixture('csv', 'bad-rows.csv');
    const r = sb.run(['ingest', 'csv', bad]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${bad}:3: column "prompt_tokens": expected a non-negative whole number of input tokens, got "-5"`);
    expect(r.stderr).toContain(
      `${bad}:4: column "date": expected an ISO 8601 date or date-time, or epoch seconds/ms/µs/ns, got "10/02/2026"`,
    );
    expect(r.stderr).toContain(`${bad}:5: column "model": the model is empty`);
    expect(r.stderr).toContain(`${bad}:6: column "completion_tokens": expected a non-negative whole number of output tokens, got "ten"`);
    expect(r.stderr).toContain('4 of 6 lines could not be read');
    expect(r.stderr).toContain('--skip-invalid');
    expect(storedRequests(sb.db)).toBe(0);
  });

  it('stores the good lines with --skip-invalid', () => {
    const r = sb.run(['ingest', 'csv', fixture('csv', 'bad-rows.csv'), '--skip-invalid', '--json']);
    expect(r.status).toBe(0);
    expect(json(r)).toMatchObject({ totals: { read: 6, inserted: 2, rejected: 4 } });
    expect(json<Report>(sb.run(['report', '--by', 'user', '--json'])).rows.map((x) => x.group.user)).toEqual(['alice', 'frank']);
  });

  it('--dry-run writes nothing', () => {
    const r = sb.run(['ingest', 'csv', fixture('csv', 'basic.csv'), '--dry-run', '--json']);
    expect(json(r)).toMatchObject({ dryRun: true, totals: { read: 7, inserted: 7 } });
    expect(storedRequests(sb.db)).toBe(0);
  });

  it('names a missing file, an empty file and a header without the needed columns', () => {
    expect(sb.run(['ingest', 'csv', 'nope.csv'])).toMatchObject({
      status: 2,
      stderr: expect.stringContaining('nope.csv: no such file or directory'),
    });
    writeFileSync(join(sb.dir, 'empty.csv'), '');
    expect(sb.run(['ingest', 'csv', 'empty.csv'])).toMatchObject({
      status: 2,
      stderr: expect.stringContaining('empty.csv: the file is empty'),
    });
    writeFileSync(join(sb.dir, 'odd.csv'), 'when,who\n1,2\n');
    const odd = sb.run(['ingest', 'csv', 'odd.csv']);
    expect(odd.status).toBe(2);
    expect(odd.stderr).toContain('odd.csv:1: the header lacks a timestamp column');
  });

  it('says what is wrong with flags', () => {
    expect(sb.run(['report', '--by', 'colour'])).toMatchObject({
      status: 2,
      stderr: expect.stringContaining('--by colour: unknown dimension'),
    });
    expect(sb.run(['report', '--tz', 'Mars/Olympus'])).toMatchObject({
      status: 2,
      stderr: expect.stringContaining('Unknown time zone "Mars/Olympus"'),
    });
    expect(sb.run(['report', '--since', 'soon'])).toMatchObject({
      status: 2,
      stderr: expect.stringContaining('--since: cannot read "soon"'),
    });
    expect(sb.run(['report', '--daily', '--weekly']).status).toBe(2);
    expect(sb.run(['frobnicate']).status).toBe(2);
    expect(sb.run(['report', '--format', 'xml']).status).toBe(2);
  });

  it('refuses a database from a newer llmcost', () => {
    sb.run(['ingest', 'csv', fixture('csv', 'basic.csv')]);
    const Database = require('better-sqlite3');
    const db = new Database(sb.db);
    db.prepare("INSERT INTO schema_migrations (id, name, applied_at) VALUES (42, 'x', 0)").run();
    db.close();
    const r = sb.run(['report']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('was written by a newer llmcost');
  });
});
