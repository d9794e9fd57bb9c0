import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixture, json, sandbox } from '../helpers/cli.js';

// Issue 13: catalog corrections reach ingested rows, and `prices MODEL` shows where each price comes from.
let sb: ReturnType<typeof sandbox>;
beforeEach(() => {
  sb = sandbox();
});
afterEach(() => sb.dispose());

type ModelPrices = {
  catalogModel: string;
  prices: Record<string, unknown>[];
  provenance: { source: string; checked: string; note?: string }[];
  checked: string;
};

describe('catalog provenance and corrected prices', () => {
  it('prices MODEL --json shows each source and the date it was checked', () => {
    const r = sb.run(['prices', 'amazon.titan-embed-text-v2:0', '--json']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    const out = json<ModelPrices>(r);
    expect(out.catalogModel).toBe('amazon.titan-embed-text-v2:0');
    expect(out.prices).toEqual([{ input: 0.02 }]);
    expect(out.checked).toBe('2026-11-23');
    expect(out.provenance).toHaveLength(1);
    expect(out.provenance[0]).toMatchObject({ checked: '2026-11-23', note: '$0.02 per 1M input tokens.' });
    expect(out.provenance[0]?.source).toContain('https://aws.amazon.com/bedrock/pricing/');

    const sonnet = json<ModelPrices>(sb.run(['prices', 'claude-sonnet-4-20250514', '--provider', 'anthropic', '--json']));
    expect(sonnet.provenance.map((p) => p.checked)).toEqual(['2026-09-23', '2026-11-23']);
    expect(sonnet.provenance[0]?.source).toBe('genai-prices@0.1.8 (https://www.anthropic.com/pricing#api)');
    expect(sonnet.provenance[1]?.source).toBe('https://platform.claude.com/docs/en/about-claude/pricing#long-context-pricing');
  });

  it('prices MODEL names its sources under the table', () => {
    const r = sb.run(['prices', 'cohere.command-r-v1:0']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain(
      'Checked 2026-11-23: https://github.com/BerriAI/litellm/blob/main/model_prices_and_context_window.json (cohere.command-r-v1:0)',
    );
  });

  it('ingests CSV rows at the corrected prices: long context, Titan V2, London, Cohere', () => {
    const ing = sb.run(['ingest', 'csv', fixture('csv', 'corrected-prices.csv'), '--json']);
    expect(ing.status, ing.stderr).toBe(0);
    expect(json(ing)).toMatchObject({ totals: { inserted: 4, unpriced: 0 } });
    const rep = sb.run(['report', '--json']);
    expect(rep.status, rep.stderr).toBe(0);
    // 1,674,750,000 + 20,000,000 + 8,000,000,000 + 2,000,000,000
    expect(json(rep)).toMatchObject({ totals: { costNanos: 11_694_750_000, unpricedRequests: 0 } });
  });
});
