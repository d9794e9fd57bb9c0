import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixture, json, ROOT, sandbox, storedRequests } from '../helpers/cli.js';

let sb: ReturnType<typeof sandbox>;
beforeEach(() => {
  sb = sandbox();
});
afterEach(() => sb.dispose());

describe('the CLI', () => {
  it('prints its version and help with exit 0, and the exit-code table in help', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(sb.run(['--version'])).toMatchObject({ status: 0, stdout: `${pkg.version}\n` });
    const help = sb.run(['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Exit codes:');
    expect(help.stdout).toMatch(/^ {2}3 {3}data problem/m);
  });

  it('keeps the README exit-code table and the --help table in step', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const help = sb.run(['--help']).stdout;
    for (const code of ['0', '1', '2', '3', '4', '70']) {
      expect(readme).toMatch(new RegExp(`^\\| ${code} \\|`, 'm'));
      expect(help).toMatch(new RegExp(`^ {2}${code} +\\S`, 'm'));
    }
    // Every command in --help is documented in the README.
    const section = help.slice(help.indexOf('Commands:'), help.indexOf('Exit codes:'));
    const commands = [...section.matchAll(/^ {2}([a-z][a-z-]*)/gm)].map((m) => m[1]);
    expect(commands.length).toBeGreaterThan(3);
    for (const c of commands) if (c !== 'help') expect(readme).toContain(`llmcost ${c}`);
  });

  it('never creates a database to report on: a missing one is a data problem (exit 3), and nothing is created', () => {
    const db = join(sb.dir, 'deep', 'er', 'x.db');
    for (const args of [
      ['report'],
      ['pareto'],
      ['anomalies'],
      ['reconcile'],
      ['budget', 'check', '--monthly', '5'],
      ['unit-cost', '--revenue', '5'],
    ]) {
      const r = sb.run(args, { env: { LLMCOST_DB: db } });
      expect(r.status, args.join(' ')).toBe(3);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(`llmcost: No database at ${db}.`);
      expect(r.stderr).toContain('Run `llmcost ingest …` to create it');
    }
    expect(existsSync(join(sb.dir, 'deep'))).toBe(false);
  });

  it('creates the database directory from LLMCOST_DB on ingest; an empty range is a data problem naming the data range', () => {
    const db = join(sb.dir, 'deep', 'er', 'x.db');
    expect(sb.run(['ingest', 'csv', fixture('csv', 'basic.csv')], { env: { LLMCOST_DB: db } }).status).toBe(0);
    const empty = sb.run(['report', '--by', 'user', '--since', '2025-01-01', '--until', '2025-01-31', '--json'], {
      env: { LLMCOST_DB: db },
    });
    expect(empty).toMatchObject({ status: 3, stdout: '' });
    expect(empty.stderr).toContain(
      'llmcost: No usage between 2025-01-01T00:00:00.000Z and 2025-02-01T00:00:00.000Z: the data covers 2026-10-01 to 2026-10-04 (UTC).',
    );
  });

  it('answers with the full shape, money as nanos and exact USD strings, and the basis it used', () => {
    sb.run(['ingest', 'csv', fixture('csv', 'basic.csv')]);
    const r = sb.run(['report', '--by', 'user', '--json', '--since', '2026-10-03', '--until', '2026-10-03', '--user', 'carol']);
    expect(r.status).toBe(0);
    // claude-sonnet-4-5: 3 × $3 + 1,000 × $15 + 11,442 × $0.30 + 15,005 × $3.75 per 1M = $0.07471035.
    const totals = {
      records: 1,
      requests: 1,
      pricedRequests: 1,
      inputTokens: 3,
      outputTokens: 1000,
      cacheReadTokens: 11442,
      cacheWriteTokens: 15005,
      costNanos: 74_710_350,
      costUsd: '0.074710350',
      costPerRequestNanos: 74_710_350,
      unpricedRequests: 0,
    };
    expect(json(r)).toEqual({
      schemaVersion: 1,
      kind: 'usage-report',
      period: null,
      groupBy: ['user'],
      timezone: 'UTC',
      range: { since: '2026-10-03T00:00:00.000Z', until: '2026-10-04T00:00:00.000Z' },
      rows: [{ ...totals, group: { user: 'carol' }, share: 1 }],
      totals,
      unpriced: { requests: 0, records: 0, tokens: 0, models: [] },
      basis: 'usage',
      billedDays: [],
      estimatedBillingDays: [],
    });
  });

  it('a filter that matches nothing is a data problem with the closest existing values', () => {
    sb.run(['ingest', 'csv', fixture('csv', 'basic.csv')]);
    const r = sb.run(['report', '--user', 'carl']);
    expect(r).toMatchObject({ status: 3, stdout: '' });
    expect(r.stderr).toContain('llmcost: --user "carl" matches no usage in the database (did you mean "carol"?).');
    const team = sb.run(['pareto', '--team', 'serach', '--since', '2026-10-01']);
    expect(team.status).toBe(2); // pareto has no --team filter: a usage error, not a silent $0
    const model = sb.run(['report', '--by', 'team', '--model', 'gpt-4o-minii']);
    expect(model.status).toBe(3);
    expect(model.stderr).toContain('--model "gpt-4o-minii" matches no usage in the database (did you mean "gpt-4o-mini" or "gpt-4o"?)');
  });

  it('uses --db over LLMCOST_DB', () => {
    const other = join(sb.dir, 'other.db');
    sb.run(['ingest', 'csv', fixture('csv', 'basic.csv'), '--db', other]);
    expect(sb.run(['report', '--json']).status).toBe(3); // LLMCOST_DB has no database
    expect(json<{ totals: { requests: number } }>(sb.run(['report', '--json', '--db', other])).totals.requests).toBe(7);
  });

  it('prints the user report', () => {
    sb.run(['ingest', 'csv', fixture('csv', 'basic.csv')]);
    const r = json<Record<string, unknown>>(sb.run(['report', '--user', 'alice', '--json']));
    expect(r).toMatchObject({
      kind: 'user-report',
      user: 'alice',
      days: 2,
      activeDays: 2,
      averageDailyCostNanos: 1_850_000_000,
      totals: { costNanos: 3_700_000_000, requests: 2 },
    });
    expect((r.daily as { period: string; costNanos: number }[]).map((d) => [d.period, d.costNanos])).toEqual([
      ['2026-10-01', 3_500_000_000],
      ['2026-10-02', 200_000_000],
    ]);
    expect((r.models as { group: { model: string } }[]).map((m) => m.group.model)).toEqual(['gpt-4o', 'claude-3-haiku-20240307']);
  });

  it('renders tables and markdown without color when NO_COLOR is set', () => {
    sb.run(['ingest', 'csv', fixture('csv', 'basic.csv')]);
    const table = sb.run(['report', '--by', 'team']);
    expect(table.status).toBe(0);
    expect(table.stdout).not.toContain('\u001b[');
    expect(table.stdout).toMatch(/│ search +│ +2 │.*│ +\$3\.70 │/);
    expect(table.stdout).toContain('Unpriced: 1 requests (5,500 tokens)');
    const md = sb.run(['report', '--by', 'team', '--format', 'markdown']);
    expect(md.stdout).toContain('| Team | Requests |');
    // The unpriced count stands beside the average: the research team's unpriced request is not in its $0.0747.
    expect(md.stdout).toContain('| Team | Requests | Input | Output | Cache read | Cache write | Cost | Avg/request | Unpriced | Share |');
    expect(md.stdout).toContain('| search | 2 | 1,400,000 | 180,000 | 0 | 0 | $3.70 | $1.8500 | 0 | 75.9% |');
    expect(md.stdout).toContain('| research | 2 | 5,003 | 1,500 | 11,442 | 15,005 | $0.07 | $0.0747 | 1 | 1.5% |');
  });

  it('prices with a user price file', () => {
    const prices = join(sb.dir, 'prices.json');
    writeFileSync(
      prices,
      JSON.stringify({ models: [{ id: 'acme-llama-ft', provider: 'self-hosted', prices: { input: 0.1, output: 0.2 } }] }),
    );
    const r = json(sb.run(['ingest', 'csv', fixture('csv', 'basic.csv'), '--prices', prices, '--json']));
    expect(r).toMatchObject({ totals: { unpriced: 0 } });
    const erin = json<{ rows: { group: { user: string }; costNanos: number }[] }>(sb.run(['report', '--by', 'user', '--json'])).rows.find(
      (x) => x.group.user === 'erin',
    );
    expect(erin?.costNanos).toBe(600_000); // 5,000 × $0.1/M + 500 × $0.2/M
    writeFileSync(prices, JSON.stringify({ models: [{ id: 'x', prices: { input: -1 } }] }));
    const bad = sb.run(['ingest', 'csv', fixture('csv', 'basic.csv'), '--prices', prices]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain(`${prices}: models[0].prices.input: expected a non-negative USD-per-1M-tokens number, got -1`);
  });

  it('shows how a model is priced, and says so when it cannot be', () => {
    const r = json(sb.run(['prices', 'us.anthropic.claude-3-haiku-20240307-v1:0', '--json']));
    expect(r).toMatchObject({ provider: 'aws', normalizedModel: 'claude-3-haiku-20240307', prices: [{ input: 0.25, output: 1.25 }] });
    const unknown = sb.run(['prices', 'acme-9000']);
    expect(unknown.status).toBe(3);
    expect(unknown.stderr).toContain('No price for "acme-9000"');
    const list = json<{ providers: { id: string; models: unknown[] }[] }>(sb.run(['prices', '--provider', 'anthropic', '--json']));
    expect(list.providers.map((p) => p.id)).toEqual(['anthropic']);
    expect(list.providers[0]?.models.length).toBeGreaterThan(15);
  });

  it('updates the catalog from a file and prices new ingests with it', () => {
    const file = join(sb.dir, 'catalog.json');
    writeFileSync(
      file,
      JSON.stringify([
        {
          id: 'openai',
          name: 'OpenAI',
          models: [{ id: 'gpt-4o', match: { equals: 'gpt-4o' }, prices: { input_mtok: 1, output_mtok: 2 } }],
        },
      ]),
    );
    const up = sb.run(['prices', 'update', file]);
    expect(up.status).toBe(0);
    expect(up.stderr).toContain('Loaded 1 models');
    sb.run(['ingest', 'csv', fixture('csv', 'basic.csv')]);
    const alice = json<{ rows: { group: { user: string }; costNanos: number }[] }>(sb.run(['report', '--by', 'user', '--json'])).rows.find(
      (x) => x.group.user === 'alice',
    );
    // gpt-4o at $1/$2 now; the Bedrock Haiku row is unpriced because the new catalog lacks it.
    expect(alice?.costNanos).toBe(1_200_000_000);
    writeFileSync(file, '{"not": "a catalog"}');
    expect(sb.run(['prices', 'update', file])).toMatchObject({
      status: 2,
      stderr: expect.stringContaining('expected an llmcost price catalog'),
    });
  });
});

describe('demo', () => {
  it('loads the bundled demo data into its own database and reports it', () => {
    const db = join(sb.dir, 'demo.db');
    const r = sb.run(['demo', '--db', db, '--json']);
    expect(r.status).toBe(0);
    const j = json<Record<string, never>>(r);
    expect(j).toMatchObject({ kind: 'demo', database: db, days: 61, firstDay: '2026-09-01', lastDay: '2026-10-31' });
    expect(j.ingest).toMatchObject({ read: 2737, inserted: 2737, rejected: 0, unpriced: 277 });
    expect(j.weekly).toMatchObject({ totals: { costNanos: 4_813_235_516_350 }, unpriced: { requests: 25_677 } });
    // The demo never touches the user's store.
    expect(storedRequests(sb.db)).toBe(0);
    const table = sb.run(['demo', '--db', db]);
    expect(table.stdout).toContain('Cost by team');
    expect(table.stdout).toContain('Costliest days: 2026-10-14 $210.66, 2026-09-22 $194.94');
  });
});

describe('--db with a PostgreSQL URL', () => {
  it('is refused with exit 2 by every command, the password never shown and no file named after the URL', () => {
    const url = 'postgres://llm:s3cret@127.0.0.1:1/costs';
    const runs = [
      sb.run(['ingest', 'csv', fixture('csv', 'basic.csv'), '--db', url, '--json']),
      sb.run(['report', '--daily', '--json'], { env: { LLMCOST_DB: url } }),
      sb.run(['budget', 'check', '--monthly', '500', '--db', url]),
      sb.run(['demo', '--db', url]),
    ];
    for (const r of runs) {
      expect(r.status).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain('The database postgres://llm:***@127.0.0.1:1/costs is a PostgreSQL URL');
      expect(r.stderr).not.toContain('s3cret');
    }
    expect(existsSync(join(sb.dir, 'postgres:'))).toBe(false);
  });

  it('a malformed one is exit 2 too', () => {
    const r = sb.run(['report', '--db', 'postgresql://llm:s3cret@[::1/costs']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('The database postgresql://llm:***@[::1/costs is not a valid PostgreSQL URL.');
    expect(r.stderr).not.toContain('s3cret');
  });
});
