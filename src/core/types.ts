/**
 * The shapes the store returns and analysis and render consume: plain data, so the layers above the store
 * never import it.
 */

/** Dimensions stored as a column of each row (the store's DIMENSIONS maps each to its column). */
export type ColumnDimension = 'user' | 'team' | 'model' | 'provider' | 'endpoint' | 'api-key' | 'source' | 'region' | 'customer';
/** `tag:KEY`: the value of one tag key ("(untagged)" without one); `tag`: every tag, overlapping (README "Tags"). */
export type TagDimension = 'tag' | `tag:${string}`;
/** Dimensions a report groups by. */
export type Dimension = ColumnDimension | TagDimension;
/** Every column dimension, in the order help texts list them. */
export const DIMENSION_LIST: readonly ColumnDimension[] = [
  'user',
  'team',
  'model',
  'provider',
  'endpoint',
  'api-key',
  'source',
  'region',
  'customer',
];

export function isTagDimension(d: Dimension): d is TagDimension {
  return d === 'tag' || d.startsWith('tag:');
}

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

/** Counts of one ingest run (one file). */
export interface RunCounts {
  read: number;
  inserted: number;
  duplicate: number;
  rejected: number;
  unpriced: number;
}

/** Billing rows another source's rows replaced (a CUR file: Cost Explorer rows of the same days). */
export interface BillChange {
  rows: number;
  billedNanos: bigint;
  days: string[];
}

/** A line the adapter could not read: where, which field, what was expected. */
export interface ParseIssue {
  file: string;
  line: number;
  /** Position in a JSON document's array, for records that have no line of their own. */
  item?: number;
  field?: string;
  /** How `field` is named in messages: a CSV column, or a JSON field path. */
  fieldKind?: 'column' | 'field';
  message: string;
}

export interface FileSummary extends RunCounts {
  file: string;
  source: string;
  /** `unchanged`: ingested before and unchanged since; `unrecognized`: found in a directory, not a usage file. */
  skipped?: 'unchanged' | 'unrecognized';
  /** Why an unrecognized file was skipped. */
  reason?: string;
  /** The file could not be ingested (bad lines without --skip-invalid, corrupt, empty): nothing from it was stored. */
  error?: string;
  /** Rows of another source this file's rows superseded (CUR files: Cost Explorer rows of the same days). */
  superseded?: BillChange;
  /** Stored rows this file completed (a request stored with fewer output tokens, e.g. a live Claude Code session). */
  updated?: number;
  /** With --replace: rows earlier ingests had stored that this file's rows replaced. */
  replaced?: number;
  /** The line still being written at the end of the file: not read; the next ingest reads the file again. */
  unfinishedLine?: number;
  /** Key-shaped secrets in this file's values, stored as `key:sha256:…` hashes instead. */
  redacted?: number;
  /** Lines kept with a warning (bytes that are not UTF-8); absent when none. */
  warnings?: number;
}

/** A file that was not stored, with the advice of the error that stopped it (for the command's message). */
export interface FileFailure {
  file: string;
  message: string;
  hint: string | undefined;
}

export interface IngestSummary {
  files: FileSummary[];
  totals: RunCounts;
  /** Models with no catalog price: `records` of them, `withReportedCost` of which carry the source's own cost. */
  unpricedModels: { model: string; provider: string; records: number; withReportedCost: number; reason: string }[];
  /**
   * Records whose computed cost rests on a guessed token split (price_ref carries `;uncertain=`): by reason, the
   * reading kept, and what settled it (`response_cost`: the source's own cost; `default`: nothing did).
   */
  uncertainCosts: { reason: string; reading: string; settledBy: string; records: number }[];
  /** Bad lines (all of them with --skip-invalid; up to MAX_ISSUES per file otherwise). */
  issues: ParseIssue[];
  /** Lines read and kept, with something the user should know (bytes that are not UTF-8, replaced); up to MAX_ISSUES per file. */
  warnings: ParseIssue[];
  /** Files not stored; each also has `error` in `files`. */
  failures: FileFailure[];
  /** Key-shaped secrets (API keys, tokens) found in values and stored as `key:sha256:…` hashes instead. */
  redacted: number;
  dryRun: boolean;
}

/** `llmcost reprice`: what re-pricing changed (or would change, dry run), by model. */
export interface ModelChange {
  model: string;
  rowsChanged: number;
  /** Rows that had no cost and now have one. */
  newlyPriced: number;
  /** Rows that had a cost and now have none (their price is no longer in the catalog or the price files given). */
  nowUnpriced: number;
  beforeNanos: bigint;
  afterNanos: bigint;
}

export interface RepriceSummary {
  dryRun: boolean;
  /** Request-level rows in scope (range and models). */
  rowsScanned: number;
  rowsChanged: number;
  newlyPriced: number;
  nowUnpriced: number;
  unpricedBefore: number;
  unpricedAfter: number;
  /** Cost of every row in scope, before and after. */
  beforeNanos: bigint;
  afterNanos: bigint;
  /** By model, largest change first. */
  models: ModelChange[];
  /** Rows in scope that stay unchanged, and their cost. */
  unchanged: { rows: number; costNanos: bigint };
  /** Models still without a price after repricing, most rows first. */
  stillUnpriced: { provider: string; model: string; rows: number }[];
}
