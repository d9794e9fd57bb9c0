import { describe, expect, it } from 'vitest';
import { localDate, offsetSegments, parseBoundary, parseTimestamp, zonedToUtc } from './time.js';

describe('parseTimestamp', () => {
  it.each([
    ['2026-03-04T05:06:07Z', Date.UTC(2026, 2, 4, 5, 6, 7)],
    ['2026-03-04T05:06:07.250Z', Date.UTC(2026, 2, 4, 5, 6, 7, 250)],
    ['2026-03-04 05:06:07', Date.UTC(2026, 2, 4, 5, 6, 7)], // naive = UTC, as gateways log
    ['2026-03-04T05:06:07+02:00', Date.UTC(2026, 2, 4, 3, 6, 7)],
    ['2026-03-04T05:06:07.123456+0530', Date.UTC(2026, 2, 3, 23, 36, 7, 123)],
    ['2026-03-04', Date.UTC(2026, 2, 4)],
    ['1772600767', 1772600767000],
    ['1772600767123', 1772600767123],
  ])('%s', (text, ms) => expect(parseTimestamp(text)).toBe(ms));

  it.each(['', 'yesterday', '2026-02-30', '2026-13-01', '2026-03-04T25:00:00Z'])('rejects %j', (text) => {
    expect(parseTimestamp(text)).toBeUndefined();
  });
});

describe('zones', () => {
  it('finds the DST transitions of Europe/Berlin in 2026', () => {
    const segs = offsetSegments(Date.UTC(2026, 0, 1), Date.UTC(2027, 0, 1), 'Europe/Berlin');
    expect(segs.map((s) => s.offset / 3_600_000)).toEqual([1, 2, 1]);
    expect(new Date(segs[0]?.to ?? 0).toISOString()).toBe('2026-03-29T01:00:00.000Z');
    expect(new Date(segs[1]?.to ?? 0).toISOString()).toBe('2026-10-25T01:00:00.000Z');
  });

  it('puts 23:30 UTC into the next local day east of UTC', () => {
    expect(localDate(Date.UTC(2026, 5, 1, 23, 30), 'Europe/Berlin')).toBe('2026-06-02');
    expect(localDate(Date.UTC(2026, 5, 1, 3, 30), 'America/New_York')).toBe('2026-05-31');
  });

  it('converts wall clock to UTC', () => {
    expect(zonedToUtc({ year: 2026, month: 7, day: 1, hour: 0, minute: 0, second: 0 }, 'America/New_York')).toBe(Date.UTC(2026, 6, 1, 4));
  });
});

describe('parseBoundary', () => {
  const now = Date.UTC(2026, 10, 23, 15);
  it('reads dates as whole local days', () => {
    expect(parseBoundary('2026-11-01', 'UTC', now, false, '--since')).toBe(Date.UTC(2026, 10, 1));
    expect(parseBoundary('2026-11-01', 'UTC', now, true, '--until')).toBe(Date.UTC(2026, 10, 2));
    expect(parseBoundary('2026-10', 'UTC', now, true, '--until')).toBe(Date.UTC(2026, 10, 1));
    expect(parseBoundary('2026-11-01', 'Asia/Tokyo', now, false, '--since')).toBe(Date.UTC(2026, 9, 31, 15));
  });
  it('counts "7d" as today and the six days before', () => {
    expect(parseBoundary('7d', 'UTC', now, false, '--since')).toBe(Date.UTC(2026, 10, 17));
  });
  it('names the flag when it cannot read a value', () => {
    expect(() => parseBoundary('last tuesday', 'UTC', now, false, '--since')).toThrow(/--since: cannot read "last tuesday"/);
  });
});
