/** Time handling: all stored times are UTC epoch ms; calendar questions are answered in an IANA zone. */
import { readlinkSync } from 'node:fs';
import { UserError } from './errors.js';

export const DAY_MS = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(tz, f);
  }
  return f;
}

/** Throws a UserError unless `tz` is an IANA zone this Node knows. */
export function validateTimeZone(tz: string): string {
  // UTC needs no zone data: building the first Intl formatter costs about a quarter of Node's start-up.
  if (tz === 'UTC' || tz === 'Etc/UTC') return tz;
  try {
    formatter(tz);
    return tz;
  } catch {
    throw new UserError(`Unknown time zone "${tz}".`, { hint: 'Use an IANA name such as UTC, Europe/Berlin or America/New_York.' });
  }
}

export interface WallClock {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  second: number;
}

export function wallClock(ms: number, tz: string): WallClock {
  if (tz === 'UTC' || tz === 'Etc/UTC') {
    const d = new Date(ms);
    return {
      year: d.getUTCFullYear(),
      month: d.getUTCMonth() + 1,
      day: d.getUTCDate(),
      hour: d.getUTCHours(),
      minute: d.getUTCMinutes(),
      second: d.getUTCSeconds(),
    };
  }
  const parts = formatter(tz).formatToParts(new Date(ms));
  const get = (type: string): number => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return { year: get('year'), month: get('month'), day: get('day'), hour: get('hour'), minute: get('minute'), second: get('second') };
}

/** Offset of `tz` from UTC at instant `ms`, in ms (e.g. +3_600_000 for CET in winter). */
export function offsetAt(ms: number, tz: string): number {
  if (tz === 'UTC' || tz === 'Etc/UTC') return 0;
  const w = wallClock(ms, tz);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - Math.floor(ms / 1000) * 1000;
}

/**
 * UTC instant of a wall-clock time in `tz`. A time that happens twice (clocks go back) is the earlier
 * instant; a time that never happens (clocks go forward) is moved forward by the gap, so 02:30 on a
 * spring-forward night in New York is 03:30 EDT, and a skipped midnight starts the day at 01:00
 * (Temporal's "compatible" disambiguation).
 */
export function zonedToUtc(w: WallClock, tz: string): number {
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  // Offsets in force a day either side cover every instant this wall clock can name (offsets stay within ±14 h).
  const before = offsetAt(asUtc - DAY_MS, tz);
  const after = offsetAt(asUtc + DAY_MS, tz);
  let best: number | undefined;
  for (const offset of [before, after, offsetAt(asUtc, tz)]) {
    const ms = asUtc - offset;
    if (offsetAt(ms, tz) === offset && (best === undefined || ms < best)) best = ms;
  }
  // No offset names this time: it lies in a gap; read it with the offset from before the gap.
  return best ?? asUtc - before;
}

/** Start of the local day that contains `ms`. */
export function startOfLocalDay(ms: number, tz: string): number {
  const w = wallClock(ms, tz);
  return zonedToUtc({ ...w, hour: 0, minute: 0, second: 0 }, tz);
}

/** A span of time during which `tz` has one UTC offset: [from, to). */
export interface OffsetSegment {
  from: number;
  to: number;
  offset: number;
}

/**
 * Splits [from, to) into spans of constant UTC offset, so SQL can bucket rows into local days with
 * `(ts + offset) / 86400000` per span. Transitions are found by sampling every 6 hours and bisection to the second.
 */
export function offsetSegments(from: number, to: number, tz: string): OffsetSegment[] {
  if (to <= from) return [{ from, to: from, offset: offsetAt(from, tz) }];
  const segments: OffsetSegment[] = [];
  let segStart = from;
  let current = offsetAt(from, tz);
  const step = DAY_MS / 4;
  const last = to - 1; // the range's last instant: a transition exactly at `to` belongs to the next range
  let prev = from;
  for (let t = from + step; ; t += step) {
    const probe = Math.min(t, last);
    const o = offsetAt(probe, tz);
    if (o !== current) {
      // Bisect over whole seconds (zone rules change on a second): lo keeps the old offset, hi has the new.
      let lo = Math.floor(prev / 1000);
      let hi = Math.ceil(probe / 1000);
      while (hi - lo > 1) {
        const mid = Math.floor((lo + hi) / 2);
        if (offsetAt(mid * 1000, tz) === current) lo = mid;
        else hi = mid;
      }
      segments.push({ from: segStart, to: hi * 1000, offset: current });
      segStart = hi * 1000;
      current = o;
    }
    if (probe >= last) break;
    prev = probe;
  }
  segments.push({ from: segStart, to, offset: current });
  return segments;
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** ISO date (YYYY-MM-DD) of the local day that contains `ms`. */
export function localDate(ms: number, tz: string): string {
  const w = wallClock(ms, tz);
  return `${w.year}-${pad(w.month)}-${pad(w.day)}`;
}

/** Day number (days since 1970-01-01) of an ISO date, calendar arithmetic only. */
export function dayNumber(isoDate: string): number {
  const [y, m, d] = isoDate.split('-').map(Number);
  return Math.floor(Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1) / DAY_MS);
}

export function dayNumberToIso(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** Monday of the ISO week that contains `day`. */
/** The weekday of a day number, 0 = Monday … 6 = Sunday (day 0, 1970-01-01, was a Thursday). */
export function weekdayOf(day: number): number {
  return (((day + 3) % 7) + 7) % 7;
}

export function weekStart(day: number): number {
  return day - weekdayOf(day);
}

export function monthOf(isoDate: string): string {
  return isoDate.slice(0, 7);
}

/** ISO 8601 UTC string of an epoch ms. */
export function isoUtc(ms: number): string {
  return new Date(ms).toISOString();
}

const ISO_RE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*(Z|z|UTC|[+-]\d{2}(?::?\d{2})?)?)?$/;

/** Epoch ms of a UTC calendar time. Unlike Date.UTC, years 0-99 stay years 0-99 (Date.UTC reads 0026 as 1926). */
function utcMs(year: number, month: number, day: number, hour = 0, minute = 0, second = 0): number {
  return new Date(Date.UTC(2000, 0, 1, hour, minute, second)).setUTCFullYear(year, month - 1, day);
}

/** Largest UTC offset a timestamp may name: ±18:00, as java.time and most parsers allow (real zones stay within -12..+14). */
const MAX_OFFSET_MINUTES = 18 * 60;

/** An ISO 8601 date or date-time read as UTC; `offset` is the zone it names (undefined: it names none). */
function parseIso(s: string): { ms: number; offset: number | undefined; dateOnly: boolean } | undefined {
  const m = ISO_RE.exec(s);
  if (!m) return undefined;
  const [, y, mo, d, h, mi = '0', se = '0', frac = '', zone] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h ?? 0);
  const minute = Number(mi);
  const second = Number(se);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return undefined;
  if (new Date(utcMs(year, month, day)).getUTCDate() !== day) return undefined; // 2026-02-30
  const ms = utcMs(year, month, day, hour, minute, second) + Math.round(Number(`0.${frac || '0'}`) * 1000);
  let offset: number | undefined;
  if (zone === 'Z' || zone === 'z' || zone === 'UTC') offset = 0;
  else if (zone) {
    const zm = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone);
    if (!zm) return undefined;
    const minutes = Number(zm[2]) * 60 + Number(zm[3] ?? 0);
    if (Number(zm[3] ?? 0) > 59 || minutes > MAX_OFFSET_MINUTES) return undefined; // +25:00
    offset = (zm[1] === '+' ? 1 : -1) * minutes * 60_000;
  }
  return { ms: ms - (offset ?? 0), offset, dateOnly: h === undefined };
}

/**
 * Epoch seconds, milliseconds, microseconds or nanoseconds, told apart by magnitude: from 1973 to 5138 each
 * unit has its own band (s < 1e11, ms < 1e14, µs < 1e17, ns < 1e20), so within the plausible range (see
 * plausibleTime) the reading is unambiguous. Undefined at or beyond 1e20.
 */
export function epochToMs(n: number): number | undefined {
  if (!Number.isFinite(n)) return undefined;
  if (n < 1e11) return Math.round(n * 1000);
  if (n < 1e14) return Math.round(n);
  if (n < 1e17) return Math.round(n / 1e3);
  if (n < 1e20) return Math.round(n / 1e6);
  return undefined;
}

/** Earliest time a usage record may carry: LLM APIs billed by the token did not exist before. */
export const PLAUSIBLE_FROM = Date.UTC(2015, 0, 1);
/** How far past `now` a usage record may be dated (clock skew, a bill dated ahead): one year. */
export const PLAUSIBLE_AHEAD_MS = 366 * DAY_MS;

/**
 * Whether `ms` lies in the plausible range for usage, [2015-01-01, now + 366 days]: outside it a timestamp is
 * a unit or year mistake (1970 from epoch 0, 1926 from "26", year 55,000 from ms read as seconds), and storing it
 * would make every report span the years between.
 */
export function plausibleTime(ms: number, now: number): boolean {
  return Number.isFinite(ms) && ms >= PLAUSIBLE_FROM && ms <= now + PLAUSIBLE_AHEAD_MS;
}

/**
 * Parses a timestamp from a log or CSV: ISO 8601 with or without zone (no zone = UTC, as gateways log),
 * a date alone (midnight UTC), or epoch seconds / ms / µs / ns (told apart by magnitude, see epochToMs).
 * Returns undefined when the text is not a timestamp.
 */
export function parseTimestamp(text: string): number | undefined {
  const s = text.trim();
  if (s === '') return undefined;
  const fast = sameHour(s);
  if (fast !== undefined) return fast;
  if (/^\d+(\.\d+)?$/.test(s)) {
    return epochToMs(Number(s));
  }
  const iso = parseIso(s);
  const tail = iso && hourTail(s);
  if (iso && tail !== undefined) {
    lastHour = s.slice(0, 13);
    lastHourMs = iso.ms - tail;
  }
  return iso?.ms;
}

/**
 * Logs are written in time order, so most timestamps share the hour of the one before. For the shape logs use,
 * `YYYY-MM-DDTHH:MM:SS[.fraction]Z`, the hour's epoch ms is kept and only minutes and seconds are read: the
 * result is the one parseIso gives (it is linear in them), without its pattern and Date objects.
 */
let lastHour = '';
let lastHourMs = 0;

function sameHour(s: string): number | undefined {
  if (lastHour === '' || !s.startsWith(lastHour)) return undefined;
  const tail = hourTail(s);
  return tail === undefined ? undefined : lastHourMs + tail;
}

/** Two digits at `i` as a number, or -1. */
function twoDigits(s: string, i: number): number {
  const tens = s.charCodeAt(i) - 48;
  const ones = s.charCodeAt(i + 1) - 48;
  return tens >= 0 && tens <= 9 && ones >= 0 && ones <= 9 ? tens * 10 + ones : -1;
}

/** The ms after the hour of `:MM:SS[.fraction]Z` at position 13 (as parseIso reads them), or undefined for another shape. */
function hourTail(s: string): number | undefined {
  const n = s.length;
  if (n < 20 || n > 30 || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58 || s.charCodeAt(n - 1) !== 90) return undefined; // ':' ':' 'Z'
  const minute = twoDigits(s, 14);
  const second = twoDigits(s, 17);
  if (minute < 0 || minute > 59 || second < 0 || second > 60) return undefined;
  const whole = minute * 60_000 + second * 1000;
  if (n === 20) return whole;
  if (s.charCodeAt(19) !== 46 || n === 21) return undefined; // '.' and at least one digit
  for (let i = 20; i < n - 1; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return undefined;
  }
  return whole + Math.round(Number(`0.${s.slice(20, n - 1)}`) * 1000);
}

/** A date without a time ("2026-10-01"): daily exports carry these, and they name a calendar day, not an instant. */
export function isDateOnly(text: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(text.trim());
}

/**
 * Parses a --since/--until value in `tz`: an ISO date (a local calendar day), a month, an ISO date-time
 * (with an offset or Z/UTC it names that instant whatever `tz` is; without one it is a wall-clock time in
 * `tz`), "today", a span of hours counted back from `now` ("24h"), or a day counted back from today:
 * "1d" and "0d" are today, "7d" the sixth day before it ("4w" = "28d"). `end` turns a day into its end,
 * so --until 2026-01-31 includes the whole 31st and --until 0d the rest of today.
 */
export function parseBoundary(text: string, tz: string, now: number, end: boolean, flag: string): number {
  const s = text.trim();
  const rel = /^(\d+)\s*([hdw])$/.exec(s);
  if (rel) {
    const n = Number(rel[1]);
    if (rel[2] === 'h') return now - n * 3_600_000;
    // Whole local days: "7d" starts at local midnight 6 days before today, so today counts as day 7; "0d" is today.
    const days = Math.max(rel[2] === 'd' ? n : n * 7, 1);
    return dayBoundary(dayNumber(localDate(now, tz)) - (days - 1), tz, end);
  }
  if (s === 'today') return dayBoundary(dayNumber(localDate(now, tz)), tz, end);
  if (/^\d{4}-\d{2}-\d{2}$/.test(s) && parseTimestamp(s) !== undefined) return dayBoundary(dayNumber(s), tz, end);
  if (/^\d{4}-\d{2}$/.test(s) && parseTimestamp(`${s}-01`) !== undefined) {
    const [y, m] = s.split('-').map(Number);
    const first = `${s}-01`;
    if (!end) return zonedToUtc(isoToWall(first), tz);
    const next = m === 12 ? `${(y ?? 0) + 1}-01-01` : `${y}-${pad((m ?? 0) + 1)}-01`;
    return zonedToUtc(isoToWall(next), tz);
  }
  const iso = parseIso(s);
  if (iso && !iso.dateOnly) {
    if (iso.offset !== undefined) return iso.ms;
    // A date-time without a zone is a wall-clock time in --tz.
    return zonedToUtc(wallClock(iso.ms, 'UTC'), tz);
  }
  throw new UserError(`${flag}: cannot read "${text}" as a date.`, {
    hint: 'Use YYYY-MM-DD, YYYY-MM, an ISO date-time (2026-01-01T10:00, with Z or +05:30 to name an instant), "today", or a span such as 7d, 4w, 24h.',
  });
}

/** Start of local day `day` (a day number) in `tz`, or with `end` the start of the day after it. */
function dayBoundary(day: number, tz: string, end: boolean): number {
  return zonedToUtc(isoToWall(dayNumberToIso(end ? day + 1 : day)), tz);
}

export function isoToWall(iso: string): WallClock {
  const [y, m, d] = iso.split('-').map(Number);
  return { year: y ?? 1970, month: m ?? 1, day: d ?? 1, hour: 0, minute: 0, second: 0 };
}

/** Names of UTC that /etc/localtime may link to; ICU reports each of them as "UTC". */
const UTC_LINKS = new Set(['UTC', 'Etc/UTC', 'UCT', 'Etc/UCT', 'Universal', 'Etc/Universal', 'Zulu', 'Etc/Zulu']);

/**
 * The system's zone unless TZ says otherwise (Node honours TZ). A system on UTC (most servers and CI runners) is
 * told by the /etc/localtime link, as ICU reads it, without building an Intl formatter: that costs ~15 ms, a
 * tenth of a whole `report`. Any other zone is ICU's own answer (its canonical name).
 */
export function systemTimeZone(env: NodeJS.ProcessEnv = process.env, localtime = '/etc/localtime'): string {
  if (env.TZ === undefined) {
    try {
      const target = readlinkSync(localtime);
      const at = target.lastIndexOf('zoneinfo/');
      if (at >= 0 && UTC_LINKS.has(target.slice(at + 'zoneinfo/'.length))) return 'UTC';
    } catch {
      // Not a link (a copied zone file) or no such file: ICU decides.
    }
  }
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}
