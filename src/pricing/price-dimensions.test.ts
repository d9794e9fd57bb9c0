import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture } from '../../test/helpers/cli.js';
import { embeddedCatalog, loadUserPrices, type UserPrices } from './catalog.js';
import { perTokenToPerMillion } from './litellm-prices.js';
import { type PriceInput, Pricer } from './pricer.js';
import type { CatalogModel } from './types.js';

const pricer = new Pricer(embeddedCatalog());
const usage = (over: Partial<PriceInput> & { model: string }): PriceInput => ({
  ts: Date.UTC(2026, 9, 1),
  input: 0,
  output: 0,
  cacheRead: 0,
  cacheWrite: 0,
  cacheWrite1h: 0,
  requests: 1,
  ...over,
});
const M = 1_000_000;

describe('service tiers', () => {
  it('prices OpenAI flex at Batch API rates and priority at the priority prices', () => {
    expect(pricer.price(usage({ model: 'gpt-4o', input: M, output: M, serviceTier: 'flex' }))).toMatchObject({
      nanos: 6_250_000_000n,
      ref: 'openai/gpt-4o+flex',
    });
    // openai.com/api-priority-processing: gpt-4o $4.25 in, $2.125 cached, $17 out.
    expect(pricer.price(usage({ model: 'gpt-4o', input: M, cacheRead: M, output: M, serviceTier: 'priority' }))).toMatchObject({
      nanos: 23_375_000_000n,
      ref: 'openai/gpt-4o+priority',
    });
    expect(pricer.price(usage({ model: 'gpt-4o', input: M, output: M, serviceTier: 'default' }))).toMatchObject({
      nanos: 12_500_000_000n,
      ref: 'openai/gpt-4o',
    });
  });

  it('prices a tier without a price at standard, marked tier-unpriced', () => {
    // Anthropic's Priority Tier is a capacity commitment with no list price.
    expect(pricer.price(usage({ model: 'claude-sonnet-4-5', input: 100_000, serviceTier: 'priority' }))).toMatchObject({
      nanos: 300_000_000n,
      ref: 'anthropic/claude-sonnet-4-5;uncertain=tier-unpriced:priority:standard',
    });
    // Priority prices exclude long context: a gpt-5.4 request above 272k input stays at the standard long-context rate.
    expect(pricer.price(usage({ model: 'gpt-5.4', input: 300_000, serviceTier: 'priority' }))).toMatchObject({
      nanos: 1_500_000_000n,
      ref: 'openai/gpt-5.4>271999;uncertain=tier-unpriced:priority-long-context:standard',
    });
  });

  it('prefers a price file tier price to the rules', () => {
    const user = new Pricer(embeddedCatalog(), loadUserPrices(fixture('prices', 'litellm-model-prices.json')));
    expect(user.price(usage({ model: 'gpt-4o', input: M, output: M, serviceTier: 'batch' }))).toMatchObject({
      nanos: 6_250_000_000n,
      ref: 'user:openai/gpt-4o+batch',
    });
    expect(user.price(usage({ model: 'gpt-4o', input: M, output: M, serviceTier: 'priority' }))).toMatchObject({
      nanos: 21_250_000_000n,
      ref: 'user:openai/gpt-4o+priority',
    });
  });
});

describe('data residency (Anthropic inference_geo)', () => {
  it('multiplies every token price by 11/10 for us, once, half-up', () => {
    expect(pricer.price(usage({ model: 'claude-opus-4-6', input: M, inferenceGeo: 'us' }))).toMatchObject({
      nanos: 5_500_000_000n,
      ref: 'anthropic/claude-opus-4-6@2026-03-13+geo:us',
    });
    // The Claude Code sample's usage: 99,742,250 nanos at list price; × 11/10 = 109,716,475 nanos, exact.
    const u = { input: 3, cacheWrite: 15_005, cacheRead: 11_442, output: 9 };
    expect(pricer.price(usage({ model: 'claude-opus-4-6', ...u }))).toMatchObject({ nanos: 99_742_250n });
    expect(pricer.price(usage({ model: 'claude-opus-4-6', ...u, inferenceGeo: 'us' }))).toMatchObject({ nanos: 109_716_475n });
  });

  it('reads a stored region of us on Anthropic rows, and leaves global and Bedrock regions alone', () => {
    expect(pricer.price(usage({ model: 'claude-opus-4-6', provider: 'anthropic', input: M, region: 'us' }))).toMatchObject({
      nanos: 5_500_000_000n,
    });
    expect(pricer.price(usage({ model: 'claude-opus-4-6', input: M, inferenceGeo: 'global' }))).toMatchObject({ nanos: 5_000_000_000n });
    expect(pricer.price(usage({ model: 'claude-opus-4-6', input: M, serviceTier: 'batch', inferenceGeo: 'us' }))).toMatchObject({
      nanos: 2_750_000_000n,
      ref: 'anthropic/claude-opus-4-6@2026-03-13+batch+geo:us',
    });
  });
});

const entries = (u: UserPrices) => u.entries?.map((e) => [e.path, e.provider, e.model.id]);
function userFile(models: unknown[]): UserPrices {
  const file = join(mkdtempSync(join(tmpdir(), 'llmcost-prices-')), 'prices.json');
  writeFileSync(file, JSON.stringify({ models }));
  return loadUserPrices(file);
}

describe('price files: provider aliases, provider-less rows, entries that match nothing', () => {
  it('normalizes bedrock, vertex_ai and azure_ai to the catalog provider ids', () => {
    const u = userFile([
      { id: 'anthropic.claude-3-haiku-20240307-v1:0', provider: 'bedrock', prices: { input: 0.2, output: 1 } },
      { id: 'gemini-2.0-flash', provider: 'vertex_ai', prices: { input: 0.1, output: 0.4 } },
      { id: 'gpt-4o', provider: 'azure_ai', prices: { input: 2, output: 8 } },
    ]);
    expect(u.providers.map((p) => p.id)).toEqual(['aws', 'google', 'azure']);
    const p = new Pricer(embeddedCatalog(), u);
    for (const provider of ['bedrock', 'aws', 'amazon bedrock', undefined]) {
      expect(p.price(usage({ provider, model: 'anthropic.claude-3-haiku-20240307-v1:0', input: M }))).toMatchObject({
        nanos: 200_000_000n,
        ref: 'user:aws/anthropic.claude-3-haiku-20240307-v1:0',
      });
    }
  });

  it('applies a provider-scoped entry to rows without a provider: the catalog home provider first, then unscoped, then others', () => {
    const p = new Pricer(
      embeddedCatalog(),
      userFile([
        { id: 'gpt-4o', provider: 'azure', prices: { input: 1, output: 1 } },
        { id: 'gpt-4o', prices: { input: 3, output: 3 } },
        { id: 'gpt-4o', provider: 'openai', prices: { input: 2, output: 2 } },
        { id: 'acme-ft', provider: 'self-hosted', prices: { input: 0.5, output: 0.5 } },
      ]),
    );
    expect(p.price(usage({ model: 'gpt-4o', input: M }))).toMatchObject({ nanos: 2_000_000_000n, ref: 'user:openai/gpt-4o' });
    expect(p.price(usage({ model: 'gpt-4o', provider: 'azure', input: M }))).toMatchObject({ nanos: 1_000_000_000n });
    expect(p.price(usage({ model: 'gpt-4o', provider: 'groq', input: M }))).toMatchObject({ nanos: 3_000_000_000n, ref: 'user:*/gpt-4o' });
    expect(p.price(usage({ model: 'acme-ft', input: M }))).toMatchObject({ nanos: 500_000_000n, ref: 'user:self-hosted/acme-ft' });
  });

  it('lists the entries that priced nothing and name no catalog model', () => {
    const u = userFile([
      { id: 'gpt-4o', provider: 'openai', prices: { input: 2, output: 8 } },
      { id: 'gpt-4o-typo', provider: 'openai', prices: { input: 2, output: 8 } },
      { id: 'claude-3-haiku-20240307', provider: 'antropic', prices: { input: 1, output: 1 } },
      { id: 'acme-ft', provider: 'self-hosted', prices: { input: 0.5, output: 0.5 } },
    ]);
    const p = new Pricer(embeddedCatalog(), u);
    p.price(usage({ model: 'acme-ft', provider: 'self-hosted', input: M }));
    expect(p.unusedUserEntries().map((e) => [e.path, e.provider, e.model.id])).toEqual([
      ['models[1]', 'openai', 'gpt-4o-typo'],
      ['models[2]', 'antropic', 'claude-3-haiku-20240307'],
    ]);
  });
});

describe('application inference profiles', () => {
  const arn = 'arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/a1b2c3d4e5f6';
  it('prices a profile ARN as the model the config maps it to', () => {
    for (const key of ['a1b2c3d4e5f6', arn]) {
      const p = new Pricer(embeddedCatalog(), undefined, { inferenceProfiles: { [key]: 'anthropic.claude-3-haiku-20240307-v1:0' } });
      expect(p.price(usage({ model: arn, input: M, output: M }))).toMatchObject({
        nanos: 1_500_000_000n,
        ref: expect.stringMatching(/^aws\/.*claude-3-haiku-20240307-v1:0~profile:a1b2c3d4e5f6$/),
      });
      expect(p.price(usage({ model: `bedrock/${arn}`, input: M }))).toMatchObject({ nanos: 250_000_000n });
    }
    expect(pricer.price(usage({ model: arn, input: M }))).toEqual({
      priced: false,
      reason: 'unmapped-inference-profile',
      providerId: 'aws',
    });
  });
});

describe('LiteLLM price files', () => {
  it('converts USD per token to USD per 1M by moving the decimal point', () => {
    expect(3.3e-6 * 1e6).not.toBe(3.3); // why: float multiplication drifts
    expect(perTokenToPerMillion(3e-6)).toBe(3);
    expect(String(perTokenToPerMillion(3e-6))).toBe('3');
    expect(perTokenToPerMillion(3.3e-6)).toBe(3.3);
    expect(perTokenToPerMillion(4.125e-6)).toBe(4.125);
    expect(perTokenToPerMillion(1.5e-7)).toBe(0.15);
    expect(perTokenToPerMillion(1e-5)).toBe(10);
    expect(perTokenToPerMillion(0)).toBe(0);
    expect(perTokenToPerMillion(0.0175)).toBe(17500);
  });

  it('reads the map: tiers above 200k, 1-hour cache writes, regional keys, service tiers, provider aliases', () => {
    const u = loadUserPrices(fixture('prices', 'litellm-model-prices.json'));
    expect(entries(u)).toEqual([
      ['gpt-4o', 'openai', 'gpt-4o'],
      ['us.anthropic.claude-sonnet-4-5-20250929-v1:0', 'aws', 'us.anthropic.claude-sonnet-4-5-20250929-v1:0'],
      ['meta.llama3-70b-instruct-v1:0', 'aws', 'meta.llama3-70b-instruct-v1:0'],
      ['hosted_vllm/acme-llama-3-8b-ft', 'hosted_vllm', 'acme-llama-3-8b-ft'],
    ]);
    const sonnet = u.entries?.[1]?.model as CatalogModel;
    expect(sonnet.prices[0]).toEqual({
      input: { base: 3.3, tiers: [{ start: 200_000, price: 6.6 }] },
      output: { base: 16.5, tiers: [{ start: 200_000, price: 24.75 }] },
      cacheRead: { base: 0.33, tiers: [{ start: 200_000, price: 0.66 }] },
      cacheWrite: { base: 4.125, tiers: [{ start: 200_000, price: 8.25 }] },
      cacheWrite1h: { base: 6.6, tiers: [{ start: 200_000, price: 13.2 }] },
    });
    const p = new Pricer(embeddedCatalog(), u);
    expect(p.price(usage({ provider: 'bedrock', model: 'meta.llama3-70b-instruct-v1:0', region: 'eu-west-1', input: M }))).toMatchObject({
      nanos: 2_860_000_000n,
      ref: 'user:aws/meta.llama3-70b-instruct-v1:0#eu-west-1',
    });
    expect(p.price(usage({ provider: 'hosted_vllm', model: 'acme-llama-3-8b-ft', input: M, output: M }))).toMatchObject({
      nanos: 900_000_000n,
    });
    // A 250k-token request crosses LiteLLM's above_200k threshold: every token at the higher rate.
    expect(p.price(usage({ model: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0', input: 250_000 }))).toMatchObject({
      nanos: 1_650_000_000n,
    });
  });
});
