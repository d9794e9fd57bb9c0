/**
 * Per-row limits on values (README "Limits on values"), checked on every record before it is stored: a value
 * beyond them is a bad line (file:line:field, skippable with --skip-invalid), never a stored row that breaks
 * reports later.
 */
import { formatUsd, NANOS_PER_USD, type Nanos } from '../lib/money.js';
import { DAY_MS, dayNumberToIso, PLAUSIBLE_AHEAD_MS, PLAUSIBLE_FROM, plausibleTime } from '../lib/time.js';
import { quote } from './fields.js';
import type { UsageRecord } from './types.js';

/**
 * Cost of one row (reported or computed): $1,000,000. A day of a large account's Bedrock bill fits; a float
 * parsed in the wrong unit does not. Report sums split dollars from nanos (store/queries/report.ts), so no
 * number of rows under this limit overflows them.
 */
const MAX_COST_NANOS: Nanos = 1_000_000n * NANOS_PER_USD;
/** Each token count of one row: 10^12 (a million requests of a million tokens; a month of a large account). */
const MAX_TOKENS = 1e12;
/** Requests in one (aggregated) row. */
const MAX_REQUESTS = 1e9;
/** Characters in a name, id, model, endpoint or tag: longer is a payload or a paste, not a name. */
const MAX_TEXT_CHARS = 1000;
/** Tags on one row. */
const MAX_TAGS = 100;

export interface ValueProblem {
  /** llmcost's name of the field (the CSV field names of `llmcost ingest csv --help`). */
  field: string;
  message: string;
}

const TOKEN_FIELDS = [
  ['inputTokens', 'input_tokens'],
  ['outputTokens', 'output_tokens'],
  ['cacheReadTokens', 'cache_read_tokens'],
  ['cacheWriteTokens', 'cache_write_tokens'],
  ['cacheWrite1hTokens', 'cache_write_1h_tokens'],
] as const;

const TEXT_FIELDS = [
  ['model', 'model'],
  ['sourceId', 'id'],
  ['provider', 'provider'],
  ['region', 'region'],
  ['user', 'user'],
  ['customer', 'customer'],
  ['team', 'team'],
  ['apiKey', 'api_key'],
  ['endpoint', 'endpoint'],
  ['status', 'status'],
] as const;

const int = (n: number): string => n.toLocaleString('en-US');
/** An amount for a message, cut like a quoted value: "$999,999,…" for a 100,000-digit cost. */
const usd = (n: Nanos): string => {
  const s = formatUsd(n);
  return s.length > 60 ? `${s.slice(0, 60)}…` : s;
};

function when(ms: number): string {
  // Date cannot name instants beyond ±8.64e15 ms; say the number instead.
  return Math.abs(ms) <= 8.64e15 ? new Date(ms).toISOString() : `epoch ms ${ms}`;
}

function tooLong(field: string, v: string): ValueProblem {
  return { field, message: `${int(v.length)} characters, more than the ${int(MAX_TEXT_CHARS)} a value may have: ${quote(v)}` };
}

/** The first value of `r` beyond the limits, or undefined when every value is within them. */
export function checkRecord(r: UsageRecord, now: number): ValueProblem | undefined {
  if (!plausibleTime(r.ts, now)) {
    const from = dayNumberToIso(Math.floor(PLAUSIBLE_FROM / DAY_MS));
    const to = dayNumberToIso(Math.floor((now + PLAUSIBLE_AHEAD_MS) / DAY_MS));
    return {
      field: 'timestamp',
      message: `${when(r.ts)} is outside the plausible range ${from} to ${to} (a year from now): check the year and the epoch unit`,
    };
  }
  if (r.reportedCostNanos !== undefined && r.reportedCostNanos > MAX_COST_NANOS) {
    return { field: 'cost', message: `${usd(r.reportedCostNanos)} is more than the ${formatUsd(MAX_COST_NANOS)} one row may cost` };
  }
  if (r.requests > MAX_REQUESTS)
    return { field: 'requests', message: `${int(r.requests)} is more than the ${int(MAX_REQUESTS)} one row may hold` };
  // One comparison of the largest value first: a row within the limits (nearly every row) costs no field walk.
  const most = Math.max(r.inputTokens, r.outputTokens, r.cacheReadTokens, r.cacheWriteTokens, r.cacheWrite1hTokens);
  if (most > MAX_TOKENS) {
    for (const [key, field] of TOKEN_FIELDS) {
      if (r[key] > MAX_TOKENS) return { field, message: `${int(r[key])} is more than the ${int(MAX_TOKENS)} tokens one row may hold` };
    }
  }
  const longest = Math.max(
    r.model.length,
    r.sourceId?.length ?? 0,
    r.provider?.length ?? 0,
    r.region?.length ?? 0,
    r.user?.length ?? 0,
    r.team?.length ?? 0,
    r.apiKey?.length ?? 0,
    r.endpoint?.length ?? 0,
    r.status?.length ?? 0,
  );
  if (longest > MAX_TEXT_CHARS) {
    for (const [key, field] of TEXT_FIELDS) {
      const v = r[key];
      if (v !== undefined && v.length > MAX_TEXT_CHARS) return tooLong(field, v);
    }
  }
  const tags = r.tags;
  if (tags === undefined) return undefined;
  if (tags.length > MAX_TAGS) return { field: 'tags', message: `${int(tags.length)} tags, more than the ${MAX_TAGS} a row may have` };
  for (const t of tags) if (t.length > MAX_TEXT_CHARS) return tooLong('tags', t);
  return undefined;
}

/** The computed cost of a row within the limits: tokens within MAX_TOKENS can still price above MAX_COST_NANOS. */
export function checkComputedCost(nanos: Nanos | null): ValueProblem | undefined {
  if (nanos === null || nanos <= MAX_COST_NANOS) return undefined;
  return {
    field: 'tokens',
    message: `the tokens price at ${usd(nanos)}, more than the ${formatUsd(MAX_COST_NANOS)} one row may cost`,
  };
}
