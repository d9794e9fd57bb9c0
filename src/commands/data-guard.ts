/**
 * One no-data policy for every read command: a figure that cannot be computed from the data (an empty
 * store, a filter that matches nothing, no rows in the range) is a data problem (exit 3), never $0.
 */

import type { ColumnDimension } from '../core/types.js';
import { DataError } from '../lib/errors.js';
import { closest } from '../lib/suggest.js';
import { dayNumber, dayNumberToIso, isoUtc, localDate } from '../lib/time.js';
import type { Db } from '../store/db.js';
import { dataRange, distinctValues, missingValues, type UsageFilter } from '../store/queries/report.js';
import { missingTags, tagValues } from '../store/queries/tags.js';
import { storedValue, storeFilter } from './store-filter.js';

/** Filter lists and the dimension (and flag) each one names. */
const FILTER_DIMS: { key: keyof UsageFilter; dim: ColumnDimension; flag: string }[] = [
  { key: 'user', dim: 'user', flag: 'user' },
  { key: 'team', dim: 'team', flag: 'team' },
  { key: 'model', dim: 'model', flag: 'model' },
  { key: 'endpoint', dim: 'endpoint', flag: 'endpoint' },
  { key: 'source', dim: 'source', flag: 'source' },
  { key: 'provider', dim: 'provider', flag: 'provider' },
  { key: 'apiKey', dim: 'api-key', flag: 'api-key' },
  { key: 'customer', dim: 'customer', flag: 'customer' },
];

export interface ScopeMiss {
  /** The flag or scope key (user, team, api-key, …). */
  key: string;
  value: string;
  suggestions: string[];
}

/** Filter values that no stored row has, each with the closest existing values. */
export function scopeMisses(db: Db, filter: UsageFilter): ScopeMiss[] {
  const out: ScopeMiss[] = [];
  for (const { key, dim, flag } of FILTER_DIMS) {
    const values = filter[key] as string[] | undefined;
    if (!values || values.length === 0) continue;
    const absent = new Set(
      missingValues(
        db,
        dim,
        values.map((v) => storedValue(dim, v)),
      ),
    );
    const missing = values.filter((v) => absent.has(storedValue(dim, v)));
    if (missing.length === 0) continue;
    const known = distinctValues(db, dim);
    for (const value of missing) out.push({ key: flag, value, suggestions: closest(value, known) });
  }
  for (const t of missingTags(db, filter.tags ?? [])) {
    const known = tagValues(db, t.key).map((v) => (t.key === undefined ? v : `${t.key}=${v}`));
    const value = t.key === undefined ? t.value : `${t.key}=${t.value}`;
    out.push({ key: 'tag', value, suggestions: closest(value, known) });
  }
  return out;
}

export function describeMiss(m: ScopeMiss): string {
  const hint = m.suggestions.length > 0 ? ` (did you mean ${m.suggestions.map((s) => `"${s}"`).join(' or ')}?)` : '';
  return `${m.key} "${m.value}" matches no usage in the database${hint}`;
}

const day = (ms: number, tz: string): string => localDate(ms, tz);

/**
 * Throws a DataError unless the filter selects at least one row: names an empty store, a filter value that
 * matches nothing (with "did you mean"), or a range outside the data (with the data's own range).
 */
export function requireRows(db: Db, filter: UsageFilter, tz: string, what = 'usage'): void {
  const all = dataRange(db, {}, tz);
  if (!all) throw new DataError('The database holds no usage yet.', 'Run `llmcost ingest …` first, or `llmcost demo`.');
  const misses = scopeMisses(db, filter);
  if (misses.length > 0) {
    throw new DataError(
      `${misses.map((m) => `--${describeMiss(m)}`).join('; ')}.`,
      'Check the spelling; `llmcost report --by user` (or team, model, …) lists the values that exist.',
    );
  }
  if (dataRange(db, storeFilter(filter), tz)) return;
  const since = filter.since === undefined ? 'the beginning' : isoUtc(filter.since);
  const until = filter.until === undefined ? 'now' : isoUtc(filter.until);
  throw new DataError(
    `No ${what} between ${since} and ${until}: the data covers ${day(all.min, tz)} to ${day(all.max, tz)} (${tz}).`,
    'Choose a range with data (--since/--until), or ingest the missing days.',
  );
}

/** How much of a window holds data: partial windows are said, and never scaled up as if they were whole. */
export interface WindowCoverage {
  /** Days in the window. */
  windowDays: number;
  /** First and last local day with data inside the window (ISO dates), and the span between them in days. */
  firstDay: string;
  lastDay: string;
  spanDays: number;
  /** The newest data in the whole store (ISO date in the zone). */
  newestDay: string;
  /** The data does not reach one end of the window. */
  partial: boolean;
}

export function windowCoverage(db: Db, filter: UsageFilter & { since: number; until: number }, tz: string): WindowCoverage | undefined {
  const inWindow = dataRange(db, storeFilter(filter), tz);
  const all = dataRange(db, {}, tz);
  if (!inWindow || !all) return undefined;
  const first = dayNumber(day(inWindow.min, tz));
  const last = dayNumber(day(inWindow.max, tz));
  const windowFirst = dayNumber(day(filter.since, tz));
  const windowLast = dayNumber(day(filter.until - 1, tz));
  return {
    windowDays: windowLast - windowFirst + 1,
    firstDay: dayNumberToIso(first),
    lastDay: dayNumberToIso(last),
    spanDays: last - first + 1,
    newestDay: day(all.max, tz),
    partial: first > windowFirst || last < windowLast,
  };
}

/** The sentence for a partial window: "newest data is 2026-10-31; the last 30 days hold 8 days of data". */
export function coverageNote(c: WindowCoverage, label: string): string {
  return `${label} (${c.windowDays} days) hold ${c.spanDays} day${c.spanDays === 1 ? '' : 's'} of data (${c.firstDay} to ${c.lastDay}); newest data is ${c.newestDay}.`;
}
