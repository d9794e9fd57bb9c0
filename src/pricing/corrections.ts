/**
 * Hand-kept corrections applied on top of genai-prices when the catalog is built (`npm run catalog`) and when
 * `prices update` loads a genai-prices data.json. Each one names its source and the day it was checked, and
 * the entry it changes carries that provenance (`llmcost prices MODEL` shows it). `npm run catalog:diff`
 * lists where the result still disagrees with genai-prices or LiteLLM, and why llmcost differs.
 */
import type { CatalogModel, Match, Price, PriceVariant, Provenance } from './types.js';

const CHECKED = '2026-11-23';
const LITELLM = 'https://github.com/BerriAI/litellm/blob/main/model_prices_and_context_window.json';
const ANTHROPIC_PRICING = 'https://platform.claude.com/docs/en/about-claude/pricing';
const ANTHROPIC_CACHE = 'https://platform.claude.com/docs/en/build-with-claude/prompt-caching#pricing';
const BEDROCK_PRICING = 'https://aws.amazon.com/bedrock/pricing/';
const BEDROCK_CACHE = 'https://docs.aws.amazon.com/bedrock/latest/userguide/prompt-caching.html';
const VERTEX_CACHE = 'https://cloud.google.com/vertex-ai/generative-ai/docs/partner-models/claude/prompt-caching';
const OPENAI_PRICING = 'https://platform.openai.com/docs/pricing';
/** Sonnet 4's 1M-token context (and with it the >200k price) opened on the Anthropic API and Bedrock that day. */
const SONNET4_LONG_CONTEXT = '2025-08-12';

export interface Correction {
  provider: string;
  /** The catalog model id it changes, or the id of the model it adds. */
  model: string;
  /** Keys merged into existing variants: every variant, or only the one whose `from` is `on` ('' = the undated one). */
  set?: { on?: string; prices: Partial<PriceVariant> };
  /** Dated variants appended (the latest started variant's keys win over earlier ones). */
  append?: PriceVariant[];
  /** A model genai-prices lacks. */
  add?: { name: string; match: Match; prices: PriceVariant[] };
  /** Extra ids the entry must match (or-ed with its own match). */
  alsoMatch?: Match[];
  /** Region-specific prices (Bedrock), applied from a record's AWS region. */
  regions?: Record<string, PriceVariant[]>;
  provenance: Omit<Provenance, 'checked'> & { checked?: string };
}

const tier = (base: number, over200k: number): Price => ({ base, tiers: [{ start: 200_000, price: over200k }] });
/** Claude's long-context prices: input, cache read, 5-minute and 1-hour writes ×2, output ×1.5 above 200k input tokens. */
function longContext(input: number, output: number, cw1h: boolean): PriceVariant {
  const r = (x: number) => Math.round(x * 1e6) / 1e6;
  const v: PriceVariant = {
    input: tier(input, r(input * 2)),
    output: tier(output, r(output * 1.5)),
    cacheRead: tier(r(input / 10), r(input / 5)),
    cacheWrite: tier(r(input * 1.25), r(input * 2.5)),
  };
  if (cw1h) v.cacheWrite1h = tier(r(input * 2), r(input * 4));
  return v;
}

const NO_1H =
  'no 1-hour cache-write price is published for this model on this route; 1-hour writes are priced at the 5-minute rate and the cost row says so (~1h=5m)';

export const CORRECTIONS: Correction[] = [
  // 1. Long context (>200k input tokens): Sonnet 4 everywhere, Sonnet 4.5 on every Bedrock route.
  {
    provider: 'anthropic',
    model: 'claude-sonnet-4-0',
    append: [{ from: SONNET4_LONG_CONTEXT, ...longContext(3, 15, true) }],
    provenance: {
      source: `${ANTHROPIC_PRICING}#long-context-pricing`,
      note: `>200k input tokens: $6 input / $22.50 output (cache ×2), since the 1M context opened on ${SONNET4_LONG_CONTEXT}; no end date published. LiteLLM agrees (claude-sonnet-4-20250514 *_above_200k_tokens).`,
    },
  },
  {
    provider: 'google',
    model: 'claude-4-sonnet',
    set: { prices: { cacheWrite1h: 6 } },
    append: [{ from: SONNET4_LONG_CONTEXT, ...longContext(3, 15, true) }],
    provenance: {
      source: `${LITELLM} (vertex_ai/claude-sonnet-4@20250514); ${ANTHROPIC_PRICING}#long-context-pricing; ${VERTEX_CACHE}`,
      note: 'Vertex bills Claude like the Anthropic API: >200k input tier and 1-hour cache writes at 2× input. The tier is dated from the Anthropic launch; Vertex opened 1M context later, and before that no request could exceed 200k.',
    },
  },
  {
    provider: 'aws',
    model: 'global.anthropic.claude-sonnet-4-20250514-v1:0',
    append: [{ from: SONNET4_LONG_CONTEXT, ...longContext(3, 15, false) }],
    provenance: {
      source: `${LITELLM} (global.anthropic.claude-sonnet-4-20250514-v1:0); ${BEDROCK_PRICING}`,
      note: `>200k tier since the 1M context opened on Bedrock (${SONNET4_LONG_CONTEXT}). ${NO_1H}.`,
    },
  },
  {
    provider: 'aws',
    model: 'regional.anthropic.claude-sonnet-4-20250514-v1:0',
    append: [{ from: SONNET4_LONG_CONTEXT, ...longContext(3, 15, false) }],
    provenance: {
      source: `${LITELLM} (us./eu./apac./bare anthropic.claude-sonnet-4-20250514-v1:0); ${BEDROCK_PRICING}`,
      note: `Sonnet 4 is at list price on every route (no 1.1× regional premium before Claude 4.5). >200k tier since ${SONNET4_LONG_CONTEXT}. ${NO_1H}.`,
    },
  },
  {
    provider: 'aws',
    model: 'global.anthropic.claude-sonnet-4-5-20250929-v1:0',
    set: { prices: longContext(3, 15, true) },
    provenance: {
      source: `${LITELLM} (global.anthropic.claude-sonnet-4-5-20250929-v1:0); ${BEDROCK_CACHE}`,
      note: 'Sonnet 4.5 had the 1M context (and the >200k tier) from launch; 1-hour cache writes $6 ($12 above 200k).',
    },
  },
  {
    provider: 'aws',
    model: 'regional.anthropic.claude-sonnet-4-5-20250929-v1:0',
    set: { prices: longContext(3.3, 16.5, true) },
    regions: Object.fromEntries(['us-gov-west-1', 'us-gov-east-1'].map((r) => [r, [longContext(3.6, 18, true)]])),
    provenance: {
      source: `${LITELLM} (us./eu./jp./au./us-gov. and bedrock/us-gov-*/ anthropic.claude-sonnet-4-5-20250929-v1:0); ${BEDROCK_CACHE}`,
      note: 'Geo and in-region = 1.1× global: $3.30/$16.50, >200k $6.60/$24.75, 1-hour writes $6.60. GovCloud: $3.60/$18 (>200k $7.20/$27).',
    },
  },
  {
    provider: 'aws',
    model: 'us-gov.anthropic.claude-sonnet-4-5-20250929-v1:0',
    add: {
      name: 'Claude Sonnet 4.5 (GovCloud profile)',
      match: { equals: 'us-gov.anthropic.claude-sonnet-4-5-20250929-v1:0' },
      prices: [longContext(3.6, 18, true)],
    },
    provenance: {
      source: `${LITELLM} (us-gov.anthropic.claude-sonnet-4-5-20250929-v1:0); ${BEDROCK_PRICING}`,
      note: 'The us-gov. profile runs only in AWS GovCloud (US): $3.60/$18, >200k $7.20/$27, 1-hour writes $7.20.',
    },
  },
  {
    provider: 'google',
    model: 'claude-sonnet-4-5',
    set: { prices: { cacheWrite1h: tier(6, 12) } },
    provenance: {
      source: `${LITELLM} (vertex_ai/claude-sonnet-4-5@20250929); ${VERTEX_CACHE}; ${ANTHROPIC_CACHE}`,
      note: '1-hour cache writes 2× input.',
    },
  },
  // 2. 1-hour cache writes on Bedrock Claude 4.5+ (global, and geo/in-region at 1.1×) and on Vertex.
  ...(
    [
      ['haiku-4-5-20251001-v1:0', 2, 2.2],
      ['opus-4-5-v1:0', 10, 11],
      ['opus-4-6-v1:0', 10, 11],
      ['opus-4-7-v1:0', 10, 11],
      ['opus-4-8-v1:0', 10, 11],
      ['opus-5', 10, 11],
      ['sonnet-4-6-v1:0', 6, 6.6],
      ['sonnet-5-v1:0', 4, 4.4],
      ['fable-5-v1:0', 20, 22],
    ] as const
  ).flatMap(([id, global, regional]): Correction[] =>
    (['global', 'regional'] as const).map((route) => ({
      provider: 'aws',
      model: `${route}.anthropic.claude-${id}`,
      set: { prices: { cacheWrite1h: route === 'global' ? global : regional } },
      provenance: {
        source: `${LITELLM} (${route === 'global' ? 'global.' : 'us.'}anthropic.claude-${id.replace(/-v1:0$/, '')}… cache_creation_input_token_cost_above_1hr); ${BEDROCK_CACHE}`,
        note: '1-hour cache writes (Bedrock TTL "1h") at 2× input.',
      },
    })),
  ),
  ...(
    [
      ['claude-3-7-sonnet', 6],
      ['claude-4-opus', 30],
      ['claude-opus-4-6', tier(10, 20)],
      ['claude-opus-4-7', 10],
      ['claude-opus-4-8', 10],
      ['claude-opus-5', 10],
      ['claude-sonnet-4-6', 6],
      ['claude-fable-5', 20],
    ] as const
  ).map(
    ([id, price]): Correction => ({
      provider: 'google',
      model: id,
      set: { prices: { cacheWrite1h: price } },
      provenance: {
        source: `${LITELLM} (vertex_ai/${id.replace('claude-4-opus', 'claude-opus-4')} cache_creation_input_token_cost_above_1hr); ${VERTEX_CACHE}; ${ANTHROPIC_CACHE}`,
        note: 'Vertex prices Claude caching as the Anthropic API does: 1-hour writes at 2× input.',
      },
    }),
  ),
  ...['claude-3-5-haiku', 'claude-3-5-sonnet', 'claude-3-haiku', 'claude-3-opus', 'claude-fable-5-1', 'claude-opus-5-5'].map(
    (id): Correction => ({ provider: 'google', model: id, provenance: { source: VERTEX_CACHE, note: NO_1H } }),
  ),
  ...[
    'global.anthropic.claude-fable-5-1-v1:0',
    'regional.anthropic.claude-fable-5-1-v1:0',
    'regional.anthropic.claude-3-5-haiku-20241022-v1:0',
    'regional.anthropic.claude-3-7-sonnet-20250219-v1:0',
    'regional.anthropic.claude-opus-4-20250514-v1:0',
    'regional.anthropic.claude-opus-4-1-20250805-v1:0',
  ].map((id): Correction => ({ provider: 'aws', model: id, provenance: { source: BEDROCK_CACHE, note: NO_1H } })),
  // 3. Titan Text Embeddings V2 is a separate, cheaper model (it matched V1's "amazon.titan-embed-text").
  {
    provider: 'aws',
    model: 'amazon.titan-embed-text-v2:0',
    add: { name: 'Titan Text Embeddings V2', match: { contains: 'amazon.titan-embed-text-v2' }, prices: [{ input: 0.02 }] },
    provenance: {
      source: `${BEDROCK_PRICING}; ${LITELLM} (amazon.titan-embed-text-v2:0: 2e-08 per token)`,
      note: '$0.02 per 1M input tokens.',
    },
  },
  // 6. Bedrock prices outside us-east-1 (LiteLLM bedrock/<region>/ keys, which copy the AWS pricing page per region).
  {
    provider: 'aws',
    model: 'meta.llama3-70b-instruct-v1:0',
    regions: {
      'ap-south-1': [{ input: 3.18, output: 4.2 }],
      'ca-central-1': [{ input: 3.05, output: 4.03 }],
      'eu-west-1': [{ input: 2.86, output: 3.78 }],
      'eu-west-2': [{ input: 3.45, output: 4.55 }],
      'sa-east-1': [{ input: 4.45, output: 5.88 }],
    },
    provenance: { source: `${LITELLM} (bedrock/<region>/meta.llama3-70b-instruct-v1:0); ${BEDROCK_PRICING}`, note: 'Regional prices.' },
  },
  {
    provider: 'aws',
    model: 'meta.llama3-8b-instruct-v1:0',
    regions: {
      'ap-south-1': [{ input: 0.36, output: 0.72 }],
      'ca-central-1': [{ input: 0.35, output: 0.69 }],
      'eu-west-1': [{ input: 0.32, output: 0.65 }],
      'eu-west-2': [{ input: 0.39, output: 0.78 }],
      'sa-east-1': [{ input: 0.5, output: 1.01 }],
    },
    provenance: {
      source: `${LITELLM} (bedrock/<region>/meta.llama3-8b-instruct-v1:0); ${BEDROCK_PRICING}`,
      note: "Regional prices. LiteLLM's GovCloud row ($0.30/$2.65) repeats the 70B input price as output and is not used.",
    },
  },
  {
    provider: 'aws',
    model: 'mistral.mistral-7b-instruct-v0:2',
    regions: { 'eu-west-3': [{ input: 0.2, output: 0.26 }] },
    provenance: { source: `${LITELLM} (bedrock/eu-west-3/mistral.mistral-7b-instruct-v0:2); ${BEDROCK_PRICING}`, note: 'Paris price.' },
  },
  {
    provider: 'aws',
    model: 'mistral.mixtral-8x7b-instruct-v0:1',
    regions: { 'eu-west-3': [{ input: 0.59, output: 0.91 }] },
    provenance: { source: `${LITELLM} (bedrock/eu-west-3/mistral.mixtral-8x7b-instruct-v0:1); ${BEDROCK_PRICING}`, note: 'Paris price.' },
  },
  ...(
    [
      ['amazon.nova-pro-v1:0', { input: 0.96, output: 3.84 }],
      ['amazon.titan-text-express-v1', { input: 1.3, output: 1.7 }],
      ['amazon.titan-text-lite-v1', { input: 0.3, output: 0.4 }],
      ['regional.anthropic.claude-3-haiku-20240307-v1:0', { input: 0.3, output: 1.5, cacheRead: 0.03, cacheWrite: 0.375 }],
      ['regional.anthropic.claude-3-5-sonnet-20240620-v1:0', { input: 3.6, output: 18, cacheRead: 0.36, cacheWrite: 4.5 }],
      ['regional.anthropic.claude-3-7-sonnet-20250219-v1:0', { input: 3.6, output: 18, cacheRead: 0.36, cacheWrite: 4.5 }],
      ['regional.anthropic.claude-haiku-4-5-20251001-v1:0', { input: 1.2, output: 6, cacheRead: 0.12, cacheWrite: 1.5, cacheWrite1h: 2.4 }],
    ] as const
  ).map(
    ([id, prices]): Correction => ({
      provider: 'aws',
      model: id,
      regions: { 'us-gov-west-1': [{ ...prices }], 'us-gov-east-1': [{ ...prices }] },
      provenance: {
        source: `${LITELLM} (bedrock/us-gov-west-1/ and bedrock/us-gov-east-1/ keys); ${BEDROCK_PRICING}`,
        note: 'AWS GovCloud (US) prices.',
      },
    }),
  ),
  // Geo profiles whose source regions all cost more than us-east-1 (LiteLLM's eu./apac. keys carry that price).
  ...(
    [
      ['eu.amazon.nova-lite-v1:0', 'Nova Lite (EU profile)', { input: 0.078, output: 0.312, cacheRead: 0.0195 }],
      ['apac.amazon.nova-lite-v1:0', 'Nova Lite (APAC profile)', { input: 0.063, output: 0.252, cacheRead: 0.01575 }],
      ['eu.amazon.nova-micro-v1:0', 'Nova Micro (EU profile)', { input: 0.046, output: 0.184, cacheRead: 0.0115 }],
      ['apac.amazon.nova-micro-v1:0', 'Nova Micro (APAC profile)', { input: 0.037, output: 0.148, cacheRead: 0.00925 }],
      ['apac.amazon.nova-pro-v1:0', 'Nova Pro (APAC profile)', { input: 0.84, output: 3.36, cacheRead: 0.21 }],
      ['eu.amazon.nova-pro-v1:0', 'Nova Pro (EU profile)', { input: 1.05, output: 4.2, cacheRead: 0.2625 }],
      ['eu.meta.llama3-2-1b-instruct-v1:0', 'Llama 3.2 1B (EU profile)', { input: 0.13, output: 0.13 }],
      ['eu.meta.llama3-2-3b-instruct-v1:0', 'Llama 3.2 3B (EU profile)', { input: 0.19, output: 0.19 }],
    ] as const
  ).map(
    ([id, name, prices]): Correction => ({
      provider: 'aws',
      model: id,
      add: { name, match: { contains: id.replace(/-v1:0$/, '') }, prices: [{ ...prices }] },
      provenance: {
        source: `${LITELLM} (${id}); ${BEDROCK_PRICING}`,
        note: 'EU/APAC source regions are priced above us-east-1; Nova cache reads at 25% of input, as on every Nova row.',
      },
    }),
  ),
  {
    provider: 'azure',
    model: 'o4-mini',
    set: { prices: { cacheRead: 0.275 } },
    provenance: { source: `${OPENAI_PRICING}; ${LITELLM} (azure/o4-mini)`, note: 'Cached input $0.275 (a quarter of $1.10), not $0.28.' },
  },
  // 8. o3's cached input was $2.50 (a quarter of the $10 input) until the 2025-06-10 price cut.
  {
    provider: 'openai',
    model: 'o3',
    set: { on: '', prices: { cacheRead: 2.5 } },
    provenance: {
      source: `${OPENAI_PRICING}; https://openai.com/index/introducing-o3-and-o4-mini/`,
      note: 'Until 2025-06-10: $10 input, $2.50 cached input, $40 output; then $2 / $0.50 / $8.',
    },
  },
  // 9. Bedrock models genai-prices does not cover.
  ...(
    [
      ['cohere.command-r-v1:0', 'Command R', { contains: 'cohere.command-r-v1' }, { input: 0.5, output: 1.5 }],
      ['cohere.command-r-plus-v1:0', 'Command R+', { contains: 'cohere.command-r-plus-v1' }, { input: 3, output: 15 }],
      ['cohere.embed-english-v3', 'Embed English v3', { contains: 'cohere.embed-english-v3' }, { input: 0.1 }],
      ['cohere.embed-multilingual-v3', 'Embed Multilingual v3', { contains: 'cohere.embed-multilingual-v3' }, { input: 0.1 }],
      ['cohere.embed-v4:0', 'Embed v4', { contains: 'cohere.embed-v4' }, { input: 0.12 }],
      ['ai21.jamba-1-5-large-v1:0', 'Jamba 1.5 Large', { contains: 'ai21.jamba-1-5-large' }, { input: 2, output: 8 }],
      ['ai21.jamba-1-5-mini-v1:0', 'Jamba 1.5 Mini', { contains: 'ai21.jamba-1-5-mini' }, { input: 0.2, output: 0.4 }],
      ['ai21.jamba-instruct-v1:0', 'Jamba-Instruct', { contains: 'ai21.jamba-instruct' }, { input: 0.5, output: 0.7 }],
      ['mistral.mistral-large-2407-v1:0', 'Mistral Large (24.07)', { contains: 'mistral.mistral-large-2407' }, { input: 3, output: 9 }],
      ['anthropic.claude-v2:1', 'Claude 2.1', { contains: 'anthropic.claude-v2' }, { input: 8, output: 24 }],
    ] as const
  ).map(
    ([id, name, match, prices]): Correction => ({
      provider: 'aws',
      model: id,
      add: { name, match, prices: [{ ...prices }] },
      provenance: {
        source: `${LITELLM} (${id}); ${BEDROCK_PRICING}`,
        note: 'Not in genai-prices (no AWS Price List rows for Marketplace-sold models).',
      },
    }),
  ),
  {
    provider: 'aws',
    model: 'anthropic.claude-instant-v1',
    add: { name: 'Claude Instant', match: { contains: 'anthropic.claude-instant-v1' }, prices: [{ input: 0.8, output: 2.4 }] },
    regions: { 'ap-northeast-1': [{ input: 2.23, output: 7.55 }], 'eu-central-1': [{ input: 2.48, output: 8.38 }] },
    provenance: {
      source: `${LITELLM} (anthropic.claude-instant-v1, bedrock/<region>/anthropic.claude-instant-v1); ${BEDROCK_PRICING}`,
      note: 'Not in genai-prices. Tokyo and Frankfurt are priced higher.',
    },
  },
  {
    provider: 'aws',
    model: 'regional.amazon.nova-2-lite-v1:0',
    alsoMatch: [{ starts_with: 'amazon.nova-2-lite' }, { contains: 'apac.amazon.nova-2-lite' }],
    provenance: {
      source: `${LITELLM} (apac.amazon.nova-2-lite-v1:0: $0.33/$2.75); ${BEDROCK_PRICING}`,
      note: 'In-region (bare amazon.nova-2-lite-v1:0) and apac. calls take the geo price (1.1× global), as AWS bills every non-global route; LiteLLM prices the bare id at the global rate.',
    },
  },
];

function mergeMatch(m: Match, extra: Match[]): Match {
  return { or: [...('or' in m ? m.or : [m]), ...extra] };
}

/** Applies the corrections to a catalog's models (mutating them); returns ids that matched nothing. */
export function applyCorrections(providers: { id: string; models: CatalogModel[] }[], list: readonly Correction[] = CORRECTIONS): string[] {
  const missing: string[] = [];
  for (const c of list) {
    const p = providers.find((x) => x.id === c.provider);
    if (!p) {
      missing.push(`${c.provider}/${c.model}`);
      continue;
    }
    let m = p.models.find((x) => x.id === c.model);
    if (!m && c.add) {
      m = { id: c.model, name: c.add.name, match: c.add.match, prices: c.add.prices.map((v) => ({ ...v })) };
      p.models.push(m);
    }
    if (!m) {
      missing.push(`${c.provider}/${c.model}`);
      continue;
    }
    if (c.set) {
      const { on, prices } = c.set;
      m.prices = m.prices.map((v) => (on === undefined || (v.from ?? '') === on ? { ...v, ...prices } : v));
    }
    if (c.append) m.prices.push(...c.append.map((v) => ({ ...v })));
    if (c.alsoMatch) m.match = mergeMatch(m.match, c.alsoMatch);
    if (c.regions) {
      m.regions ??= {};
      for (const [region, list] of Object.entries(c.regions)) m.regions[region] = list.map((v) => ({ ...v }));
    }
    m.provenance ??= [];
    m.provenance.push({ ...c.provenance, checked: c.provenance.checked ?? CHECKED });
  }
  return missing;
}
