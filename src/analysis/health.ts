/**
 * Gateway health beside cost, pure: per group (model, endpoint, team, key, user) and overall, failures and
 * failure rate, gateway cache hits, hit rate and the cost they avoided, the provider prompt cache's share of
 * input and what it saved, and latency p50/p95 from log-bucket histograms (lib/latency.ts). A figure the data
 * does not carry (no status, no cache flag, no latency) is null, never 0.
 */
import { histogramPercentile } from '../lib/latency.js';

/** The seed guide's target for the gateway cache: at least 30% of requests answered from it, overall. */
const CACHE_HIT_TARGET = 0.3;

/** What the command gathered for one group. */
export interface HealthInput {
  key: string;
  /** Every request of the group (request logs only). */
  requests: number;
  costNanos: bigint;
  /** Uncached input, cache reads and cache writes: the input the provider saw. */
  inputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  /** Requests with a status, of which failed. */
  statusKnown: number;
  failures: number;
  /** Requests with a gateway cache flag, of which hits. */
  cacheKnown: number;
  cacheHits: number;
  /** The hits' tokens priced as if a provider had served them; requests of hits whose model has no price. */
  cacheAvoidedNanos: bigint;
  cacheAvoidedUnpriced: number;
  /** Cache reads priced at the input price minus at the cache-read price. */
  promptCacheSavedNanos: bigint;
  latency: ReadonlyMap<number, number>;
}

export interface HealthRow {
  key: string;
  requests: number;
  costNanos: bigint;
  /** null: the source carries no status for these requests. */
  failures: number | null;
  failureRate: number | null;
  statusRequests: number;
  cacheHits: number | null;
  cacheHitRate: number | null;
  cacheRequests: number;
  cacheAvoidedNanos: bigint | null;
  cacheAvoidedUnpriced: number;
  /** Cache reads / (uncached input + cache reads + cache writes); null without input tokens. */
  promptCacheReadShare: number | null;
  promptCacheSavedNanos: bigint;
  latencyRequests: number;
  latencyP50Ms: number | null;
  latencyP95Ms: number | null;
}

export interface HealthResult {
  rows: HealthRow[];
  total: HealthRow;
  target: { cacheHitRate: number; actual: number | null; met: boolean | null };
}

const ratio = (n: number, d: number): number | null => (d > 0 ? n / d : null);

export function healthRow(g: HealthInput): HealthRow {
  let latencyRequests = 0;
  for (const c of g.latency.values()) latencyRequests += c;
  const input = g.inputTokens + g.cacheReadTokens + g.cacheWriteTokens;
  return {
    key: g.key,
    requests: g.requests,
    costNanos: g.costNanos,
    failures: g.statusKnown > 0 ? g.failures : null,
    failureRate: ratio(g.failures, g.statusKnown),
    statusRequests: g.statusKnown,
    cacheHits: g.cacheKnown > 0 ? g.cacheHits : null,
    cacheHitRate: ratio(g.cacheHits, g.cacheKnown),
    cacheRequests: g.cacheKnown,
    cacheAvoidedNanos: g.cacheKnown > 0 ? g.cacheAvoidedNanos : null,
    cacheAvoidedUnpriced: g.cacheAvoidedUnpriced,
    promptCacheReadShare: ratio(g.cacheReadTokens, input),
    promptCacheSavedNanos: g.promptCacheSavedNanos,
    latencyRequests,
    latencyP50Ms: histogramPercentile(g.latency, 0.5) ?? null,
    latencyP95Ms: histogramPercentile(g.latency, 0.95) ?? null,
  };
}

/** A group with nothing in it yet: every sum 0, no latency. */
export function emptyInput(key: string): HealthInput {
  return {
    key,
    requests: 0,
    costNanos: 0n,
    inputTokens: 0,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    statusKnown: 0,
    failures: 0,
    cacheKnown: 0,
    cacheHits: 0,
    cacheAvoidedNanos: 0n,
    cacheAvoidedUnpriced: 0,
    promptCacheSavedNanos: 0n,
    latency: new Map(),
  };
}

/** Sums of several groups (histograms merged bucket by bucket, so the total's percentiles are of every request). */
export function mergeInputs(key: string, groups: readonly HealthInput[]): HealthInput {
  const latency = new Map<number, number>();
  const out: HealthInput = { ...emptyInput(key), latency };
  for (const g of groups) {
    out.requests += g.requests;
    out.costNanos += g.costNanos;
    out.inputTokens += g.inputTokens;
    out.cacheReadTokens += g.cacheReadTokens;
    out.cacheWriteTokens += g.cacheWriteTokens;
    out.statusKnown += g.statusKnown;
    out.failures += g.failures;
    out.cacheKnown += g.cacheKnown;
    out.cacheHits += g.cacheHits;
    out.cacheAvoidedNanos += g.cacheAvoidedNanos;
    out.cacheAvoidedUnpriced += g.cacheAvoidedUnpriced;
    out.promptCacheSavedNanos += g.promptCacheSavedNanos;
    for (const [b, c] of g.latency) latency.set(b, (latency.get(b) ?? 0) + c);
  }
  return out;
}

/** Rows by cost, then requests, then key; the total of all groups; the cache target against the overall rate. */
export function buildHealth(groups: readonly HealthInput[]): HealthResult {
  const rows = groups
    .map(healthRow)
    .sort((a, b) =>
      a.costNanos === b.costNanos
        ? b.requests - a.requests || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)
        : a.costNanos > b.costNanos
          ? -1
          : 1,
    );
  const total = healthRow(mergeInputs('total', groups));
  const actual = total.cacheHitRate;
  return { rows, total, target: { cacheHitRate: CACHE_HIT_TARGET, actual, met: actual === null ? null : actual >= CACHE_HIT_TARGET } };
}
