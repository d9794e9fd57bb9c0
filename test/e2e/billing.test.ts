import { existsSync } from 'node:fs';
// The bill is counted once: one identity per billing line whatever the grouping, CUR over Cost Explorer for the same
// days and account, summaries equal to what was stored, and remote failures that name the call.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fixture, json, runAsync, sandbox, storedRequests } from '../helpers/cli.js';

type Body = Record<string, unknown>;
type Reply = { status: number; type: string; body: string };
/** The local Cost Explorer's answer to one call (awsJson1_1); the real SDK client signs and sends to it. */
let answer: (operation: string, body: Body) => unknown | Reply;
let calls: { operation: string; body: Body }[] = [];
let server: Server;
let port = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    let raw = '';
    req.on('data', (d) => {
      raw += d;
    });
    req.on('end', () => {
      const operation = String(req.headers['x-amz-target'] ?? '').replace(/^AWSInsightsIndexService\./, '');
      const body = raw ? (JSON.parse(raw) as Body) : {};
      calls.push({ operation, body });
      const out = answer(operation, body);
      const reply = isReply(out) ? out : { status: 200, type: 'application/x-amz-json-1.1', body: JSON.stringify(out) };
      res.writeHead(reply.status, { 'content-type': reply.type });
      res.end(reply.body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => server.close());

function isReply(x: unknown): x is Reply {
  return typeof x === 'object' && x !== null && 'status' in x && 'type' in x;
}

const BEDROCK = 'Amazon Bedrock';
const OPUS = 'Claude Opus 4.5 (Amazon Bedrock Edition)';
const group = (keys: string[], amount: string, quantity: string) => ({
  Keys: keys,
  Metrics: { UnblendedCost: { Amount: amount, Unit: 'USD' }, UsageQuantity: { Amount: quantity, Unit: 'N/A' } },
});
const day = (start: string, end: string, groups: unknown[], estimated = false) => ({
  TimePeriod: { Start: start, End: end },
  Total: {},
  Groups: groups,
  Estimated: estimated,
});
const keysOf = (body: Body): string[] => ((body.GroupBy ?? []) as { Key: string }[]).map((g) => g.Key);
const servicesOf = (body: Body): string[] => (body.Filter as { Dimensions: { Values: string[] } }).Dimensions.Values;

/**
 * One day of Nova Lite, $10.00 in all, answered in whatever grouping was asked for: by SERVICE, by the team tag
 * (search $5 + research $1 input, search $4 output), or by linked account (two accounts, the second $2 more).
 */
function novaLite(extraDays: unknown[] = []) {
  return (operation: string, body: Body): unknown => {
    if (operation === 'GetDimensionValues') return { DimensionValues: [{ Value: BEDROCK }], ReturnSize: 1, TotalSize: 1 };
    const [first] = keysOf(body);
    const groups =
      first === 'SERVICE'
        ? [
            group([BEDROCK, 'USE1-NovaLite-input-tokens'], '6.00', '100000'),
            group([BEDROCK, 'USE1-NovaLite-output-tokens'], '4.00', '16666.666667'),
          ]
        : first === 'team'
          ? [
              group(['team$search', 'USE1-NovaLite-input-tokens'], '5.00', '83333.333333'),
              group(['team$research', 'USE1-NovaLite-input-tokens'], '1.00', '16666.666667'),
              group(['team$search', 'USE1-NovaLite-output-tokens'], '4.00', '16666.666667'),
            ]
          : [
              group(['111122223333', 'USE1-NovaLite-input-tokens'], '6.00', '100000'),
              group(['111122223333', 'USE1-NovaLite-output-tokens'], '4.00', '16666.666667'),
              group(['444455556666', 'USE1-NovaLite-input-tokens'], '2.00', '33333.333333'),
            ];
    return { ResultsByTime: [day('2026-10-05', '2026-10-06', groups), ...extraDays] };
  };
}

let sb: ReturnType<typeof sandbox>;
beforeEach(() => {
  sb = sandbox();
  calls = [];
  answer = novaLite();
});
afterEach(() => sb.dispose());

const env = (): Record<string, string> => ({
  AWS_ENDPOINT_URL_COST_EXPLORER: `http://127.0.0.1:${port}`,
  AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'secret',
  AWS_REGION: 'us-east-1',
});
const ce = (extra: string[] = []) =>
  runAsync(sb, ['ingest', 'cost-explorer', '--since', '2026-10-05', '--until', '2026-10-06', '--json', ...extra], { env: env() });
const cur = () => sb.run(['ingest', 'csv', '--preset', 'cur', fixture('cur', 'nova-lite-2026-10-05.csv'), '--json']);
const billed = (): number => json<{ totals: { costNanos: number } }>(sb.run(['report', '--basis', 'billed', '--json'])).totals.costNanos;

/** Billing rows and cost as stored, raw and in the hourly rollup (which must stay equal). */
function stored(): { rows: number; raw: number; rollup: number } {
  const db = new Database(sb.db, { readonly: true });
  try {
    const q = (sql: string) => Number((db.prepare(sql).get() as { n: number | null }).n ?? 0);
    return {
      rows: q("SELECT COUNT(*) AS n FROM usage WHERE source = 'cost-explorer'"),
      raw: q('SELECT SUM(cost_nanos) AS n FROM usage'),
      rollup: q('SELECT SUM(cost_nanos) AS n FROM usage_hourly'),
    };
  } finally {
    db.close();
  }
}

describe('the bill is counted once', () => {
  it('by service, then by tag, then a CUR for the same day: $10, with what was replaced and superseded', async () => {
    const bySvc = await ce();
    expect(bySvc.status).toBe(0);
    expect(json(bySvc)).toMatchObject({ rows: 2, replaced: 0, billedNanos: 10_000_000_000 });
    expect(billed()).toBe(10_000_000_000);

    const byTag = await ce(['--tag', 'team']);
    expect(byTag.status).toBe(0);
    expect(json(byTag)).toMatchObject({ rows: 3, replaced: 2, replacedNanos: 10_000_000_000, billedNanos: 10_000_000_000 });
    expect(billed()).toBe(10_000_000_000);
    const teams = json<{ rows: { group: { team: string }; costNanos: number }[] }>(
      sb.run(['report', '--basis', 'billed', '--by', 'team', '--json']),
    ).rows.map((r) => [r.group.team, r.costNanos]);
    expect(teams).toEqual([
      ['search', 9_000_000_000],
      ['research', 1_000_000_000],
    ]);

    const r = cur();
    expect(r.status).toBe(0);
    expect(json(r)).toMatchObject({
      totals: { read: 4, inserted: 4 },
      files: [{ superseded: { rows: 3, billedNanos: 10_000_000_000, days: ['2026-10-05'] } }],
    });
    // The same file again supersedes nothing more.
    expect(sb.run(['ingest', 'csv', '--preset', 'cur', fixture('cur', 'nova-lite-2026-10-05.csv'), '--force']).stdout).not.toContain(
      'supersedes',
    );
    expect(billed()).toBe(10_000_000_000);
    expect(stored()).toEqual({ rows: 0, raw: 10_000_000_000, rollup: 10_000_000_000 });
  });

  it('the other order: Cost Explorer skips the days a CUR already covers, and says so', async () => {
    answer = novaLite([day('2026-10-06', '2026-10-07', [group([BEDROCK, 'USE1-NovaLite-input-tokens'], '7.00', '116666.666667')])]);
    expect(cur().status).toBe(0);
    const bySvc = await runAsync(
      sb,
      ['ingest', 'cost-explorer', '--since', '2026-10-05', '--until', '2026-10-06', '--service', BEDROCK, '--json'],
      { env: env() },
    );
    expect(json(bySvc)).toMatchObject({
      rows: 1,
      billedNanos: 7_000_000_000,
      supersededByCur: { rows: 2, billedNanos: 10_000_000_000, days: ['2026-10-05'] },
    });
    const table = await runAsync(sb, ['ingest', 'cost-explorer', '--since', '2026-10-05', '--until', '2026-10-06', '--service', BEDROCK], {
      env: env(),
    });
    expect(table.stdout).toContain('2 rows ($10.00) not stored: a CUR covers 2026-10-05');
    const byTag = await ce(['--tag', 'team']);
    expect(json(byTag)).toMatchObject({ rows: 1, replaced: 1, supersededByCur: { rows: 3, days: ['2026-10-05'] } });
    expect(billed()).toBe(17_000_000_000); // the CUR's $10 for the 5th, Cost Explorer's $7 for the 6th
    expect(stored()).toEqual({ rows: 1, raw: 17_000_000_000, rollup: 17_000_000_000 });
  });

  it('a CUR supersedes only its own account, in either order: other linked accounts keep Cost Explorer figures', async () => {
    expect(json(await ce(['--linked-account']))).toMatchObject({ rows: 3, billedNanos: 12_000_000_000 });
    const r = sb.run(['ingest', 'csv', '--preset', 'cur', fixture('cur', 'nova-lite-2026-10-05.csv')]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(
      'nova-lite-2026-10-05.csv supersedes 2 Cost Explorer rows ($10.00) on 2026-10-05: the CUR is the finalized bill.',
    );
    expect(billed()).toBe(12_000_000_000);
    const again = await ce(['--linked-account']);
    expect(json(again)).toMatchObject({
      rows: 1,
      replaced: 1,
      billedNanos: 2_000_000_000,
      supersededByCur: { rows: 2, billedNanos: 10_000_000_000 },
    });
    const gcu = calls.filter((c) => c.operation === 'GetCostAndUsage');
    expect(gcu.map((c) => [servicesOf(c.body), keysOf(c.body)])).toEqual([
      [[BEDROCK], ['LINKED_ACCOUNT', 'USAGE_TYPE']],
      [[BEDROCK], ['LINKED_ACCOUNT', 'USAGE_TYPE']],
    ]);
    expect(billed()).toBe(12_000_000_000);
    expect(stored()).toEqual({ rows: 1, raw: 12_000_000_000, rollup: 12_000_000_000 });
  });
});

describe('ingest cost-explorer --tag keeps the service of every line', () => {
  it('queries one service per call, so Marketplace (MP:) lines keep their model', async () => {
    answer = (operation, body) => {
      if (operation === 'GetDimensionValues') return { DimensionValues: [{ Value: BEDROCK }, { Value: OPUS }] };
      const [service] = servicesOf(body);
      const groups =
        service === OPUS
          ? [group(['team$research', 'USE1-MP:USE1_InputTokenCount-Units'], '20.3171045', '4.06342')]
          : [group(['team$search', 'USE1-NovaLite-input-tokens'], '6.00', '100000')];
      return { ResultsByTime: [day('2026-10-05', '2026-10-06', groups, true)] };
    };
    const r = await ce(['--tag', 'team']);
    expect(r.status).toBe(0);
    expect(json(r)).toMatchObject({ services: [BEDROCK, OPUS], rows: 2, billedNanos: 26_317_104_500 });
    const gcu = calls.filter((c) => c.operation === 'GetCostAndUsage');
    expect(gcu.map((c) => c.body)).toEqual([
      expect.objectContaining({
        Filter: { Dimensions: { Key: 'SERVICE', Values: [BEDROCK] } },
        GroupBy: [
          { Type: 'TAG', Key: 'team' },
          { Type: 'DIMENSION', Key: 'USAGE_TYPE' },
        ],
      }),
      expect.objectContaining({
        Filter: { Dimensions: { Key: 'SERVICE', Values: [OPUS] } },
        GroupBy: [
          { Type: 'TAG', Key: 'team' },
          { Type: 'DIMENSION', Key: 'USAGE_TYPE' },
        ],
      }),
    ]);
    type Rep = { rows: { group: { model: string; team: string }; costNanos: number; inputTokens: number }[] };
    const rows = json<Rep>(sb.run(['report', '--basis', 'billed', '--by', 'model,team', '--json'])).rows;
    expect(rows.map((x) => [x.group.model, x.group.team, x.costNanos, x.inputTokens])).toEqual([
      ['claude-opus-4-5', 'research', 20_317_104_500, 4_063_420],
      ['nova-lite', 'search', 6_000_000_000, 100_000_000],
    ]);
  });

  it('--dry-run lists one request per named service', async () => {
    const r = await ce(['--dry-run', '--service', BEDROCK, '--service', OPUS, '--tag', 'team']);
    const requests = json<{ requests: Body[] }>(r).requests;
    expect(requests.map((b) => [servicesOf(b), keysOf(b)])).toEqual([
      [[BEDROCK], ['team', 'USAGE_TYPE']],
      [[OPUS], ['team', 'USAGE_TYPE']],
    ]);
    expect(calls).toEqual([]);
  });
});

describe('ingest cost-explorer summary equals what was stored', () => {
  it('sums two groups with identical keys in one period into one row', async () => {
    answer = () => ({
      ResultsByTime: [
        day('2026-10-05', '2026-10-06', [
          group([BEDROCK, 'USE1-NovaLite-input-tokens'], '1.50', '25000'),
          group([BEDROCK, 'USE1-NovaLite-input-tokens'], '0.90', '15000'),
          group([BEDROCK, 'USE1-NovaLite-output-tokens'], '0.24', '1000'),
        ]),
      ],
    });
    const r = json<{ rows: number; mergedGroups: number; billedNanos: number }>(await ce(['--service', BEDROCK]));
    expect(r).toMatchObject({ rows: 2, mergedGroups: 1, billedNanos: 2_640_000_000 });
    expect(stored()).toEqual({ rows: 2, raw: 2_640_000_000, rollup: 2_640_000_000 });
    expect(billed()).toBe(r.billedNanos);
    const tokens = json<{ totals: { inputTokens: number } }>(sb.run(['report', '--basis', 'billed', '--json'])).totals;
    expect(tokens.inputTokens).toBe(40_000_000);
  });
});

describe('ingest cost-explorer when the endpoint answers a page instead of JSON', () => {
  const html = (status: number): Reply => ({
    status,
    type: 'text/html',
    body: `<!doctype html><html><head><title>${status}</title></head><body><h1>Bad Gateway</h1></body></html>`,
  });

  it('names GetDimensionValues and how to skip it, exits 4', async () => {
    answer = () => html(502);
    const r = await ce();
    expect(r.status).toBe(4);
    expect(r.stderr).toContain(
      'llmcost: Cost Explorer GetDimensionValues failed: the endpoint answered HTTP 502 with a body that is not JSON',
    );
    expect(r.stderr).toContain('To skip this discovery call, name the services: --service "Amazon Bedrock" (repeatable).');
    expect(r.stderr).toContain('AWS_ENDPOINT_URL_COST_EXPLORER');
    expect(r.stderr).not.toContain('internal error');
  });

  it('names GetCostAndUsage, exits 4 and stores nothing', async () => {
    answer = () => html(403);
    const r = await ce(['--service', BEDROCK]);
    expect(r.status).toBe(4);
    expect(r.stderr).toContain(
      'llmcost: Cost Explorer GetCostAndUsage failed: the endpoint answered HTTP 403 with a body that is not JSON',
    );
    expect(r.stderr).not.toContain('--service "Amazon Bedrock"');
    expect(storedRequests(sb.db)).toBe(0);
    expect(existsSync(sb.db)).toBe(false); // the call failed before anything was opened
  });
});
