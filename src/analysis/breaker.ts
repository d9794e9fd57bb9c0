/**
 * Latching circuit breakers (`limits.hourlyUsd` / `limits.dailyUsd`), derived from the stored usage rather than
 * from state written by `budget check` (which opens the database read-only): the spend of each window of a
 * look-back is replayed through the breaker, and its state at `now` is what a breaker checked all along would show.
 *
 * Windows are fixed clock windows in the budget's time zone: local clock hours for the hourly limit, local days
 * (23 or 25 hours across a DST change) for the daily limit. A rolling "last 60 minutes" cannot latch: its boundary
 * is always `now`, so a one-window latch would end exactly when it is read.
 *
 * The breaker opens at the start of the first window whose spend exceeds the limit (the current window counts
 * its spend so far). It stays open through the whole next window, whatever is spent in it, and closes at the first
 * window boundary after that at which the window just ended spent no more than the limit. A window over the limit
 * after it closed opens it again.
 */
import { dayNumber, dayNumberToIso, isoToWall, isoUtc, localDate, offsetAt, zonedToUtc } from '../lib/time.js';

export type BreakerKind = 'hourly' | 'daily';

/** Windows replayed: 48 clock hours, 7 local days, the current one included. A breaker open longer than its
 * look-back shows the look-back's first window as its opening. */
const LOOKBACK: Record<BreakerKind, number> = { hourly: 48, daily: 7 };

const HOUR_MS = 3_600_000;

/** One window of the replay, [start, end) in epoch ms. */
export interface BreakerWindow {
  start: number;
  end: number;
}

export interface BreakerState {
  state: 'open' | 'closed';
  /** ISO instant the breaker opened (a window start), or null when closed. */
  openedAt: string | null;
  /** Spend of the window containing `now`, so far. */
  windowSpendNanos: bigint;
  limitNanos: bigint;
  /** The earliest window boundary at which an open breaker can close, or null when closed. */
  closesNoEarlierThan: string | null;
}

/**
 * The windows of a breaker's look-back, oldest first, up to the one containing `now` (its full span), and the
 * window after it (an open breaker closes at a boundary, and the first one it can reach may lie past the current window).
 */
export function breakerWindows(kind: BreakerKind, now: number, tz: string): BreakerWindow[] {
  const out: BreakerWindow[] = [];
  const n = LOOKBACK[kind];
  if (kind === 'daily') {
    const today = dayNumber(localDate(now, tz));
    const at = (day: number): number => zonedToUtc(isoToWall(dayNumberToIso(day)), tz);
    for (let d = today - n + 1; d <= today + 1; d++) out.push({ start: at(d), end: at(d + 1) });
    return out;
  }
  // Local clock hours: whole UTC hours in whole-hour zones, on the half hour in India. DST moves clocks by a
  // whole hour, so a local hour boundary stays one when stepped by an hour.
  const wall = now + offsetAt(now, tz);
  const hourStart = now - (((wall % HOUR_MS) + HOUR_MS) % HOUR_MS);
  for (let k = n - 1; k >= -1; k--) out.push({ start: hourStart - k * HOUR_MS, end: hourStart - (k - 1) * HOUR_MS });
  return out;
}

/**
 * The breaker's state at `now` after `windows` (oldest first, consecutive, as breakerWindows returns them; the
 * one containing `now` holds its spend so far, windows starting after `now` only their bounds). Pure.
 */
export function replayBreaker(windows: readonly (BreakerWindow & { spendNanos: bigint })[], limitNanos: bigint, now: number): BreakerState {
  const last = windows.findLastIndex((w) => w.start <= now);
  let opened: number | undefined;
  for (let i = 0; i <= last; i++) {
    const w = windows[i];
    if (!w) continue;
    const prev = windows[i - 1];
    // At this window's start boundary: close once the window after the opening one is over and the window just
    // ended is back within the limit.
    if (opened !== undefined && prev && i >= opened + 2 && prev.spendNanos <= limitNanos) opened = undefined;
    if (opened === undefined && w.spendNanos > limitNanos) opened = i;
  }
  const current = windows[last];
  const windowSpendNanos = current?.spendNanos ?? 0n;
  const openedWindow = opened === undefined ? undefined : windows[opened];
  if (opened === undefined || !openedWindow || !current) {
    return { state: 'closed', openedAt: null, windowSpendNanos, limitNanos, closesNoEarlierThan: null };
  }
  // The next boundary that can close it: the end of the window after the opening one, or of the current window.
  const afterOpening = windows[opened + 1]?.end ?? 2 * openedWindow.end - openedWindow.start;
  return {
    state: 'open',
    openedAt: isoUtc(openedWindow.start),
    windowSpendNanos,
    limitNanos,
    closesNoEarlierThan: isoUtc(Math.max(afterOpening, current.end)),
  };
}
