import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fixture, json, runAsync, sandbox } from '../helpers/cli.js';

let sb: ReturnType<typeof sandbox>;
beforeEach(() => {
  sb = sandbox();
});
afterEach(() => sb.dispose());

type Row = { model_raw: string; service_tier: string; region: string | null; computed_cost_nanos: number | null; price_ref: string | null };
function rows(db: string): Row[] {
  const Database = createRequire(import.meta.url)('better-sqlite3') as typeof import('better-sqlite3');
  const d = new Database(db, { readonly: true });
  try {
    return d.prepare('SELECT model_raw, service_tier, region, computed_cost_nanos, price_ref FROM usage ORDER BY ts, id').all() as Row[];
  } finally {
    d.close();
  }
}

describe('service tiers (OpenAI usage export: batch and service_tier columns)', () => {
  it('prices flex at batch rates, priority at priority prices, and batch=True as batch whatever service_tier says', () => {
    const r = sb.run(['ingest', 'csv', fixture('csv', 'openai-usage-tiers.csv'), '--json']);
    expect(r.status).toBe(0);
    expect(rows(sb.db).map((x) => [x.service_tier, x.computed_cost_nanos, x.price_ref])).toEqual([
      ['flex', 6_250_000_000, 'openai/gpt-4o+flex'],
      ['priority', 21_250_000_000, 'openai/gpt-4o+priority'],
      ['batch', 6_250_000_000, 'openai/gpt-4o+batch'],
      ['standard', 12_500_000_000, 'openai/gpt-4o'],
    ]);
  });
});

describe('Claude Code inference_geo and service_tier', () => {
  it('prices US-only inference at 1.1x, and reports a priority tier it cannot price', () => {
    const r = sb.run(['ingest', 'claude-code', fixture('claude-code', 'geo'), '--json']);
    expect(r.status).toBe(0);
    expect(json<{ uncertainCosts: unknown[] }>(r).uncertainCosts).toEqual([
      { reason: 'tier-unpriced', reading: 'priority', settledBy: 'standard', records: 1 },
    ]);
    expect(rows(sb.db).map((x) => [x.region, x.computed_cost_nanos, x.price_ref])).toEqual([
      ['us', 109_716_475, 'anthropic/claude-opus-4-6@2026-03-13+geo:us'],
      [null, 99_742_250, 'anthropic/claude-opus-4-6@2026-03-13'],
      [null, 7_500_000, 'anthropic/claude-opus-4-6@2026-03-13;uncertain=tier-unpriced:priority:standard'],
    ]);
    // reprice reads the geo back from the stored region: nothing changes.
    const again = sb.run(['reprice', '--json']);
    expect(json<{ totals: { rowsScanned: number; rowsChanged: number } }>(again).totals).toMatchObject({ rowsScanned: 3, rowsChanged: 0 });
    const table = sb.run(['ingest', 'claude-code', fixture('claude-code', 'geo'), '--force']);
    expect(table.stdout).toContain(
      'Service tier priority unpriced for 1 records (the catalog has no priority price): priced at standard, so likely too low; price_ref marks them.',
    );
  });
});

describe('price files', () => {
  it('applies "provider": "bedrock" entries, also to rows without a provider, and warns about entries that price nothing', () => {
    const prices = join(sb.dir, 'prices.json');
    writeFileSync(
      prices,
      JSON.stringify({
        models: [
          { id: 'anthropic.claude-3-haiku-20240307-v1:0', provider: 'bedrock', prices: { input: 0.2, output: 1 } },
          { id: 'gpt-4o-mni', provider: 'openai', prices: { input: 0.1, output: 0.4 } },
        ],
      }),
    );
    const csv = join(sb.dir, 'usage.csv');
    writeFileSync(
      csv,
      'timestamp,provider,model,input_tokens,output_tokens\n2026-10-05T10:00:00Z,bedrock,anthropic.claude-3-haiku-20240307-v1:0,1000000,0\n2026-10-05T11:00:00Z,,anthropic.claude-3-haiku-20240307-v1:0,1000000,0\n',
    );
    const r = sb.run(['ingest', 'csv', csv, '--prices', prices, '--json']);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe(
      `Warning: ${prices}: models[1] "gpt-4o-mni" (provider openai) matches no model in the catalog and no record ingested: it prices nothing. Check its id, match and provider.\n`,
    );
    expect(rows(sb.db).map((x) => [x.computed_cost_nanos, x.price_ref])).toEqual([
      [200_000_000, 'user:aws/anthropic.claude-3-haiku-20240307-v1:0'],
      [200_000_000, 'user:aws/anthropic.claude-3-haiku-20240307-v1:0'],
    ]);
  });

  it('reads a LiteLLM model_prices_and_context_window.json with --prices and prices update', () => {
    const file = fixture('prices', 'litellm-model-prices.json');
    const shown = sb.run(['prices', 'us.anthropic.claude-sonnet-4-5-20250929-v1:0', '--prices', file, '--json']);
    expect(shown.status).toBe(0);
    expect(json(shown)).toMatchObject({ source: 'user', provider: 'aws', prices: [{ input: { base: 3.3 }, cacheWrite1h: { base: 6.6 } }] });
    const update = sb.run(['prices', 'update', file]);
    expect(update.status).toBe(0);
    expect(update.stderr).toContain('Loaded 4 models from');
    const gpt = json(sb.run(['prices', 'gpt-4o', '--json']));
    expect(gpt).toMatchObject({ source: expect.stringMatching(/^litellm@file:/), prices: [{ input: 2.5, output: 10, cacheRead: 1.25 }] });
  });
});

// A local Bedrock control plane (restJson1 over HTTP/1.1); the real SDK client signs and pages against it.
describe('prices map-profiles', () => {
  let server: Server;
  let port = 0;
  let requests: { method: string; url: string; auth: string }[] = [];
  const arn = (id: string) => `arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/${id}`;
  const fm = (region: string, model: string) => ({ modelArn: `arn:aws:bedrock:${region}::foundation-model/${model}` });
  beforeAll(async () => {
    server = createServer((req, res) => {
      requests.push({ method: req.method ?? '', url: req.url ?? '', auth: String(req.headers.authorization ?? '') });
      const url = new URL(req.url ?? '/', 'http://x');
      const first = !url.searchParams.get('nextToken');
      const summary = (id: string, name: string, models: { modelArn: string }[]) => ({
        inferenceProfileName: name,
        inferenceProfileArn: arn(id),
        inferenceProfileId: id,
        models,
        status: 'ACTIVE',
        type: 'APPLICATION',
        createdAt: '2026-09-01T10:00:00Z',
        updatedAt: '2026-09-01T10:00:00Z',
      });
      const body = first
        ? {
            inferenceProfileSummaries: [
              summary('a1b2c3d4e5f6', 'support-bot', [fm('us-east-1', 'anthropic.claude-3-haiku-20240307-v1:0')]),
            ],
            nextToken: 'page-2',
          }
        : {
            inferenceProfileSummaries: [
              summary('f6e5d4c3b2a1', 'search', [
                fm('us-east-1', 'anthropic.claude-sonnet-4-5-20250929-v1:0'),
                fm('us-east-2', 'anthropic.claude-sonnet-4-5-20250929-v1:0'),
                fm('us-west-2', 'anthropic.claude-sonnet-4-5-20250929-v1:0'),
              ]),
            ],
          };
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => server.close());
  beforeEach(() => {
    requests = [];
  });
  const env = (): Record<string, string> => ({
    AWS_ENDPOINT_URL_BEDROCK: `http://127.0.0.1:${port}`,
    AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'secret',
    AWS_REGION: 'us-east-1',
  });

  it('lists application profiles page by page and prints the mapping', async () => {
    const r = await runAsync(sb, ['prices', 'map-profiles', '--json'], { env: env() });
    expect(r.status).toBe(0);
    expect(requests.map((q) => [q.method, q.url])).toEqual([
      ['GET', '/inference-profiles?maxResults=100&type=APPLICATION'],
      ['GET', '/inference-profiles?maxResults=100&nextToken=page-2&type=APPLICATION'],
    ]);
    expect(requests[0]?.auth).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/us-east-1\/bedrock\/aws4_request/);
    expect(json(r)).toMatchObject({
      kind: 'inference-profiles',
      region: 'us-east-1',
      inferenceProfiles: {
        a1b2c3d4e5f6: 'anthropic.claude-3-haiku-20240307-v1:0',
        f6e5d4c3b2a1: 'anthropic.claude-sonnet-4-5-20250929-v1:0',
      },
      written: null,
    });
  });

  it('--write merges the mapping into the config, keeping its other keys, and ingest prices the profile ARN', async () => {
    const config = join(sb.dir, 'llmcost.config.json');
    writeFileSync(config, JSON.stringify({ timezone: 'UTC', inferenceProfiles: { abcdefabcdef: 'amazon.nova-lite-v1:0' } }));
    const r = await runAsync(sb, ['prices', 'map-profiles', '--write', '--json'], { env: env() });
    expect(r.status).toBe(0);
    expect(JSON.parse(readFileSync(config, 'utf8'))).toEqual({
      timezone: 'UTC',
      inferenceProfiles: {
        abcdefabcdef: 'amazon.nova-lite-v1:0',
        a1b2c3d4e5f6: 'anthropic.claude-3-haiku-20240307-v1:0',
        f6e5d4c3b2a1: 'anthropic.claude-sonnet-4-5-20250929-v1:0',
      },
    });
    const csv = join(sb.dir, 'usage.csv');
    writeFileSync(csv, `timestamp,model,input_tokens,output_tokens\n2026-10-05T10:00:00Z,${arn('a1b2c3d4e5f6')},1000000,1000000\n`);
    expect(sb.run(['ingest', 'csv', csv]).status).toBe(0);
    expect(rows(sb.db).map((x) => [x.computed_cost_nanos, x.region])).toEqual([[1_500_000_000, 'us-east-1']]);
  });

  it('refuses a config it cannot read before calling AWS', async () => {
    writeFileSync(join(sb.dir, 'llmcost.config.json'), JSON.stringify({ inferenceProfiles: { 'not a profile': 'x' } }));
    const r = await runAsync(sb, ['prices', 'map-profiles', '--write'], { env: env() });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('inferenceProfiles.not a profile: expected an application inference profile id');
    expect(requests).toEqual([]);
  });
});
