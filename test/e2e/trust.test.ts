/**
 * Figures and gates that could be silently wrong: each case is one the trust review reproduced.
 * Every figure here is checked to the nano-dollar, every gate by its exit code.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sql as schemaV1 } from '../../src/store/migrations/0001_init.js';
import { migrations } from '../../src/store/migrations/index.js';
import { json, sandbox } from '../helpers/cli.js';

const require = createRequire(import.meta.url);
const Database = require('better-sqlite3') as typeof import('better-sqlite3');

let sb: ReturnType<typeof sandbox>;
beforeEach(() => {
  sb = sandbox();
});
afterEach(() => sb.dispose());

const CUR_HEADER =
  'identity_line_item_id,identity_time_interval,bill_billing_entity,line_item_line_item_type,line_item_usage_start_date,line_item_usage_end_date,line_item_product_code,line_item_usage_type,line_item_operation,line_item_usage_amount,line_item_unblended_rate,line_item_unblended_cost,line_item_iam_principal,product_region_code,product_servicecode,resource_tags';

/** A CUR with one $10.00 Bedrock line per day, dated by day (date-only starts, as daily exports carry). */
function dailyBill(days: number[], usd = '10'): string {
  const lines = days.map((d) => {
    const day = `2026-10-${String(d).padStart(2, '0')}`;
    return `b${d},${day}/${day},AWS,Usage,${day},${day},AmazonBedrock,USE1-Claude4.6Sonnet-input-tokens,InvokeModelInference,1000,0.003,${usd},,us-east-1,AmazonBedrock,`;
  });
  const file = join(sb.dir, 'bill.csv');
  writeFileSync(file, `${CUR_HEADER}\n${lines.join('\n')}\n`);
  return file;
}

function csv(name: string, text: string): string {
  const file = join(sb.dir, name);
  writeFileSync(file, text);
  return file;
}

const sha = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

type Check = {
  budgets: { name: string; spentNanos: number; status: string }[];
  dataProblems: { code: string; budget: string | null; message: string }[];
  verdict: { exitCode: number; ok: boolean; state: string; exceeded: string[]; message: string };
};

describe('a gate never passes on missing or partial data', () => {
  const NOW = { LLMCOST_NOW: '2026-10-15T12:00:00Z' };
  const oneLogOnThe2nd = (): string =>
    csv(
      'logs.csv',
      'timestamp,user,team,model,provider,input_tokens,output_tokens,request_id,cost\n2026-10-02T09:00:00Z,alice,search,anthropic.claude-sonnet-4-6,bedrock,1000,100,r1,0.20\n',
    );

  it('one log row on the 2nd plus a bill through the 14th: logs for the 2nd, the bill elsewhere; logs that stopped exit 3', () => {
    expect(sb.run(['ingest', 'csv', '--preset', 'cur', dailyBill([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14])]).status).toBe(0);
    expect(sb.run(['ingest', 'csv', oneLogOnThe2nd()]).status).toBe(0);
    const r = sb.run(['budget', 'check', '--monthly', '500', '--json'], { env: NOW });
    expect(r.status).toBe(3);
    const j = json<Check>(r);
    // $0.20 logged on the 2nd + 13 billed days × $10 (the bill of the 2nd is not counted again).
    expect(j.budgets[0]?.spentNanos).toBe(130_200_000_000);
    expect(j.dataProblems).toEqual([
      expect.objectContaining({
        code: 'LOGS_STOPPED',
        budget: 'cli',
        message: expect.stringContaining('request logs of aws stop at 2026-10-02'),
      }),
    ]);
    expect(r.stderr).toContain('while its bill goes on to 2026-10-14');
    // The bill alone is a deliberate choice, and then the gate can judge: $140 of $500.
    const billed = sb.run(['budget', 'check', '--monthly', '500', '--basis', 'billed', '--json'], { env: NOW });
    expect(billed.status).toBe(0);
    expect(json<Check>(billed).budgets[0]?.spentNanos).toBe(140_000_000_000);
    // The report follows the same rule and says which days came from the bill.
    const rep = json<{ totals: { costNanos: number; costPerRequestNanos: number }; basis: string; billedDays: unknown }>(
      sb.run(['report', '--since', '2026-10-01', '--until', '2026-10-03', '--json'], { env: NOW }),
    );
    expect(rep.totals.costNanos).toBe(20_200_000_000);
    // The average is over the logged request alone: billed cost has no requests behind it.
    expect(rep.totals.costPerRequestNanos).toBe(200_000_000);
    expect(rep.basis).toBe('mixed');
    expect(rep.billedDays).toEqual([{ provider: 'aws', days: ['2026-10-01', '2026-10-03'] }]);
  });

  it('--max-age applies per basis: stale logs are a data problem even when the bill is fresh', () => {
    expect(sb.run(['ingest', 'csv', '--preset', 'cur', dailyBill([14])]).status).toBe(0);
    expect(sb.run(['ingest', 'csv', oneLogOnThe2nd()]).status).toBe(0);
    const r = sb.run(['budget', 'check', '--monthly', '5000', '--max-age', '2d', '--json'], { env: NOW });
    expect(r.status).toBe(3);
    expect(json<Check>(r).dataProblems.map((p) => p.code)).toEqual(['LOGS_STOPPED', 'STALE_DATA']);
    expect(r.stderr).toMatch(/the newest request log in the budget's scope is from 2026-10-02T09:[0-9:.]+Z, older than --max-age 2d/);
  });

  it('a budget scope that matches nothing exits 3 and names the closest values', () => {
    expect(sb.run(['ingest', 'csv', oneLogOnThe2nd()]).status).toBe(0);
    const r = sb.run(['budget', 'check', '--monthly', '500', '--scope', 'team=serach', '--json'], { env: NOW });
    expect(r.status).toBe(3);
    expect(json<Check>(r).dataProblems).toEqual([
      {
        code: 'SCOPE_MATCHES_NOTHING',
        budget: 'cli',
        message: `the scope's team "serach" matches no usage in the database (did you mean "search"?)`,
      },
    ]);
    expect(r.stderr).toContain('llmcost: data problem:');
    // status reports the same problem and keeps exit 0, but is not ok.
    const status = sb.run(['budget', 'status', '--monthly', '500', '--scope', 'team=serach', '--json'], { env: NOW });
    expect(status.status).toBe(0);
    expect(json<Check>(status).verdict).toMatchObject({ ok: false, state: 'data-problem' });
  });

  it('budget status says a budget is exceeded (verdict.ok false) and keeps exit 0', () => {
    expect(sb.run(['ingest', 'csv', oneLogOnThe2nd()]).status).toBe(0);
    const r = sb.run(['budget', 'status', '--monthly', '0.10', '--json'], { env: NOW });
    expect(r.status).toBe(0);
    expect(json<Check>(r).verdict).toMatchObject({ exitCode: 0, ok: false, state: 'exceeded', exceeded: ['cli'] });
    expect(r.stderr).toBe('llmcost: cli exceeded ($0.20 of $0.10).\n');
    expect(sb.run(['budget', 'check', '--monthly', '0.10'], { env: NOW }).status).toBe(1);
  });
});

describe('date-only timestamps are calendar days in every zone', () => {
  it('a daily export dated 2026-10-01 is 2026-10-01 in Los Angeles, UTC and Tokyo, and in their ranges', () => {
    const file = csv(
      'daily.csv',
      'date,model,provider,input_tokens,output_tokens,requests,cost\n2026-10-01,gpt-4o,openai,1000,100,10,1.00\n2026-10-02,gpt-4o,openai,1000,100,10,2.00\n',
    );
    expect(sb.run(['ingest', 'csv', file]).status).toBe(0);
    for (const tz of ['America/Los_Angeles', 'UTC', 'Asia/Tokyo', 'Pacific/Kiritimati']) {
      const daily = json<{ rows: { period: string; costNanos: number }[] }>(sb.run(['report', '--daily', '--tz', tz, '--json']));
      expect(
        daily.rows.map((r) => [r.period, r.costNanos]),
        tz,
      ).toEqual([
        ['2026-10-01', 1_000_000_000],
        ['2026-10-02', 2_000_000_000],
      ]);
      const one = json<{ totals: { costNanos: number } }>(
        sb.run(['report', '--since', '2026-10-02', '--until', '2026-10-02', '--tz', tz, '--json']),
      );
      expect(one.totals.costNanos, tz).toBe(2_000_000_000);
    }
  });
});

describe('read commands never create, migrate or write a database', () => {
  it("refuses another application's SQLite database, for reads and writes, and leaves it byte-identical", () => {
    const other = join(sb.dir, 'app.sqlite');
    const db = new Database(other);
    db.exec("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes (body) VALUES ('keep me')");
    db.close();
    const before = sha(other);
    const read = sb.run(['report', '--db', other]);
    expect(read.status).toBe(2);
    expect(read.stderr).toContain(
      `${other} is another application's SQLite database (tables: notes), not an llmcost database. It was not changed.`,
    );
    const write = sb.run(['ingest', 'csv', csv('x.csv', 'timestamp,model,input_tokens\n2026-10-01T00:00:00Z,gpt-4o,1\n'), '--db', other]);
    expect(write.status).toBe(2);
    expect(sha(other)).toBe(before);
  });

  it('a database written by the previous schema is upgraded only on request; read commands say how', () => {
    const path = join(sb.dir, 'v1.db');
    const db = new Database(path);
    db.exec(schemaV1);
    db.exec('CREATE TABLE schema_migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)');
    db.exec("INSERT INTO schema_migrations VALUES (1, '0001_init', 0)");
    // A Cost Explorer DAILY row as schema 1 stored it: UTC midnight, source id with its granularity.
    const day = Date.UTC(2026, 9, 1);
    db.exec("INSERT INTO ingest_runs (id, source, file, started_at, status) VALUES (1, 'cost-explorer', 'GetCostAndUsage', 0, 'ok')");
    db.prepare(
      `INSERT INTO usage (ts, source, dedupe_key, source_id, provider, model_raw, model, requests, cost_nanos, cost_basis, reported_cost_nanos, run_id)
       VALUES (?, 'cost-explorer', x'01', 'UnblendedCost|DAILY|SERVICE,USAGE_TYPE|2026-10-01|Amazon Bedrock|USE1-x', 'aws', 'm', 'm', 0, 5000000000, 'billed', 5000000000, 1)`,
    ).run(day);
    db.prepare(`INSERT INTO usage_hourly VALUES (?, 'cost-explorer', 'aws', 'm', '', '', '', '', 1, 0, 0, 0, 0, 0, 5000000000, 0)`).run(
      day / 3_600_000,
    );
    db.close();
    const before = sha(path);
    const r = sb.run(['report', '--db', path]);
    expect(r.status).toBe(2);
    // Every migration after the first, by id (ids are matched, never counted).
    const pending = migrations
      .map((m) => m.id)
      .filter((id) => id > 1)
      .join(', ');
    expect(pending.startsWith('2, 3, 4, 5')).toBe(true);
    expect(r.stderr).toContain(`was written by an older llmcost and needs an upgrade (schema migration ${pending})`);
    expect(r.stderr).toContain(`llmcost db upgrade --db ${path}`);
    expect(sha(path)).toBe(before);
    const up = sb.run(['db', 'upgrade', '--db', path]);
    expect(up).toMatchObject({ status: 0, stderr: `Upgraded ${path}: applied schema migration ${pending}.\n` });
    expect(sb.run(['db', 'upgrade', '--db', path]).stderr).toBe(`${path} is up to date.\n`);
    // The billed day is now a calendar day: 2026-10-01 in Los Angeles too.
    const la = json<{ rows: { period: string; costNanos: number }[] }>(
      sb.run(['report', '--daily', '--tz', 'America/Los_Angeles', '--db', path, '--json']),
    );
    expect(la.rows.map((x) => [x.period, x.costNanos])).toEqual([['2026-10-01', 5_000_000_000]]);
  });
});

describe('defaults over the last 30 days on data that ended earlier say so', () => {
  it('names the newest day and how many days hold data, and never scales a partial window as whole', () => {
    const rows = ['timestamp,user,model,provider,input_tokens,output_tokens,request_id,cost'];
    for (let d = 24; d <= 31; d++) rows.push(`2026-10-${d}T12:00:00Z,alice,gpt-4o,openai,1000,100,r${d},1.00`);
    expect(sb.run(['ingest', 'csv', csv('late.csv', `${rows.join('\n')}\n`)]).status).toBe(0);
    const env = { LLMCOST_NOW: '2026-11-10T12:00:00Z' };
    const note = 'the last 30 days (30 days) hold 8 days of data (2026-10-24 to 2026-10-31); newest data is 2026-10-31.';
    const pareto = sb.run(['pareto'], { env });
    expect(pareto.status).toBe(0);
    expect(pareto.stderr).toContain(note);
    const unit = sb.run(['unit-cost', '--revenue', '100', '--json'], { env });
    expect(unit.stderr).toContain(note);
    expect(json(unit)).toMatchObject({ measured: { firstDay: '2026-10-24', lastDay: '2026-10-31', days: 8, partial: true } });
    // $8 over 8 days with data is $30 a month, not $8 (as if the 8 days were the whole month).
    const roadmap = json(sb.run(['roadmap', '--json'], { env }));
    expect(roadmap).toMatchObject({ monthlyCostNanos: 30e9, monthlyCostUsd: '30.000000000' });
    // Anomalies score the days with data, not 10 days of $0 after it; a gate on stopped data exits 3.
    const anomalies = sb.run(['anomalies'], { env });
    expect(anomalies.stderr).toContain(`${note} Scored through 2026-10-31.`);
    // (8 days are too little history to score any: 19 days of the window, through 2026-10-31, are left unscored.)
    expect(json<{ unscored: number; range: { until: string } }>(sb.run(['anomalies', '--json'], { env }))).toMatchObject({
      unscored: 19,
      range: { since: '2026-10-12T00:00:00.000Z', until: '2026-11-01T00:00:00.000Z' },
    });
    const gate = sb.run(['anomalies', '--fail-on', 'critical'], { env });
    expect(gate.status).toBe(3);
    expect(gate.stderr).toContain('no usage since 2026-10-31: the data stopped, so recent days cannot be judged.');
  });
});
