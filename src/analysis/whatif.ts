/**
 * What-if scenarios on stored usage: each returns the cost before and after a change, with the terms that make up
 * the difference. Pure: rows in, exact nano-USD out; prices come from the caller (`PriceAs`), `now` is not needed.
 * `whatif` prints these and `roadmap` uses them for its measured savings, so the two agree.
 */
import { divRound, type Nanos } from '../lib/money.js';
import { type Ratio, ratioOf } from '../pricing/price.js';
import { SERVICE_TIERS } from '../pricing/types.js';

/** Priced request-level usage of one (endpoint, provider, model, region, tier, output length) group. */
export interface WhatifRow {
  endpoint: string;
  provider: string;
  /** The model id as logged (priced as the ingest priced it). */
  modelRaw: string;
  /** The normalized model name reports use. */
  model: string;
  region: string;
  serviceTier: string;
  /** Output tokens per request of the group's rows (their average, for aggregated lines). */
  outputPerRequest: number;
  requests: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  costNanos: Nanos;
  /** Latest timestamp of the group: prices are taken as of then. */
  ts: number;
}

export interface TokenCounts {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
}

/**
 * The cost of `row`'s requests with a change: another model, other token counts, or the batch tier. Undefined
 * when that has no price (the term is then left out and counted in `skippedRequests`).
 */
export type PriceAs = (row: WhatifRow, change: { model?: string; usage?: TokenCounts; tier?: 'batch' }) => Nanos | undefined;

export type ScenarioCode = 'ROUTE' | 'CASCADE' | 'TRIM_INPUT' | 'PROMPT_TOKENS' | 'MAX_OUTPUT' | 'CACHE_HIT' | 'PROMPT_CACHE' | 'BATCH';

/** One line of a scenario's arithmetic: a part of the cost, before and after the change. */
export interface ScenarioTerm {
  /** The model, endpoint or cascade step the term is about. */
  label: string;
  requests: number;
  /** Tokens removed or moved by the change (kind depends on the scenario), when it counts tokens. */
  tokens?: number;
  /** Share of the term's traffic the change applies to (route, cascade step), as given. */
  share?: number;
  /** The term's whole traffic priced after the change: on the route's or cascade step's model, or at batch prices. */
  fullNanos?: Nanos;
  /** Output tokens per request, p50 and p95 (max-output). */
  p50?: number;
  p95?: number;
  /** The max_tokens cap applied to the endpoint (max-output). */
  cap?: number;
  beforeNanos: Nanos;
  afterNanos: Nanos;
}

export interface Scenario {
  code: ScenarioCode;
  beforeNanos: Nanos;
  afterNanos: Nanos;
  savedNanos: Nanos;
  /** savedNanos / beforeNanos, to 4 decimals (truncated); 0 when nothing was spent. */
  savedShare: number;
  terms: ScenarioTerm[];
  /** Requests left out because the change has no price for them (unchanged in `after`). */
  skippedRequests: number;
}

const sumCost = (rows: readonly WhatifRow[]): Nanos => rows.reduce((s, r) => s + r.costNanos, 0n);
const times = (n: Nanos, r: Ratio): Nanos => divRound(n * r.num, r.den);

function scenario(code: ScenarioCode, before: Nanos, terms: ScenarioTerm[], skippedRequests = 0): Scenario {
  const saved = terms.reduce((s, t) => s + t.beforeNanos - t.afterNanos, 0n);
  const after = before - saved;
  return {
    code,
    beforeNanos: before,
    afterNanos: after,
    savedNanos: saved,
    savedShare: before > 0n ? Number((saved * 10000n) / before) / 10000 : 0,
    terms,
    skippedRequests,
  };
}

/** Groups rows by a key, keeping first-seen order. */
function groupBy(rows: readonly WhatifRow[], key: (r: WhatifRow) => string): Map<string, WhatifRow[]> {
  const out = new Map<string, WhatifRow[]>();
  for (const r of rows) {
    const k = key(r);
    const list = out.get(k);
    if (list) list.push(r);
    else out.set(k, [r]);
  }
  return out;
}

const requestsOf = (rows: readonly WhatifRow[]): number => rows.reduce((s, r) => s + r.requests, 0);

/**
 * Moves `share` of the traffic of the rows `from` accepts to model `to`: that share's cost now, replaced by the same
 * tokens priced on `to`.
 */
export function routeScenario(
  rows: readonly WhatifRow[],
  from: (r: WhatifRow) => boolean,
  to: string,
  share: number,
  priceAs: PriceAs,
): Scenario {
  const ratio = ratioOf(share);
  const terms: ScenarioTerm[] = [];
  let skipped = 0;
  for (const [model, list] of groupBy(rows.filter(from), (r) => r.model)) {
    let before = 0n;
    let after = 0n;
    let full = 0n;
    for (const r of list) {
      const alt = priceAs(r, { model: to });
      if (alt === undefined) {
        skipped += r.requests;
        continue;
      }
      before += r.costNanos;
      full += alt;
      after += r.costNanos - times(r.costNanos, ratio) + times(alt, ratio);
    }
    terms.push({ label: model, requests: requestsOf(list), share, fullNanos: full, beforeNanos: before, afterNanos: after });
  }
  return scenario('ROUTE', sumCost(rows), terms, skipped);
}

/** Parses "cheap:0.6,mid:0.25,premium:0.15" (model:share, shares summing to 1). Returns a message when it cannot. */
export function parseCascade(spec: string): { model: string; share: number }[] | string {
  const steps: { model: string; share: number }[] = [];
  for (const part of spec.split(',')) {
    const at = part.lastIndexOf(':');
    const model = part.slice(0, at).trim();
    const text = part.slice(at + 1).trim();
    const share = text.endsWith('%') ? Number(text.slice(0, -1)) / 100 : Number(text);
    if (at <= 0 || model === '' || text === '' || !Number.isFinite(share) || share <= 0 || share > 1)
      return `"${part.trim()}" is not MODEL:SHARE with a share above 0 and at most 1`;
    steps.push({ model, share });
  }
  const total = steps.reduce((s, x) => s + x.share, 0);
  if (Math.abs(total - 1) > 1e-6) return `the shares add up to ${Math.round(total * 1e6) / 1e6}, not 1`;
  return steps;
}

/** The whole traffic spread over cascade steps: each step's share of the traffic priced on its model. */
export function cascadeScenario(
  rows: readonly WhatifRow[],
  steps: readonly { model: string; share: number }[],
  priceAs: PriceAs,
): Scenario {
  const before = sumCost(rows);
  const terms: ScenarioTerm[] = [];
  const requests = requestsOf(rows);
  let skipped = 0;
  // Rows some step cannot price stay as they are: the cascade is measured on the rows every step prices.
  const priced = rows.filter((r) => {
    const ok = steps.every((s) => priceAs(r, { model: s.model }) !== undefined);
    if (!ok) skipped += r.requests;
    return ok;
  });
  const base = sumCost(priced);
  for (const s of steps) {
    const full = priced.reduce((sum, r) => sum + (priceAs(r, { model: s.model }) ?? 0n), 0n);
    const part = times(full, ratioOf(s.share));
    terms.push({
      label: s.model,
      requests: Math.round(requests * s.share),
      share: s.share,
      fullNanos: full,
      beforeNanos: times(base, ratioOf(s.share)),
      afterNanos: part,
    });
  }
  // The stored cost is split by share; the last step takes what rounding left, so the parts add up exactly.
  const split = terms.reduce((s, t) => s + t.beforeNanos, 0n);
  const last = terms.at(-1);
  if (last) last.beforeNanos += base - split;
  return scenario('CASCADE', before, terms, skipped);
}

/** What removing `removed` tokens from each row saves, priced on the row's model; terms by model. */
function removalScenario(
  code: ScenarioCode,
  rows: readonly WhatifRow[],
  removed: (r: WhatifRow) => TokenCounts,
  priceAs: PriceAs,
  label: (r: WhatifRow) => string = (r) => r.model,
): Scenario {
  const terms: ScenarioTerm[] = [];
  let skipped = 0;
  for (const [key, list] of groupBy(rows, label)) {
    let saved = 0n;
    let tokens = 0;
    let before = 0n;
    for (const r of list) {
      const usage = removed(r);
      const n = usage.input + usage.output + usage.cacheRead + usage.cacheWrite;
      if (n === 0) continue;
      const price = priceAs(r, { usage });
      if (price === undefined) {
        skipped += r.requests;
        continue;
      }
      saved += price;
      tokens += n;
      before += r.costNanos;
    }
    if (tokens > 0) terms.push({ label: key, requests: requestsOf(list), tokens, beforeNanos: before, afterNanos: before - saved });
  }
  return scenario(code, sumCost(rows), terms, skipped);
}

/** Prompts shortened by `share` (0.75 = three quarters of every input token gone, cached ones too). */
export function trimInputScenario(rows: readonly WhatifRow[], share: number, priceAs: PriceAs): Scenario {
  const cut = (n: number): number => Math.round(n * share);
  return removalScenario(
    'TRIM_INPUT',
    rows,
    (r) => ({ input: cut(r.inputTokens), output: 0, cacheRead: cut(r.cacheReadTokens), cacheWrite: cut(r.cacheWriteTokens) }),
    priceAs,
  );
}

/** A prompt of `from` tokens cut to `to`: `from − to` fewer input tokens per request (uncached first, then cached). */
export function promptTokensScenario(rows: readonly WhatifRow[], from: number, to: number, priceAs: PriceAs): Scenario {
  return removalScenario(
    'PROMPT_TOKENS',
    rows,
    (r) => {
      const want = Math.max(0, from - to) * r.requests;
      const input = Math.min(r.inputTokens, want);
      return { input, output: 0, cacheRead: Math.min(r.cacheReadTokens, want - input), cacheWrite: 0 };
    },
    priceAs,
  );
}

/** The smallest value whose cumulative weight reaches `p` of the total (nearest rank). */
export function weightedPercentile(values: readonly { value: number; weight: number }[], p: number): number {
  const sorted = [...values].filter((v) => v.weight > 0).sort((a, b) => a.value - b.value);
  const total = sorted.reduce((s, v) => s + v.weight, 0);
  let seen = 0;
  for (const v of sorted) {
    seen += v.weight;
    if (seen >= p * total) return v.value;
  }
  return sorted.at(-1)?.value ?? 0;
}

/**
 * A max_tokens cap on every endpoint: a number of tokens, or `{ percentile }` to cap each endpoint at its own
 * output length at that percentile (p95: the longest 5 % of its answers get cut). Answers longer than the cap lose
 * their excess output tokens (an upper bound on the saving: a capped answer may need a retry). Terms by endpoint,
 * with its output length p50/p95 per request and the cap applied.
 */
export function maxOutputScenario(rows: readonly WhatifRow[], cap: number | { percentile: number }, priceAs: PriceAs): Scenario {
  const byEndpoint = groupBy(rows, (r) => r.endpoint);
  const dist = (list: readonly WhatifRow[]) => list.map((r) => ({ value: r.outputPerRequest, weight: r.requests }));
  const caps = new Map(
    [...byEndpoint].map(([endpoint, list]) => [endpoint, typeof cap === 'number' ? cap : weightedPercentile(dist(list), cap.percentile)]),
  );
  const s = removalScenario(
    'MAX_OUTPUT',
    rows,
    (r) => {
      const c = caps.get(r.endpoint) ?? Number.POSITIVE_INFINITY;
      return {
        input: 0,
        output: r.outputPerRequest > c ? Math.min(r.outputTokens, Math.round((r.outputPerRequest - c) * r.requests)) : 0,
        cacheRead: 0,
        cacheWrite: 0,
      };
    },
    priceAs,
    (r) => r.endpoint,
  );
  const terms: ScenarioTerm[] = [...byEndpoint].map(([endpoint, list]) => {
    const t = s.terms.find((x) => x.label === endpoint);
    const cost = sumCost(list);
    return {
      label: endpoint,
      requests: requestsOf(list),
      tokens: t?.tokens ?? 0,
      p50: weightedPercentile(dist(list), 0.5),
      p95: weightedPercentile(dist(list), 0.95),
      cap: caps.get(endpoint) ?? 0,
      beforeNanos: cost,
      afterNanos: t ? cost - (t.beforeNanos - t.afterNanos) : cost,
    };
  });
  return scenario('MAX_OUTPUT', s.beforeNanos, terms, s.skippedRequests);
}

/** A gateway cache answering `rate` of the requests: those cost nothing. */
export function cacheHitScenario(rows: readonly WhatifRow[], rate: number): Scenario {
  const ratio = ratioOf(rate);
  const terms = [...groupBy(rows, (r) => r.model)].map(([model, list]) => {
    const cost = sumCost(list);
    return { label: model, requests: requestsOf(list), share: rate, beforeNanos: cost, afterNanos: cost - times(cost, ratio) };
  });
  return scenario('CACHE_HIT', sumCost(rows), terms);
}

/**
 * Provider prompt caching of a repeated prefix that is `share` of the uncached input: those tokens priced as cache
 * reads instead of input. Cache writes (1.25× input at Anthropic, once per cache lifetime) are not counted.
 */
export function promptCacheScenario(rows: readonly WhatifRow[], share: number, priceAs: PriceAs): Scenario {
  const terms: ScenarioTerm[] = [];
  let skipped = 0;
  for (const [model, list] of groupBy(rows, (r) => r.model)) {
    let saved = 0n;
    let tokens = 0;
    let before = 0n;
    for (const r of list) {
      const n = Math.round(r.inputTokens * share);
      if (n === 0) continue;
      const asInput = priceAs(r, { usage: { input: n, output: 0, cacheRead: 0, cacheWrite: 0 } });
      const asRead = priceAs(r, { usage: { input: 0, output: 0, cacheRead: n, cacheWrite: 0 } });
      if (asInput === undefined || asRead === undefined) {
        skipped += r.requests;
        continue;
      }
      saved += asInput - asRead;
      tokens += n;
      before += r.costNanos;
    }
    if (tokens > 0)
      terms.push({ label: model, requests: requestsOf(list), tokens, share, beforeNanos: before, afterNanos: before - saved });
  }
  return scenario('PROMPT_CACHE', sumCost(rows), terms, skipped);
}

/** `share` of the standard-tier traffic moved to the batch tier, where the model has a batch price. */
export function batchScenario(rows: readonly WhatifRow[], share: number, priceAs: PriceAs): Scenario {
  const ratio = ratioOf(share);
  const terms: ScenarioTerm[] = [];
  let skipped = 0;
  for (const [model, list] of groupBy(
    // Standard traffic: `standard`, `default`, `auto` or none; batch, flex and priority are priced apart already.
    rows.filter((r) => !(SERVICE_TIERS as readonly string[]).includes(r.serviceTier.trim().toLowerCase())),
    (r) => r.model,
  )) {
    let before = 0n;
    let after = 0n;
    let full = 0n;
    for (const r of list) {
      const batch = priceAs(r, { tier: 'batch' });
      if (batch === undefined) {
        skipped += r.requests;
        continue;
      }
      before += r.costNanos;
      full += batch;
      after += r.costNanos - times(r.costNanos, ratio) + times(batch, ratio);
    }
    if (before > 0n)
      terms.push({ label: model, requests: requestsOf(list), share, fullNanos: full, beforeNanos: before, afterNanos: after });
  }
  return scenario('BATCH', sumCost(rows), terms, skipped);
}

/** A range's cost as a 30-day month: nanos × 30 / days, rounded once. */
export function monthly(nanos: Nanos, days: number): Nanos {
  return days > 0 ? divRound(nanos * 30n, BigInt(days)) : nanos;
}
