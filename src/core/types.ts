/**
 * The shapes the store returns and analysis and render consume: plain data, so the layers above the store
 * never import it.
 */

/** Dimensions a report groups and filters by (the store maps each to its column). */
export type Dimension = 'user' | 'team' | 'model' | 'provider' | 'endpoint' | 'api-key' | 'source' | 'region';

export interface Totals {
  records: number;
  requests: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  costNanos: bigint;
  /** Requests that have no cost (unknown model or missing price). */
  unpricedRequests: number;
  /** The part of costNanos taken from billing rows (Cost Explorer, CUR): cost with no requests behind it. */
  billedNanos?: bigint;
}

/** Adds `t` into `into`, field by field (exact: counts and nanos). */
export function addTotals(into: Totals, t: Totals): void {
  into.records += t.records;
  into.requests += t.requests;
  into.inputTokens += t.inputTokens;
  into.outputTokens += t.outputTokens;
  into.cacheReadTokens += t.cacheReadTokens;
  into.cacheWriteTokens += t.cacheWriteTokens;
  into.costNanos += t.costNanos;
  into.unpricedRequests += t.unpricedRequests;
  if (t.billedNanos) into.billedNanos = (into.billedNanos ?? 0n) + t.billedNanos;
}

export interface AggregateRow extends Totals {
  /** Local day number (days since 1970-01-01 in the report's zone), when grouped by day. */
  day?: number;
  keys: string[];
}

export interface UnpricedModel {
  provider: string;
  model: string;
  records: number;
  requests: number;
  tokens: number;
}

/** One (day, model, basis) line of `reconcile`: what the logs reported, what llmcost computed, and what it kept. */
export interface ReconcileRow {
  day: number;
  model: string;
  basis: 'usage' | 'billed';
  loggedNanos: bigint;
  computedNanos: bigint;
  costNanos: bigint;
  requests: number;
  unpricedRequests: number;
  /** Requests whose computed cost rests on a guessed token split (price_ref `;uncertain=`). */
  uncertainRequests: number;
  cacheTokens: number;
  estimated: number;
}
