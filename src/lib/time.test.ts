import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DAY_MS,
  dayNumber,
  dayNumberToIso,
  epochToMs,
  localDate,
  monthOf,
  offsetAt,
  offsetSegments,
  parseBoundary,
  parseTimestamp,
  plausibleTime,
  startOfLocalDay,
  systemTimeZone,
  type WallClock,
  wallClock,
  weekdayOf,
  zonedToUtc,
} from './time.js';

describe('parseTimestamp', () => {
  it('reads a run of timestamps in one hour as it reads each alone (the hour kept from the line before)', () => {
    // A cold hour, then one primed by the timestamp before: the same instant either way.
    const hours = fc.integer({ min: 0, max: 23 });
    const minutes = fc.integer({ min: 0, max: 59 });
    const seconds = fc.integer({ min: 0, max: 60 });
    const fraction = fc.oneof(fc.constant(''), fc.stringMatching(/^[0-9]{1,9}$/));
    fc.assert(
      fc.property(hours, minutes, seconds, fraction, minutes, seconds, fraction, (h, m1, s1, f1, m2, s2, f2) => {
        const two = (n: number) => String(n).padStart(2, '0');
        const at = (m: number, s: number, f: string) => `2026-03-14T${two(h)}:${two(m)}:${two(s)}${f ? `.${f}` : ''}Z`;
        const expected = (m: number, s: number, f: string) => Date.UTC(2026, 2, 14, h, m, s) + Math.round(Number(`0.${f || '0'}`) * 1000);
        expect(parseTimestamp(at(m1, s1, f1))).toBe(expected(m1, s1, f1));
        expect(parseTimestamp(at(m2, s2, f2))).toBe(expected(m2, s2, f2));
      }),
    );
  });

  it('after a primed hour, still refuses or reads apart what is not that shape', () => {
    expect(parseTimestamp('2026-03-14T10:15:00Z')).toBe(Date.UTC(2026, 2, 14, 10, 15));
    expect(parseTimestamp('2026-03-14T10:15:61Z')).toBeUndefined();
    expect(parseTimestamp('2026-03-14T10:15:0xZ')).toBeUndefined();
    expect(parseTimestamp('2026-03-14T10:60:00Z')).toBeUndefined();
    expect(parseTimestamp('2026-03-14T10:15:30.Z')).toBeUndefined();
    expect(parseTimestamp('2026-03-14T10:15:30+05:30')).toBe(Date.UTC(2026, 2, 14, 4, 45, 30));
    expect(parseTimestamp('2026-03-14T10:15:30,5Z')).toBe(Date.UTC(2026, 2, 14, 10, 15, 30, 500));
    expect(parseTimestamp('2026-03-14T10:15')).toBe(Date.UTC(2026, 2, 14, 10, 15));
  });

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

  it('ends the last span at `to` when `to` is a transition (no empty span with the next offset)', () => {
    // Found by the property below: 1995-10-29T06:00Z is when New York falls back.
    const segs = offsetSegments(Date.UTC(1995, 0, 1), Date.UTC(1995, 9, 29, 6), 'America/New_York');
    expect(segs.map((s) => [new Date(s.from).toISOString(), new Date(s.to).toISOString(), s.offset / 3_600_000])).toEqual([
      ['1995-01-01T00:00:00.000Z', '1995-04-02T07:00:00.000Z', -5],
      ['1995-04-02T07:00:00.000Z', '1995-10-29T06:00:00.000Z', -4],
    ]);
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
  it.each([
    ['2026-01-01T10:00+05', '2026-01-01T05:00:00.000Z'],
    ['2026-01-01T10:00+05:30', '2026-01-01T04:30:00.000Z'],
    ['2026-01-01T10:00+0545', '2026-01-01T04:15:00.000Z'],
    ['2026-01-01T10:00-03:30', '2026-01-01T13:30:00.000Z'],
    ['2026-01-01 10:00:00 UTC', '2026-01-01T10:00:00.000Z'],
    ['2026-01-01T10:00:00Z', '2026-01-01T10:00:00.000Z'],
    ['2026-01-01T10:00Z', '2026-01-01T10:00:00.000Z'],
  ])('reads %s as the instant it names, whatever --tz says', (text, iso) => {
    for (const tz of ['UTC', 'America/New_York', 'Asia/Kolkata', 'Australia/Lord_Howe']) {
      expect(new Date(parseBoundary(text, tz, now, false, '--since')).toISOString()).toBe(iso);
      expect(new Date(parseBoundary(text, tz, now, true, '--until')).toISOString()).toBe(iso);
    }
  });
  it('reads a date-time without a zone as a wall clock in --tz', () => {
    expect(parseBoundary('2026-01-01T10:00', 'Asia/Kolkata', now, false, '--since')).toBe(Date.UTC(2026, 0, 1, 4, 30));
    expect(parseBoundary('2026-01-01 10:00:00', 'America/New_York', now, false, '--since')).toBe(Date.UTC(2026, 0, 1, 15));
  });
  // now is 2026-11-23T15:00Z: in Tokyo that is already the 24th.
  it.each([
    ['0d', 'UTC', '2026-11-23T00:00:00.000Z', '2026-11-24T00:00:00.000Z'],
    ['1d', 'UTC', '2026-11-23T00:00:00.000Z', '2026-11-24T00:00:00.000Z'],
    ['today', 'UTC', '2026-11-23T00:00:00.000Z', '2026-11-24T00:00:00.000Z'],
    ['2d', 'UTC', '2026-11-22T00:00:00.000Z', '2026-11-23T00:00:00.000Z'],
    ['0w', 'UTC', '2026-11-23T00:00:00.000Z', '2026-11-24T00:00:00.000Z'],
    ['1w', 'UTC', '2026-11-17T00:00:00.000Z', '2026-11-18T00:00:00.000Z'],
    ['0d', 'Asia/Tokyo', '2026-11-23T15:00:00.000Z', '2026-11-24T15:00:00.000Z'],
    ['0d', 'America/New_York', '2026-11-23T05:00:00.000Z', '2026-11-24T05:00:00.000Z'],
    ['0h', 'UTC', '2026-11-23T15:00:00.000Z', '2026-11-23T15:00:00.000Z'],
    ['24h', 'Asia/Tokyo', '2026-11-22T15:00:00.000Z', '2026-11-22T15:00:00.000Z'],
  ])('%s in %s: --since is %s, --until %s', (text, tz, since, until) => {
    expect(new Date(parseBoundary(text, tz, now, false, '--since')).toISOString()).toBe(since);
    expect(new Date(parseBoundary(text, tz, now, true, '--until')).toISOString()).toBe(until);
  });
  it.each(['2026-13', '2026-01-01T10:00+5', '2026-01-01T10:00 CET', '1735725600'])('rejects %j', (text) => {
    expect(() => parseBoundary(text, 'UTC', now, false, '--since')).toThrow(/--since: cannot read/);
  });
  it('names the flag when it cannot read a value', () => {
    expect(() => parseBoundary('last tuesday', 'UTC', now, false, '--since')).toThrow(/--since: cannot read "last tuesday"/);
  });
});

/** Zones with DST gaps and overlaps (Lord Howe's is 30 minutes; Santiago skips midnight) and fractional offsets. */
const ZONES = [
  'America/New_York',
  'Europe/London',
  'Australia/Lord_Howe',
  'America/Santiago',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'Australia/Adelaide',
  'UTC',
];
const zone = fc.constantFrom(...ZONES);
/** Whole seconds between 1995 and 2040: the range the zone rules are exercised over. */
const instant = fc.integer({ min: Date.UTC(1995, 0, 1) / 1000, max: Date.UTC(2040, 0, 1) / 1000 }).map((s) => s * 1000);
const wallAsUtc = (w: WallClock): number => Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);

describe('wall clock ↔ UTC (properties)', () => {
  it('maps an instant’s wall clock back to it, or to the earlier instant of an overlap', () => {
    fc.assert(
      fc.property(instant, zone, (ms, tz) => {
        const w = wallClock(ms, tz);
        const back = zonedToUtc(w, tz);
        expect(wallClock(back, tz)).toEqual(w);
        if (back !== ms) {
          // Only the second pass through a repeated hour may map elsewhere: to the first pass, earlier by the offset change.
          expect(back).toBeLessThan(ms);
          expect(offsetAt(back, tz) - offsetAt(ms, tz)).toBe(ms - back);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('moves a wall clock inside a DST gap forward by the gap, never back', () => {
    fc.assert(
      fc.property(instant, zone, fc.integer({ min: 0, max: 7199 }), (ms, tz, shift) => {
        // Any wall-clock time near a real one: shifted as a calendar reading, so it may fall in a gap.
        const d = new Date(wallAsUtc(wallClock(ms, tz)) + shift * 1000);
        const w = wallClock(d.getTime(), 'UTC');
        const back = zonedToUtc(w, tz);
        const gap = offsetAt(back, tz) - offsetAt(back - 2 * 3_600_000, tz);
        const moved = wallAsUtc(wallClock(back, tz)) - wallAsUtc(w);
        expect(moved === 0 || (gap > 0 && moved === gap)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it.each([
    // 02:30 does not exist on 2026-03-08 in New York: it is read as 03:30 EDT.
    ['America/New_York', { year: 2026, month: 3, day: 8, hour: 2, minute: 30, second: 0 }, '2026-03-08T07:30:00.000Z'],
    // 01:30 happens twice on 2026-11-01: the first (EDT) is meant.
    ['America/New_York', { year: 2026, month: 11, day: 1, hour: 1, minute: 30, second: 0 }, '2026-11-01T05:30:00.000Z'],
    ['Europe/London', { year: 2026, month: 10, day: 25, hour: 1, minute: 30, second: 0 }, '2026-10-25T00:30:00.000Z'],
    // 01:30 does not exist on 2026-03-29 in London: it is read as 02:30 BST.
    ['Europe/London', { year: 2026, month: 3, day: 29, hour: 1, minute: 30, second: 0 }, '2026-03-29T01:30:00.000Z'],
    // Lord Howe moves by 30 minutes: 02:15 on 2026-10-04 does not exist (02:00 → 02:30, +10:30 → +11).
    ['Australia/Lord_Howe', { year: 2026, month: 10, day: 4, hour: 2, minute: 15, second: 0 }, '2026-10-03T15:45:00.000Z'],
    // 01:45 happens twice on 2026-04-05 (02:00 +11 → 01:30 +10:30): the first is meant.
    ['Australia/Lord_Howe', { year: 2026, month: 4, day: 5, hour: 1, minute: 45, second: 0 }, '2026-04-04T14:45:00.000Z'],
    // Santiago skips midnight on 2026-09-06: the day starts at 01:00 -03.
    ['America/Santiago', { year: 2026, month: 9, day: 6, hour: 0, minute: 0, second: 0 }, '2026-09-06T04:00:00.000Z'],
    ['Asia/Kathmandu', { year: 2026, month: 1, day: 1, hour: 0, minute: 0, second: 0 }, '2025-12-31T18:15:00.000Z'],
  ])('%s %o is %s', (tz, w, iso) => {
    expect(new Date(zonedToUtc(w, tz)).toISOString()).toBe(iso);
  });
});

describe('local days (properties)', () => {
  it('localDate and dayNumber agree with the offset, and ISO dates round-trip', () => {
    fc.assert(
      fc.property(instant, zone, (ms, tz) => {
        const day = localDate(ms, tz);
        expect(dayNumber(day)).toBe(Math.floor((ms + offsetAt(ms, tz)) / DAY_MS));
        expect(dayNumberToIso(dayNumber(day))).toBe(day);
        expect(dayNumber(monthOf(day) + '-01')).toBeLessThanOrEqual(dayNumber(day));
      }),
      { numRuns: 1000 },
    );
  });

  it('a local day starts on that day, at or before every instant of it', () => {
    fc.assert(
      fc.property(instant, zone, (ms, tz) => {
        const start = startOfLocalDay(ms, tz);
        expect(start).toBeLessThanOrEqual(ms);
        expect(localDate(start, tz)).toBe(localDate(ms, tz));
        expect(localDate(start - 1000, tz)).not.toBe(localDate(ms, tz));
      }),
      { numRuns: 500 },
    );
  });
});

describe('offsetSegments (properties)', () => {
  it('covers [from, to) without gaps or overlaps, each span with the zone’s offset throughout', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 1, max: 400 * DAY_MS }), zone, fc.integer({ min: 0, max: 999 }), (from0, len, tz, extra) => {
        const from = from0 + extra; // not always on a whole second
        const to = from + len;
        const segs = offsetSegments(from, to, tz);
        expect(segs[0]?.from).toBe(from);
        expect(segs.at(-1)?.to).toBe(to);
        segs.forEach((s, i) => {
          expect(s.to).toBeGreaterThan(s.from);
          expect(offsetAt(s.from, tz)).toBe(s.offset);
          expect(offsetAt(s.to - 1, tz)).toBe(s.offset);
          const next = segs[i + 1];
          if (next) {
            expect(next.from).toBe(s.to);
            expect(next.offset).not.toBe(s.offset);
          }
        });
      }),
      { numRuns: 100 },
    );
  });
});

describe('plausible times (issue 12)', () => {
  it.each([
    ['0026-03-01T10:00:00Z', '0026-03-01T10:00:00.000Z'],
    ['0099-12-31', '0099-12-31T00:00:00.000Z'],
    ['1735689600', '2025-01-01T00:00:00.000Z'],
    ['1735689600000', '2025-01-01T00:00:00.000Z'],
    ['1735689600000000', '2025-01-01T00:00:00.000Z'],
    ['1735689600000000000', '2025-01-01T00:00:00.000Z'],
    ['2026-01-01T00:00:00+14:00', '2025-12-31T10:00:00.000Z'],
  ])('reads %s as %s', (text, iso) => {
    expect(new Date(parseTimestamp(text) ?? Number.NaN).toISOString()).toBe(iso);
  });

  it.each([
    '2026-01-01T00:00:00+25:00',
    '2026-01-01T00:00:00+18:30',
    '2026-01-01T00:00:00+05:75',
    '100000000000000000000',
  ])('rejects %s', (text) => {
    expect(parseTimestamp(text)).toBeUndefined();
  });

  it('tells epoch units apart by magnitude and stops at 1e20', () => {
    expect([1.7e9, 1.7e12, 1.7e15, 1.7e18].map(epochToMs)).toEqual([1.7e12, 1.7e12, 1.7e12, 1.7e12]);
    expect(epochToMs(1e20)).toBeUndefined();
    expect(epochToMs(Number.NaN)).toBeUndefined();
  });

  it('is [2015-01-01, now + 366 days]', () => {
    const now = Date.UTC(2026, 9, 1);
    expect(plausibleTime(Date.UTC(2015, 0, 1), now)).toBe(true);
    expect(plausibleTime(Date.UTC(2014, 11, 31, 23, 59), now)).toBe(false);
    expect(plausibleTime(now + 366 * DAY_MS, now)).toBe(true);
    expect(plausibleTime(now + 367 * DAY_MS, now)).toBe(false);
  });
});

describe('weekdayOf', () => {
  it.each([
    ['1970-01-01', 3], // a Thursday
    ['2026-10-05', 0], // a Monday
    ['2026-10-11', 6], // a Sunday
    ['1969-12-29', 0], // a Monday before day 0
  ])('%s → %s', (iso, weekday) => {
    expect(weekdayOf(dayNumber(iso))).toBe(weekday);
  });
});

describe('systemTimeZone', () => {
  const dir = mkdtempSync(join(tmpdir(), 'llmcost-tz-'));
  const link = (name: string, target: string): string => {
    const p = join(dir, name);
    symlinkSync(target, p);
    return p;
  };
  const icu = Intl.DateTimeFormat().resolvedOptions().timeZone;

  it('reads UTC from an /etc/localtime link to any name of UTC, without ICU', () => {
    expect(systemTimeZone({}, link('a', '/usr/share/zoneinfo/Etc/UTC'))).toBe('UTC');
    expect(systemTimeZone({}, link('b', '../usr/share/zoneinfo/UTC'))).toBe('UTC');
    expect(systemTimeZone({}, link('c', '/usr/share/zoneinfo/Etc/Universal'))).toBe('UTC');
  });

  it('asks ICU for any other zone and for a file that is not a link', () => {
    expect(systemTimeZone({}, link('d', '/usr/share/zoneinfo/Europe/Berlin'))).toBe(icu);
    writeFileSync(join(dir, 'copied'), 'TZif');
    expect(systemTimeZone({}, join(dir, 'copied'))).toBe(icu);
    expect(systemTimeZone({}, join(dir, 'missing'))).toBe(icu);
  });
});
