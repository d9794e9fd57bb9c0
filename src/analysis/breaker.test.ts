import { describe, expect, it } from 'vitest';
import { breakerWindows, replayBreaker } from './breaker.js';

const USD = 1_000_000_000n;
const T = (iso: string): number => Date.parse(iso);

/** Hourly windows at `now` (UTC) with the given spend (USD) per clock hour, keyed by "HH" of 2026-11-23. */
function hourly(now: string, spend: Record<string, number>) {
  return breakerWindows('hourly', T(now), 'UTC').map((w) => {
    const hh = new Date(w.start).toISOString().slice(0, 13);
    const usd = w.start <= T(now) ? (spend[hh] ?? 0) : 0;
    return { ...w, spendNanos: BigInt(usd) * USD };
  });
}

describe('breakerWindows', () => {
  it('gives 48 clock hours up to the current one, and the next hour', () => {
    const w = breakerWindows('hourly', T('2026-11-23T14:20:00Z'), 'UTC');
    expect(w).toHaveLength(49);
    expect(w.at(-2)).toEqual({ start: T('2026-11-23T14:00:00Z'), end: T('2026-11-23T15:00:00Z') });
    expect(w[0]?.start).toBe(T('2026-11-21T15:00:00Z'));
    expect(w.at(-1)?.start).toBe(T('2026-11-23T15:00:00Z'));
  });
  it('uses local clock hours in a half-hour zone (India, UTC+5:30)', () => {
    const w = breakerWindows('hourly', T('2026-11-23T08:40:00Z'), 'Asia/Kolkata');
    // 14:10 IST: the clock hour 14:00-15:00 IST is 08:30-09:30 UTC.
    expect(w.at(-2)).toEqual({ start: T('2026-11-23T08:30:00Z'), end: T('2026-11-23T09:30:00Z') });
  });
  it('uses local days of 23 and 25 hours across DST changes', () => {
    const w = breakerWindows('daily', T('2026-11-02T12:00:00Z'), 'America/New_York');
    expect(w).toHaveLength(8);
    // 2026-11-01 is the fall-back day in New York: 25 hours, from 04:00Z (EDT midnight) to 05:00Z the next day.
    expect(w.at(-3)).toEqual({ start: T('2026-11-01T04:00:00Z'), end: T('2026-11-02T05:00:00Z') });
    expect(w.at(-2)).toEqual({ start: T('2026-11-02T05:00:00Z'), end: T('2026-11-03T05:00:00Z') });
  });
});

describe('replayBreaker', () => {
  const L = 10n * USD;
  it('stays closed while no window is over the limit (a limit reached exactly does not trip)', () => {
    expect(
      replayBreaker(hourly('2026-11-23T14:30:00Z', { '2026-11-23T13': 10, '2026-11-23T14': 4 }), L, T('2026-11-23T14:30:00Z')),
    ).toEqual({
      state: 'closed',
      openedAt: null,
      windowSpendNanos: 4n * USD,
      limitNanos: L,
      closesNoEarlierThan: null,
    });
  });
  it('opens at the start of the first window over the limit, the current one counting its spend so far', () => {
    const now = '2026-11-23T14:30:00Z';
    expect(replayBreaker(hourly(now, { '2026-11-23T14': 15 }), L, T(now))).toEqual({
      state: 'open',
      openedAt: '2026-11-23T14:00:00.000Z',
      windowSpendNanos: 15n * USD,
      limitNanos: L,
      closesNoEarlierThan: '2026-11-23T16:00:00.000Z',
    });
  });
  it('stays open through the next window even when it spends nothing, and closes at the boundary after it', () => {
    const spend = { '2026-11-23T14': 15 };
    const during = replayBreaker(hourly('2026-11-23T15:59:00Z', spend), L, T('2026-11-23T15:59:00Z'));
    expect(during).toMatchObject({ state: 'open', openedAt: '2026-11-23T14:00:00.000Z', windowSpendNanos: 0n });
    expect(during.closesNoEarlierThan).toBe('2026-11-23T16:00:00.000Z');
    expect(replayBreaker(hourly('2026-11-23T16:00:00Z', spend), L, T('2026-11-23T16:00:00Z')).state).toBe('closed');
  });
  it('closes only at the first boundary after a window back under the limit', () => {
    const spend = { '2026-11-23T10': 11, '2026-11-23T11': 3, '2026-11-23T12': 12, '2026-11-23T13': 2 };
    const at = (now: string) => replayBreaker(hourly(now, spend), L, T(now));
    // Opened in 10:00; 11:00 is the window after opening; 12:00 starts with 11:00 under the limit: closed, and
    // 12:00 itself over the limit opens it again.
    expect(at('2026-11-23T11:30:00Z')).toMatchObject({ state: 'open', openedAt: '2026-11-23T10:00:00.000Z' });
    expect(at('2026-11-23T12:10:00Z')).toMatchObject({
      state: 'open',
      openedAt: '2026-11-23T12:00:00.000Z',
      closesNoEarlierThan: '2026-11-23T14:00:00.000Z',
    });
    expect(at('2026-11-23T13:59:00Z')).toMatchObject({ state: 'open', openedAt: '2026-11-23T12:00:00.000Z' });
    expect(at('2026-11-23T14:00:00Z').state).toBe('closed');
  });
  it('keeps an open breaker open while every window stays over the limit', () => {
    const spend = { '2026-11-23T10': 11, '2026-11-23T11': 11, '2026-11-23T12': 11, '2026-11-23T13': 1 };
    const at = (now: string) => replayBreaker(hourly(now, spend), L, T(now));
    expect(at('2026-11-23T12:30:00Z')).toMatchObject({
      state: 'open',
      openedAt: '2026-11-23T10:00:00.000Z',
      closesNoEarlierThan: '2026-11-23T13:00:00.000Z',
    });
    expect(at('2026-11-23T13:30:00Z')).toMatchObject({ state: 'open', closesNoEarlierThan: '2026-11-23T14:00:00.000Z' });
    expect(at('2026-11-23T14:00:00Z').state).toBe('closed');
  });
  it('judges a daily limit on local days across a DST change', () => {
    // New York, fall back on 2026-11-01 (a 25-hour day). $7 at 23:30 EST on Nov 1 (04:30Z Nov 2) is Nov 1's spend.
    const tz = 'America/New_York';
    const spends = new Map([[T('2026-11-01T04:00:00Z'), 7n * USD + 4n * USD]]);
    const replay = (now: string) =>
      replayBreaker(
        breakerWindows('daily', T(now), tz).map((w) => ({ ...w, spendNanos: w.start <= T(now) ? (spends.get(w.start) ?? 0n) : 0n })),
        L,
        T(now),
      );
    expect(replay('2026-11-02T04:59:00Z')).toMatchObject({
      state: 'open',
      openedAt: '2026-11-01T04:00:00.000Z',
      closesNoEarlierThan: '2026-11-03T05:00:00.000Z',
    });
    // Nov 2 (EST) spends nothing, yet the breaker holds through it, and closes at local midnight of Nov 3.
    expect(replay('2026-11-03T04:59:00Z').state).toBe('open');
    expect(replay('2026-11-03T05:00:00Z').state).toBe('closed');
  });
  it('judges a daily limit on local days in a half-hour zone', () => {
    // India: 2026-11-23 IST is 2026-11-22T18:30Z to 2026-11-23T18:30Z.
    const w = breakerWindows('daily', T('2026-11-23T20:00:00Z'), 'Asia/Kolkata');
    expect(w.at(-2)).toEqual({ start: T('2026-11-23T18:30:00Z'), end: T('2026-11-24T18:30:00Z') });
    const spend = w.map((x) => ({ ...x, spendNanos: x.start === T('2026-11-22T18:30:00Z') ? 11n * USD : 0n }));
    expect(replayBreaker(spend, L, T('2026-11-23T20:00:00Z'))).toMatchObject({
      state: 'open',
      openedAt: '2026-11-22T18:30:00.000Z',
      windowSpendNanos: 0n,
      closesNoEarlierThan: '2026-11-24T18:30:00.000Z',
    });
  });
});
