import { describe, expect, it } from 'vitest';
import { embeddedCatalog } from '../pricing/catalog.js';
import { Pricer } from '../pricing/pricer.js';
import { dedupeKey, toRow } from './pipeline.js';
import type { UsageRecord } from './types.js';

const pricer = new Pricer(embeddedCatalog());
// Claude 3.5 Haiku on Bedrock (us-west-2): $0.80 input, $0.08 cache read, $1.00 cache write, $4.00 output per MTok.
const haiku = (over: Partial<UsageRecord> = {}): UsageRecord => ({
  ts: Date.UTC(2026, 9, 9, 9),
  sourceId: 'r',
  provider: 'bedrock',
  model: 'bedrock/us.anthropic.claude-3-5-haiku-20241022-v1:0',
  region: 'us-west-2',
  requests: 1,
  inputTokens: 1000,
  outputTokens: 500,
  cacheReadTokens: 3000,
  cacheWriteTokens: 1000,
  cacheWrite1hTokens: 0,
  ...over,
});
const row = (r: UsageRecord) => toRow(r, 'litellm', 1, pricer, dedupeKey('litellm', r, 0));
const split = { reason: 'litellm-prompt-split', label: 'reads+writes', others: [{ label: 'reads-only', inputTokens: 1500 }] };

describe('dedupeKey', () => {
  // Stores written by earlier versions hold these keys (16 bytes before migration 9 cut them to their first 12):
  // re-ingesting their files must find the same ones.
  const base: UsageRecord = {
    ts: Date.UTC(2026, 9, 1, 12, 30),
    model: 'gpt-4o',
    provider: 'openai',
    requests: 1,
    inputTokens: 1000,
    outputTokens: 20,
    cacheReadTokens: 5,
    cacheWriteTokens: 0,
    cacheWrite1hTokens: 0,
  };
  it.each([
    ['an id', 'litellm', { ...base, sourceId: 'chatcmpl-1' }, 0, undefined, '7da4332c945504b134ed8b9c'],
    ['content alone (schema 1)', 'csv', base, 0, undefined, 'c9a9fa6155d87adacb8fac95'],
    [
      'content, file identity and occurrence',
      'csv',
      {
        ...base,
        user: 'ana',
        team: 'search',
        tags: ['env:prod', 'feature:x'],
        reportedCostNanos: 12345n,
        region: 'us-east-1',
        apiKey: 'k',
        endpoint: '/chat',
        serviceTier: 'batch',
      },
      2,
      'abc123',
      '72d587746fcc1785698f39cb',
    ],
    [
      'an inference geo and non-ASCII text',
      'claude-code',
      { ...base, inferenceGeo: 'us', user: 'josé' },
      0,
      'f00',
      '1425b94d1f4c39cdf2e1e6d5',
    ],
  ] as [
    string,
    string,
    UsageRecord,
    number,
    string | undefined,
    string,
  ][])('keeps the key of a record with %s', (_, source, r, occurrence, file, hex) => {
    expect(dedupeKey(source, r, occurrence, file).toString('hex')).toBe(hex);
  });
});

describe('toRow', () => {
  it('prices a gateway cache hit at $0, priced (not unpriced), even for a model the catalog lacks', () => {
    expect(row(haiku({ status: 'cache-hit', reportedCostNanos: 0n }))).toMatchObject({
      computedCostNanos: 0n,
      costNanos: 0n,
      costBasis: 'reported',
      status: 'cache-hit',
      priceRef: 'cache-hit',
      provider: 'aws',
    });
    expect(row(haiku({ status: 'cache-hit', model: 'acme-internal', provider: 'self-hosted' }))).toMatchObject({
      computedCostNanos: 0n,
      costBasis: 'computed',
    });
  });

  it.each([
    // reported cost → reading kept, uncached input, computed cost, how it was settled
    [4_040_000n, 'reads+writes', 1000, 4_040_000n, 'response_cost'],
    [4_440_000n, 'reads-only', 1500, 4_440_000n, 'response_cost'],
    [4_240_000n, 'reads+writes', 1000, 4_040_000n, 'response_cost'], // a tie keeps the default
    [undefined, 'reads+writes', 1000, 4_040_000n, 'default'],
    [0n, 'reads+writes', 1000, 4_040_000n, 'default'],
  ])('settles an ambiguous split with reported cost %s: %s', (reported, reading, input, computed, by) => {
    const r = row(haiku({ ambiguousInput: split, reportedCostNanos: reported }));
    expect(r).toMatchObject({ inputTokens: input, computedCostNanos: computed });
    expect(r.priceRef).toMatch(new RegExp(`;uncertain=litellm-prompt-split:${reading.replace('+', '\\+')}:${by}$`));
  });

  it('leaves an unambiguous record unmarked', () => {
    expect(row(haiku()).priceRef).not.toContain(';uncertain=');
  });
});

describe('rows without an id stored before file identities (schema 1)', () => {
  it('are recognized by their old content-only key, so re-reading their file adds nothing', async () => {
    const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const { openDb } = await import('../store/db.js');
    const { startRun, UsageWriter } = await import('../store/queries/usage.js');
    const { csvAdapter } = await import('./csv/index.js');
    const { resolveInputs } = await import('./input.js');
    const { ingest } = await import('./pipeline.js');
    const dir = mkdtempSync(join(tmpdir(), 'llmcost-legacy-'));
    try {
      const file = join(dir, 'daily.csv');
      writeFileSync(file, 'date,model,provider,input_tokens,output_tokens,requests\n2026-10-01,gpt-4o,openai,1000,100,10\n');
      const db = openDb(join(dir, 'x.db'), { mode: 'write' });
      // As schema 1 stored it: a run older than migration 2, and the row keyed by its content alone.
      const applied = Number(db.prepare('SELECT applied_at FROM schema_migrations WHERE id = 2').pluck().get());
      const runId = startRun(db, 'csv', file, undefined, undefined, applied - 60_000);
      db.prepare("UPDATE ingest_runs SET status = 'ok' WHERE id = ?").run(runId);
      const r: UsageRecord = {
        ts: Date.UTC(2026, 9, 1),
        dayOnly: true,
        provider: 'openai',
        model: 'gpt-4o',
        requests: 10,
        inputTokens: 1000,
        outputTokens: 100,
        cacheReadTokens: 0,
        cacheWriteTokens: 0,
        cacheWrite1hTokens: 0,
      };
      const writer = new UsageWriter(db);
      expect(writer.write(toRow(r, 'csv', runId, pricer, dedupeKey('csv', r, 0)))).toBe(true);
      writer.flush();
      const summary = await ingest(db, csvAdapter, 'csv', resolveInputs([file]), {}, pricer, { now: () => Date.now(), force: true });
      expect(summary.totals).toMatchObject({ read: 1, inserted: 0, duplicate: 1 });
      db.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
