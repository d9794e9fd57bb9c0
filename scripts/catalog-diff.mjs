#!/usr/bin/env node
// Differential check of the embedded catalog against genai-prices (the pinned package, before llmcost's
// corrections) and a dated extract of LiteLLM's model_prices_and_context_window.json (the providers llmcost users
// send: Bedrock, Anthropic, OpenAI, Vertex, Azure). Prints every disagreement with llmcost's verdict and the
// source that decides it; exits 1 when a disagreement has no explanation.
// Usage: node scripts/catalog-diff.mjs [--litellm FILE] [--json]
//        node scripts/catalog-diff.mjs --extract FULL_LITELLM_JSON --date YYYY-MM-DD   (writes scripts/data/litellm-extract-DATE.json)
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { embeddedCatalog } from '../dist/pricing/catalog.js';
import { fromGenaiPrices } from '../dist/pricing/import-genai.js';
import { selectVariant } from '../dist/pricing/price.js';
import { Pricer } from '../dist/pricing/pricer.js';

const arg = (name) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const DATA = new URL('./data/', import.meta.url);
/** LiteLLM provider → catalog provider. */
const PROVIDERS = {
  bedrock: 'aws',
  bedrock_converse: 'aws',
  anthropic: 'anthropic',
  openai: 'openai',
  'vertex_ai-anthropic_models': 'google',
  azure: 'azure',
};
const FIELDS = {
  input: 'input_cost_per_token',
  output: 'output_cost_per_token',
  cacheRead: 'cache_read_input_token_cost',
  cacheWrite: 'cache_creation_input_token_cost',
  cacheWrite1h: 'cache_creation_input_token_cost_above_1hr',
  'input>200k': 'input_cost_per_token_above_200k_tokens',
};

if (arg('--extract')) {
  const date = arg('--date');
  if (!date || !/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new Error('--extract needs --date YYYY-MM-DD (the day the LiteLLM file was taken)');
  const full = JSON.parse(readFileSync(arg('--extract'), 'utf8'));
  const models = {};
  for (const [key, e] of Object.entries(full)) {
    if (!PROVIDERS[e?.litellm_provider] || typeof e.input_cost_per_token !== 'number' || /commitment/.test(key)) continue;
    const kept = { litellm_provider: e.litellm_provider };
    for (const f of Object.values(FIELDS)) if (typeof e[f] === 'number') kept[f] = e[f];
    if (typeof e.output_cost_per_token_above_200k_tokens === 'number')
      kept.output_cost_per_token_above_200k_tokens = e.output_cost_per_token_above_200k_tokens;
    models[key] = kept;
  }
  const out = new URL(`litellm-extract-${date}.json`, DATA);
  writeFileSync(
    out,
    `${JSON.stringify({ source: 'https://github.com/BerriAI/litellm/blob/main/model_prices_and_context_window.json', taken: date, models }, null, 1)}\n`,
  );
  console.log(`wrote ${Object.keys(models).length} entries to ${out.pathname}`);
  process.exit(0);
}

/**
 * Disagreements llmcost keeps on purpose, each with the source that decides it. Matched on the LiteLLM key;
 * entries changed by a correction are explained by that correction's provenance instead.
 */
const KNOWN = [
  [
    /^(bedrock\/[a-z0-9-]+\/)?((us|eu|apac|au|jp|ca)\.)?(anthropic\.)?claude-(sonnet-4-5|sonnet-4-6|haiku-4-5|opus-4-[5-8]|opus-5|sonnet-5|fable-5)/,
    'in-region and geo Claude 4.5+ are billed at the regional rate (1.1× global); LiteLLM uses the global rate for this key',
    'AWS Price List (AmazonBedrockFoundationModels, non-Global rows); BerriAI/litellm#42679',
    'aws',
  ],
  [
    /^eu\.anthropic\.claude-3-5-haiku/,
    "Claude 3.5 Haiku is $0.80/$4; LiteLLM's eu. key carries Claude 3 Haiku's $0.25/$1.25",
    'https://platform.claude.com/docs/en/about-claude/pricing',
  ],
  [
    /^vertex_ai\/claude-3-5-haiku/,
    'genai-prices has Vertex Claude 3.5 Haiku at $0.80/$4 (the Anthropic price since its cut); LiteLLM keeps the launch $1/$5. Not confirmed on a Google page: review when a Vertex bill is at hand',
    'genai-prices google.yml; https://platform.claude.com/docs/en/about-claude/pricing',
  ],
  [
    /mistral\.mistral-large-2402/,
    'genai-prices takes $4/$12 from the AWS Price List API; LiteLLM keeps the older $8/$24',
    'AWS Price List API via genai-prices (commit 03daecc4, #208)',
  ],
  [
    /meta\.llama3-1-70b/,
    'genai-prices takes $0.72 from the AWS Price List API; LiteLLM $0.99 is the pre-cut price',
    'AWS Price List API via genai-prices (#208)',
  ],
  [
    /titan-embed-text-v2:0$/,
    'GovCloud $0.20 in LiteLLM is unconfirmed (10× the US price); llmcost keeps $0.02',
    'https://aws.amazon.com/bedrock/pricing/',
  ],
  [
    /us-gov-[a-z]+-1\/meta\.llama3-8b/,
    "LiteLLM's GovCloud output $2.65 repeats the 70B input price; not used",
    'https://aws.amazon.com/bedrock/pricing/',
  ],
  [
    /meta\.llama3-2-(11b|90b)/,
    'genai-prices takes $0.16 / $0.72 from the AWS Price List API; LiteLLM keeps the launch prices',
    'AWS Price List API via genai-prices (#208)',
  ],
  [
    /qwen\.qwen3-coder-480b/,
    'genai-prices takes $0.45 input from the AWS Price List API; LiteLLM $0.22 is not on the AWS page',
    'AWS Price List API via genai-prices (#208)',
  ],
  [
    /^(amazon\.)?titan-text-(express|lite)-v1$/,
    "LiteLLM's bare keys carry the GovCloud price; us-east-1 is $0.20/$0.60 (Express) and $0.15/$0.20 (Lite)",
    'AWS Price List API via genai-prices (#208)',
  ],
  [
    /claude-3-5-sonnet-2024/,
    "Claude 3.5 Sonnet has a 200k context: no >200k tier exists; LiteLLM copies a later model's field",
    'https://platform.claude.com/docs/en/about-claude/pricing',
  ],
  [
    /^claude-3-(haiku|opus)-/,
    "1-hour cache writes are 2× input (Haiku 3: $0.50, Opus 3: $30); LiteLLM's $6 is copied from Sonnet",
    'https://platform.claude.com/docs/en/build-with-claude/prompt-caching#pricing',
  ],
  [
    /^azure\/(us\/|eu\/)?(gpt-4o|o1-mini|o4-mini|gpt-4o-mini)(-[0-9-]+)?$/,
    'llmcost prices Azure OpenAI at the Global deployment rate (genai-prices); LiteLLM lists the Regional / Data Zone rate (+10 %) for this key, which a usage log does not distinguish',
    'https://azure.microsoft.com/pricing/details/cognitive-services/openai-service/',
  ],
  [
    /(gpt-4o-mini-audio|gpt-4o-mini-tts|gpt-image|gpt-realtime)/,
    "llmcost prices these models' text tokens (genai-prices); LiteLLM's per-token fields hold the audio or image token price",
    'https://platform.openai.com/docs/pricing',
  ],
];

/**
 * The newest extract: scripts/data/ (made locally with --extract), else ../shared/ beside the checkout, where a
 * LiteLLM snapshot is placed for the team (this machine cannot fetch one, and fetched files are not committed).
 */
function latestFile() {
  const dirs = [DATA, new URL('../../shared/', import.meta.url)];
  const found = [];
  for (const dir of dirs) {
    let names = [];
    try {
      names = readdirSync(dir);
    } catch {
      continue;
    }
    for (const f of names) if (/^litellm-extract-\d{4}-\d{2}-\d{2}\.json$/.test(f)) found.push({ f, url: new URL(f, dir) });
  }
  found.sort((a, b) => a.f.localeCompare(b.f));
  if (!found.length) {
    console.error(
      'No LiteLLM extract in scripts/data/ or ../shared/: make one from a full model_prices_and_context_window.json with --extract FILE --date YYYY-MM-DD, or pass --litellm FILE.',
    );
    process.exit(2);
  }
  return found.at(-1).url;
}

const extract = JSON.parse(readFileSync(arg('--litellm') ?? latestFile(), 'utf8'));
const catalog = embeddedCatalog();
const pricer = new Pricer(catalog);
const pkg = JSON.parse(readFileSync(new URL('../node_modules/@pydantic/genai-prices/package.json', import.meta.url), 'utf8'));
const { waitForUpdate } = await import('@pydantic/genai-prices');
const raw = fromGenaiPrices(await waitForUpdate(), { kind: 'genai-prices', version: pkg.version, checked: '' }, { corrections: false });
const rawPricer = new Pricer(raw);
const NOW = Date.parse(`${extract.taken}T00:00:00Z`);

const base = (p) => (p === undefined ? undefined : typeof p === 'number' ? p : p.base);
const over200k = (p) => (p && typeof p === 'object' ? (p.tiers.find((t) => t.start === 200_000)?.price ?? p.base) : p);
const round = (x) => Math.round(x * 1e6 * 1e6) / 1e6;
function prices(entry, region) {
  if (!entry) return undefined;
  const variants = (region && entry.model.regions?.[region]) || entry.model.prices;
  const v = selectVariant(variants, NOW);
  if (!v) return undefined;
  return {
    input: base(v.input),
    output: base(v.output),
    cacheRead: base(v.cacheRead),
    cacheWrite: base(v.cacheWrite),
    cacheWrite1h: base(v.cacheWrite1h),
    'input>200k': over200k(v.input),
  };
}
/** A disagreement is explained by a listed verdict, or by the llmcost correction that changed that very price. */
const explain = (key, entry, field, ours, genai) => {
  const k = KNOWN.find(([re, , , provider]) => re.test(key) && (!provider || entry?.provider.id === provider));
  if (k) return { verdict: k[1], decidedBy: k[2] };
  const fix = entry?.model.provenance?.slice(1).at(-1);
  if (fix && ours !== genai?.[field]) return { verdict: `llmcost correction: ${fix.note ?? ''}`.trim(), decidedBy: fix.source };
  return undefined;
};

const rows = [];
const stats = { litellm: { compared: 0, agree: 0, differ: 0, onlyLitellm: 0 }, genai: { compared: 0, agree: 0, differ: 0, added: 0 } };
for (const [key, e] of Object.entries(extract.models)) {
  const provider = PROVIDERS[e.litellm_provider];
  const region = /^bedrock\/([a-z]{2}(?:-gov)?-[a-z]+-\d)\//.exec(key)?.[1];
  const entry = pricer.resolve(provider, key);
  const ours = prices(entry, region);
  if (!ours) {
    stats.litellm.onlyLitellm++;
    rows.push({
      key,
      field: '*',
      llmcost: null,
      litellm: round(e.input_cost_per_token),
      verdict: 'unpriced in llmcost (no source llmcost trusts yet)',
      decidedBy: '—',
      explained: true,
    });
    continue;
  }
  stats.litellm.compared++;
  const diffs = [];
  for (const [field, f] of Object.entries(FIELDS)) {
    if (typeof e[f] !== 'number') continue;
    const theirs = round(e[f]);
    if (field === 'input>200k' && ours[field] === ours.input && theirs !== ours.input) diffs.push({ field, ours: ours[field], theirs });
    else if (ours[field] !== undefined && ours[field] !== theirs) diffs.push({ field, ours: ours[field], theirs });
  }
  if (!diffs.length) {
    stats.litellm.agree++;
    continue;
  }
  stats.litellm.differ++;
  const genai = prices(rawPricer.resolve(provider, key), region);
  for (const d of diffs) {
    const why = explain(key, entry, d.field, d.ours, genai);
    rows.push({
      key,
      field: d.field,
      llmcost: d.ours,
      litellm: d.theirs,
      entry: entry.model.id,
      ...(why ?? { verdict: 'UNEXPLAINED', decidedBy: '—' }),
      explained: !!why,
    });
  }
}
// genai-prices before llmcost's corrections: every entry a correction changed.
for (const p of catalog.providers) {
  for (const m of p.models) {
    stats.genai.compared++;
    const before = raw.providers.find((x) => x.id === p.id)?.models.find((x) => x.id === m.id);
    if (!before) {
      stats.genai.added++;
      continue;
    }
    const same =
      JSON.stringify(before.prices) === JSON.stringify(m.prices) &&
      JSON.stringify(before.regions ?? {}) === JSON.stringify(m.regions ?? {}) &&
      JSON.stringify(before.match) === JSON.stringify(m.match);
    if (same) stats.genai.agree++;
    else stats.genai.differ++;
  }
}

const unexplained = rows.filter((r) => !r.explained);
if (process.argv.includes('--json')) {
  console.log(JSON.stringify({ litellmTaken: extract.taken, genaiPrices: pkg.version, stats, disagreements: rows }, null, 1));
} else {
  console.log(`LiteLLM extract of ${extract.taken} vs llmcost (prices in force that day, USD per 1M tokens):`);
  for (const r of rows)
    console.log(`  ${r.key} ${r.field}: llmcost ${r.llmcost ?? '—'} / LiteLLM ${r.litellm} — ${r.verdict} [${r.decidedBy}]`);
  const s = stats;
  console.log(
    `\nLiteLLM: ${s.litellm.compared} ids compared, ${s.litellm.agree} agree, ${s.litellm.differ} differ (${unexplained.length} unexplained), ${s.litellm.onlyLitellm} priced only by LiteLLM.`,
  );
  console.log(
    `genai-prices@${pkg.version}: ${s.genai.compared} catalog entries, ${s.genai.agree} as genai-prices has them, ${s.genai.differ} corrected by llmcost, ${s.genai.added} added by llmcost.`,
  );
}
process.exit(unexplained.length ? 1 : 0);
