/**
 * Billing rows (Cost Explorer, CUR): one identity per line of the bill, replacement on re-ingest, and precedence
 * between the two sources (a finalized CUR line supersedes Cost Explorer's figure for the same day and account).
 */
import type { BillChange } from '../../core/types.js';
import { DAY_MS, dayNumberToIso, parseTimestamp } from '../../lib/time.js';
import type { Db } from '../db.js';
import { rebuildRollupRange } from './usage.js';

/** What identifies a line of the bill, however it was queried. */
export interface BillIdentity {
  /** Period start and end (exclusive) as Cost Explorer wrote them. */
  start: string;
  end: string;
  /** The linked account, or "" when the query did not group by it (the caller's whole bill). */
  account: string;
  service: string;
  usageType: string;
}

const ID_PREFIX = 'ce2';

/**
 * A Cost Explorer row's source id: its bill identity (period, account, service, usage type), plus the part of that
 * line it is when a tag grouping splits it (e.g. `tag:team=search`). The metric, granularity and grouping of the query
 * are not part of it.
 */
export function billSourceId(id: BillIdentity, split: string): string {
  return [ID_PREFIX, id.start, id.end, id.account, id.service, id.usageType, split].join('|');
}

/** The identity back from a source id; undefined for rows stored before identities existed. */
export function parseBillSourceId(sourceId: string): BillIdentity | undefined {
  const parts = sourceId.split('|');
  if (parts[0] !== ID_PREFIX || parts.length < 7) return undefined;
  const [, start = '', end = '', account = '', service = '', usageType = ''] = parts;
  return { start, end, account, service, usageType };
}

/** Billing rows a change removed: how many, their amount, and the UTC days their periods start on. */
interface CeRow {
  id: number;
  ts: number;
  start: number;
  end: number;
  account: string;
  service: string;
  costNanos: bigint;
}

function tagValue(tags: unknown, prefix: string): string | undefined {
  if (typeof tags !== 'string') return undefined;
  const list: unknown = JSON.parse(tags);
  if (!Array.isArray(list)) return undefined;
  for (const t of list) if (typeof t === 'string' && t.startsWith(prefix)) return t.slice(prefix.length);
  return undefined;
}

function ceRows(db: Db, since: number, until: number): CeRow[] {
  const rows = db
    .prepare(
      `SELECT id, ts, source_id AS sourceId, tags, cost_nanos AS costNanos FROM usage
       WHERE source = 'cost-explorer' AND ts >= ? AND ts < ?`,
    )
    .safeIntegers(true)
    .all(since, until) as Record<string, unknown>[];
  return rows.map((r) => {
    const ts = Number(r.ts);
    const identity = typeof r.sourceId === 'string' ? parseBillSourceId(r.sourceId) : undefined;
    // Rows stored before identities: one day from their start, account and service from their tags when there.
    return {
      id: Number(r.id),
      ts,
      start: (identity && parseTimestamp(identity.start)) ?? ts,
      end: (identity && parseTimestamp(identity.end)) ?? ts + DAY_MS,
      account: identity?.account ?? tagValue(r.tags, 'account:') ?? '',
      service: identity?.service ?? tagValue(r.tags, 'service:') ?? '',
      costNanos: typeof r.costNanos === 'bigint' ? r.costNanos : 0n,
    };
  });
}

function remove(db: Db, rows: CeRow[]): BillChange {
  if (rows.length === 0) return { rows: 0, billedNanos: 0n, days: [] };
  const del = db.prepare('DELETE FROM usage_rows WHERE id = ?');
  let billedNanos = 0n;
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  const days = new Set<string>();
  for (const r of rows) {
    del.run(r.id);
    billedNanos += r.costNanos;
    lo = Math.min(lo, r.ts);
    hi = Math.max(hi, r.ts);
    days.add(dayNumberToIso(Math.floor(r.start / DAY_MS)));
  }
  // usage_hourly stays equal to the raw rows.
  rebuildRollupRange(db, 'cost-explorer', lo, hi + 1);
  return { rows: rows.length, billedNanos, days: [...days].sort() };
}

/**
 * Before a Cost Explorer ingest of [since, until): removes the rows earlier ingests stored for periods starting there
 * and for these services, whatever metric, granularity or grouping they were queried with. Rows whose service is
 * unknown (stored by older versions from a tag or account grouping) go too: they were the same bill.
 */
export function replaceCostExplorerRows(db: Db, since: number, until: number, services: readonly string[]): BillChange {
  const wanted = new Set(services);
  return remove(
    db,
    ceRows(db, since, until).filter((r) => r.service === '' || wanted.has(r.service)),
  );
}

/** UTC day number → the accounts with CUR lines that day ("" for lines that name no account). */
export type CurCoverage = Map<number, Set<string>>;

export function curCoverage(db: Db, since: number, until: number): CurCoverage {
  const rows = db
    .prepare(
      `SELECT DISTINCT ts / 86400000 AS day,
         COALESCE((SELECT substr(j.value, 9) FROM json_each(usage.tags) AS j WHERE j.value LIKE 'account:%'), '') AS account
       FROM usage WHERE source = 'cur' AND ts >= ? AND ts < ?`,
    )
    .all(since, until) as { day: number; account: string }[];
  const out: CurCoverage = new Map();
  for (const r of rows) {
    const set = out.get(r.day) ?? new Set<string>();
    set.add(r.account);
    out.set(r.day, set);
  }
  return out;
}

/**
 * True when a CUR has lines on a UTC day of [start, end) for the same account. A side that names no account (a Cost
 * Explorer query not grouped by LINKED_ACCOUNT, a CUR without the account column) matches any account.
 */
export function coveredByCur(coverage: CurCoverage, start: number, end: number, account: string): boolean {
  const last = Math.max(end, start + 1);
  for (let day = Math.floor(start / DAY_MS); day * DAY_MS < last; day++) {
    const accounts = coverage.get(day);
    if (accounts && (account === '' || accounts.has(account) || accounts.has(''))) return true;
  }
  return false;
}

/**
 * After CUR lines in [since, until) are stored: removes the Cost Explorer rows whose periods those lines now cover
 * (same day, same account). A MONTHLY Cost Explorer period with any covered day goes whole.
 */
export function supersedeCostExplorer(db: Db, since: number, until: number): BillChange {
  const from = Math.floor(since / DAY_MS) * DAY_MS;
  const to = (Math.floor((until - 1) / DAY_MS) + 1) * DAY_MS;
  const coverage = curCoverage(db, from, to);
  if (coverage.size === 0) return { rows: 0, billedNanos: 0n, days: [] };
  // A monthly period can start up to 30 days before the first covered day.
  const rows = ceRows(db, from - 31 * DAY_MS, to).filter((r) => coveredByCur(coverage, r.start, r.end, r.account));
  return remove(db, rows);
}
