import { writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fixture, json, runAsync, sandbox, storedRequests } from '../helpers/cli.js';

// A local Cost Explorer (awsJson1_1 over HTTP/1.1); the real SDK client signs and pages against it.
type Call = { target: string; body: Record<string, unknown>; headers: IncomingHttpHeaders };
let server: Server;
let port = 0;
let calls: Call[] = [];
let amounts = { day1: '10.00', haikuOut: '2.50', opus: '20.3171045' };
let fail: string | undefined;
/** When set, GetCostAndUsage answers this single page instead of the default two. */
let page: unknown;

const group = (keys: string[], amount: string, quantity: string) => ({
  Keys: keys,
  Metrics: { UnblendedCost: { Amount: amount, Unit: 'USD' }, UsageQuantity: { Amount: quantity, Unit: 'N/A' } },
});

function answer(target: string, body: Record<string, unknown>): unknown {
  if (target.endsWith('GetDimensionValues')) {
    return {
      DimensionValues: [{ Value: 'Amazon Bedrock' }, { Value: 'Claude Opus 4.5 (Amazon Bedrock Edition)' }],
      ReturnSize: 2,
      TotalSize: 2,
    };
  }
  if (page) return page;
  // Two pages: the second only when the SDK sends the first page's token back.
  if (!body.NextPageToken) {
    return {
      NextPageToken: 'page-2',
      GroupDefinitions: [
        { Type: 'DIMENSION', Key: 'SERVICE' },
        { Type: 'DIMENSION', Key: 'USAGE_TYPE' },
      ],
      ResultsByTime: [
        {
          TimePeriod: { Start: '2026-10-05', End: '2026-10-06' },
          Total: {},
          Groups: [
            // 2,000 units of 1K tokens = 2,000,000 input tokens.
            group(['Amazon Bedrock', 'USE1-Claude3Haiku-input-tokens'], amounts.day1, '2000'),
            group(['Amazon Bedrock', 'USE1-Claude3Haiku-output-tokens'], amounts.haikuOut, '400'),
          ],
          Estimated: false,
        },
      ],
    };
  }
  return {
    ResultsByTime: [
      {
        TimePeriod: { Start: '2026-10-06', End: '2026-10-07' },
        Total: {},
        // Marketplace: units are millions of tokens.
        Groups: [group(['Claude Opus 4.5 (Amazon Bedrock Edition)', 'USE1-MP:USE1_InputTokenCount-Units'], amounts.opus, '4.06342')],
        Estimated: true,
      },
    ],
  };
}

beforeAll(async () => {
  server = createServer((req, res) => {
    let raw = '';
    req.on('data', (d) => {
      raw += d;
    });
    req.on('end', () => {
      const target = String(req.headers['x-amz-target'] ?? '');
      const body = raw ? JSON.parse(raw) : {};
      calls.push({ target, body, headers: req.headers });
      if (fail) {
        res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(
          JSON.stringify({
            __type: fail,
            message: 'User: arn:aws:iam::111122223333:user/ci is not authorized to perform: ce:GetCostAndUsage',
          }),
        );
        return;
      }
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(JSON.stringify(answer(target, body)));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => server.close());

let sb: ReturnType<typeof sandbox>;
beforeEach(() => {
  sb = sandbox();
  calls = [];
  fail = undefined;
  page = undefined;
  amounts = { day1: '10.00', haikuOut: '2.50', opus: '20.3171045' };
});
afterEach(() => sb.dispose());

const env = (): Record<string, string> => ({
  AWS_ENDPOINT_URL_COST_EXPLORER: `http://127.0.0.1:${port}`,
  AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'secret',
  AWS_REGION: 'us-east-1',
});
const ingest = (extra: string[] = []) =>
  runAsync(sb, ['ingest', 'cost-explorer', '--since', '2026-10-01', '--until', '2026-10-31', '--json', ...extra], { env: env() });
type Report = {
  basis: string;
  rows: { group: Record<string, string>; costNanos: number; inputTokens: number; outputTokens: number }[];
  totals: { costNanos: number };
};

describe('ingest cost-explorer', () => {
  it('pages through GetCostAndUsage with the SDK and stores the bill per service and usage type', async () => {
    const r = await ingest();
    expect(r.status).toBe(0);
    // The SDK's notice that its 2027 releases will need Node 22 is not for users of a supported Node (README).
    expect(r.stderr).toBe('');
    expect(json(r)).toMatchObject({
      rows: 3,
      replaced: 0,
      billedNanos: 32_817_104_500,
      estimatedPeriods: ['2026-10-06'],
      services: ['Amazon Bedrock', 'Claude Opus 4.5 (Amazon Bedrock Edition)'],
    });
    // What the SDK sent: the services found, both group-bys, UsageQuantity, an exclusive End, and the page token.
    const ce = calls.filter((c) => c.target === 'AWSInsightsIndexService.GetCostAndUsage');
    expect(ce).toHaveLength(2);
    expect(ce[0]?.body).toMatchObject({
      TimePeriod: { Start: '2026-10-01', End: '2026-11-01' },
      Granularity: 'DAILY',
      Metrics: ['UnblendedCost', 'UsageQuantity'],
      Filter: { Dimensions: { Key: 'SERVICE', Values: ['Amazon Bedrock', 'Claude Opus 4.5 (Amazon Bedrock Edition)'] } },
      GroupBy: [
        { Type: 'DIMENSION', Key: 'SERVICE' },
        { Type: 'DIMENSION', Key: 'USAGE_TYPE' },
      ],
    });
    expect(ce[0]?.body.NextPageToken).toBeUndefined();
    expect(ce[1]?.body.NextPageToken).toBe('page-2');
    expect(String(ce[0]?.headers.authorization)).toMatch(/Credential=AKIDEXAMPLE\/\d{8}\/us-east-1\/ce\/aws4_request/);

    // With no request-level usage the reports use the bill, and say so.
    const rep = json<Report>(sb.run(['report', '--by', 'model', '--json']));
    expect(rep.basis).toBe('billed');
    expect((rep as unknown as { estimatedBillingDays: string[] }).estimatedBillingDays).toEqual(['2026-10-06']);
    expect(sb.run(['report', '--by', 'model']).stdout).toContain('Estimated by Cost Explorer (may be restated): 2026-10-06.');
    expect(rep.rows.map((x) => [x.group.model, x.costNanos, x.inputTokens, x.outputTokens])).toEqual([
      ['claude-opus-4-5', 20_317_104_500, 4_063_420, 0],
      ['claude-3-haiku', 12_500_000_000, 2_000_000, 400_000],
    ]);
  });

  it('replaces a restated period instead of adding to it', async () => {
    await ingest();
    amounts = { day1: '11.00', haikuOut: '2.50', opus: '21.00' };
    const again = await ingest();
    expect(json(again)).toMatchObject({ rows: 3, replaced: 3 });
    expect(json<Report>(sb.run(['report', '--json'])).totals.costNanos).toBe(34_500_000_000);
  });

  it("never double counts, never drops: logs where they cover a provider's day, the bill elsewhere; --basis picks one", async () => {
    await ingest();
    expect(sb.run(['ingest', 'csv', fixture('csv', 'basic.csv')]).status).toBe(0);
    // basic.csv logs openai, anthropic, google and one Bedrock request on 2026-10-02; the bill is Bedrock on
    // 2026-10-05 and 10-06, days without Bedrock logs: both count.
    const mixed = json<Report & { basis: string; billedDays: unknown }>(sb.run(['report', '--json']));
    expect(mixed.totals.costNanos).toBe(4_874_835_350 + 32_817_104_500);
    expect(mixed.basis).toBe('mixed');
    expect(mixed.billedDays).toEqual([{ provider: 'aws', days: ['2026-10-05', '2026-10-06'] }]);
    expect(json<Report>(sb.run(['report', '--basis', 'usage', '--json'])).totals.costNanos).toBe(4_874_835_350);
    expect(json<Report>(sb.run(['report', '--basis', 'billed', '--json'])).totals.costNanos).toBe(32_817_104_500);
  });

  it('prints the request with --dry-run and sends nothing', async () => {
    const r = await ingest(['--dry-run', '--service', 'Amazon Bedrock', '--tag', 'team']);
    expect(json(r)).toMatchObject({
      request: { Filter: { Dimensions: { Values: ['Amazon Bedrock'] } }, GroupBy: [{ Type: 'TAG', Key: 'team' }, { Key: 'USAGE_TYPE' }] },
    });
    expect(calls).toEqual([]);
  });

  it('names the IAM action when access is denied, exits 4 and stores nothing', async () => {
    fail = 'AccessDeniedException';
    const r = await ingest();
    expect(r.status).toBe(4);
    expect(r.stderr).toContain('Access denied by Cost Explorer');
    expect(r.stderr).toContain('ce:GetCostAndUsage');
    expect(storedRequests(sb.db)).toBe(0);
    expect(sb.run(['report', '--basis', 'billed', '--json']).status).toBe(3);
  });
});

describe('reconcile', () => {
  it('puts logged, computed and billed side by side per day and model, and gates on --threshold', async () => {
    expect(
      sb.run(['ingest', 'bedrock-log', fixture('bedrock-log', 'AWSLogs'), fixture('bedrock-log', 'cloudwatch-insights.jsonl')]).status,
    ).toBe(0);
    // Logs that run from before the 5th to after the 6th: both days are whole days of logs, so both are compared.
    const edges = join(sb.dir, 'edges.csv');
    writeFileSync(
      edges,
      'timestamp,model,provider,input_tokens,output_tokens,request_id\n2026-10-04T00:10:00Z,amazon.nova-lite-v1:0,bedrock,10,1,e1\n2026-10-07T23:50:00Z,amazon.nova-lite-v1:0,bedrock,10,1,e2\n',
    );
    expect(sb.run(['ingest', 'csv', edges]).status).toBe(0);
    page = {
      ResultsByTime: [
        {
          TimePeriod: { Start: '2026-10-05', End: '2026-10-06' },
          Groups: [
            group(['Amazon Bedrock', 'USE1-NovaLite-input-tokens'], '0.00024', '4'),
            group(['Amazon Bedrock', 'USE1-NovaLite-output-tokens'], '0.0000912', '0.38'),
          ],
          Estimated: false,
        },
        // A planted gap: $0.000900 billed for Haiku against $0.000675 computed from the logs.
        {
          TimePeriod: { Start: '2026-10-06', End: '2026-10-07' },
          Groups: [group(['Amazon Bedrock', 'USE1-Claude3Haiku-input-tokens'], '0.0009', '1.2')],
          Estimated: true,
        },
      ],
    };
    expect((await ingest()).status).toBe(0);
    const args = ['reconcile', '--since', '2026-10-05', '--until', '2026-10-06', '--by-model', '--json'];
    const r = sb.run([...args, '--threshold', '10%']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('reconcile gap over --threshold on 1 line(s)');
    type Line = {
      day: string;
      model: string;
      computedNanos: number;
      billedNanos: number | null;
      gapNanos: number | null;
      gapPct: number | null;
      explanations: string[];
      explainedBy: { code: string; text: string }[];
    };
    const lines = json<{ lines: Line[] }>(r).lines.map((l) => [l.day, l.model, l.computedNanos, l.billedNanos, l.gapNanos, l.gapPct]);
    expect(lines).toEqual([
      ['2026-10-05', 'claude-sonnet-4-20250514', 2_292_000, null, null, null],
      ['2026-10-05', 'claude-sonnet-4-5-20250929', 96_185_250, null, null, null],
      ['2026-10-05', 'nova-lite', 331_200, 331_200, 0, 0],
      ['2026-10-06', 'claude-3-haiku', 675_000, 900_000, 225_000, 0.25],
      ['2026-10-06', 'llama3-70b-instruct', 36_160_000, null, null, null],
    ]);
    const haiku = json<{ lines: Line[] }>(r).lines.find((l) => l.model === 'claude-3-haiku');
    expect(haiku?.explanations).toContain('bill estimated (Cost Explorer may restate it)');
    expect(haiku?.explainedBy).toContainEqual({ code: 'BILL_ESTIMATED', text: 'bill estimated (Cost Explorer may restate it)' });
    expect(sb.run([...args, '--threshold', '30%']).status).toBe(0);
  });

  it('has nothing to reconcile without a bill (exit 3), and never compares a partial day of logs', async () => {
    expect(sb.run(['ingest', 'bedrock-log', fixture('bedrock-log', 'cloudwatch-insights.jsonl')]).status).toBe(0);
    const none = sb.run(['reconcile', '--since', '2026-10-01', '--until', '2026-10-31', '--threshold', '5%']);
    expect(none).toMatchObject({ status: 3, stdout: '' });
    expect(none.stderr).toContain(
      'llmcost: Nothing billed to compare with: no Cost Explorer or CUR rows of aws between 2026-10-01 and 2026-10-31.',
    );
    page = {
      ResultsByTime: [
        {
          TimePeriod: { Start: '2026-10-06', End: '2026-10-07' },
          Groups: [group(['Amazon Bedrock', 'USE1-Claude3Haiku-input-tokens'], '0.0009', '1.2')],
          Estimated: false,
        },
      ],
    };
    expect((await ingest()).status).toBe(0);
    // The logs of that file begin and end inside 2026-10-06: a partial day is shown, but not judged.
    const r = sb.run(['reconcile', '--since', '2026-10-06', '--until', '2026-10-06', '--threshold', '5%']);
    expect(r.status).toBe(3);
    expect(r.stderr).toContain('no day has both whole-day request logs and a bill');
    expect(r.stdout).toMatch(/2026-10-06 .*\$0\.0009 .*a partial day of logs, not compared/);
    expect(r.stdout).not.toContain('All 0');
  });
});

describe('ingest csv --preset cur', () => {
  it('reads legacy and CUR 2.0 columns, keeps Bedrock usage lines only, dedupes line items', () => {
    const r = sb.run(['ingest', 'csv', '--preset', 'cur', fixture('cur', 'cur-legacy.csv'), fixture('cur', 'cur2.csv'), '--json']);
    expect(r.status).toBe(0);
    expect(json(r)).toMatchObject({ totals: { read: 8, inserted: 7, duplicate: 1, rejected: 0 } });
    const rep = json<Report>(sb.run(['report', '--by', 'user,model', '--json']));
    expect(rep.basis).toBe('billed');
    expect(rep.totals.costNanos).toBe(1_474_931_200); // $0.0039312 + $1.471
    expect(rep.rows.map((x) => [x.group.user, x.group.model, x.costNanos, x.inputTokens, x.outputTokens])).toEqual([
      ['user/bob', 'claude-opus-4-6', 1_188_000_000, 39_600, 39_600],
      ['user/alice', 'claude-sonnet-4-6', 283_000_000, 23_000, 14_267],
      ['', 'claude-opus-4-5', 3_600_000, 1_200, 0], // Marketplace usage amounts are millions of tokens
      ['', 'nova-lite', 331_200, 4_000, 380],
    ]);
    const teams = json<Report>(sb.run(['report', '--by', 'team', '--json'])).rows.map((x) => [x.group.team, x.costNanos]);
    expect(teams).toEqual([
      ['research', 1_191_600_000],
      ['search', 283_331_200],
    ]);
    expect(json(sb.run(['ingest', 'csv', '--preset', 'cur', fixture('cur', 'cur2.csv'), '--force', '--json']))).toMatchObject({
      totals: { inserted: 0, duplicate: 4 },
    });
  });

  it('is detected from its header, and rejects a CSV that is not a CUR', () => {
    const r = sb.run(['ingest', fixture('cur', 'cur2.csv')]);
    expect(r.stderr).toContain('detected cur');
    expect(sb.run(['ingest', 'csv', '--preset', 'cur', fixture('csv', 'basic.csv')])).toMatchObject({
      status: 2,
      stderr: expect.stringContaining('not a Cost and Usage Report'),
    });
  });
});
