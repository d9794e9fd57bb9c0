import { describe, expect, it } from 'vitest';
import { usageRecord as record } from '../../../test/helpers/records.js';
import { dedupeKey, toRow } from '../../ingest/pipeline.js';
import { offsetSegments } from '../../lib/time.js';
import { embeddedCatalog } from '../../pricing/catalog.js';
import { Pricer } from '../../pricing/pricer.js';
import { openDb } from '../db.js';
import { aggregate } from './report.js';
import { wholeLocalDays } from './shifted-days.js';
import { startRun, UsageWriter } from './usage.js';

const H = 3_600_000;
const at = (iso: string): number => Date.parse(iso);

describe('wholeLocalDays', () => {
  it('takes the local days of one offset whole, and leaves the ends and a DST day to the caller', () => {
    // Berlin: UTC+2 until 2026-10-25 01:00 UTC, then UTC+1 (that local day has 25 hours).
    const lo = at('2026-10-22T10:00:00Z');
    const hi = at('2026-10-27T12:00:00Z');
    const { whole, rest } = wholeLocalDays(offsetSegments(lo, hi, 'Europe/Berlin'), lo, hi);
    const day = (iso: string): number => at(iso) / 86_400_000;
    expect(whole).toEqual([
      { day: day('2026-10-23'), utc: day('2026-10-22'), r: 22 * H },
      { day: day('2026-10-24'), utc: day('2026-10-23'), r: 22 * H },
      { day: day('2026-10-26'), utc: day('2026-10-25'), r: 23 * H },
    ]);
    expect(rest).toEqual([
      [lo, at('2026-10-22T22:00:00Z')],
      [at('2026-10-24T22:00:00Z'), at('2026-10-25T23:00:00Z')],
      [at('2026-10-26T23:00:00Z'), hi],
    ]);
  });
});

describe('local days by dimension from the daily rollup and the edges of each day', () => {
  it('equals the raw rows in half-hour, DST and negative-offset zones, with entities seen only at the edges', () => {
    const db = openDb(':memory:');
    const pricer = new Pricer(embeddedCatalog());
    const run = startRun(db, 'csv', 'x', undefined, undefined, 0);
    const w = new UsageWriter(db);
    const start = at('2026-10-01T00:00:00Z');
    for (let i = 0; i < 1500; i++) {
      const ts = start + i * 2_345_678; // about 41 days, every minute of the hour over time
      const hour = new Date(ts).getUTCHours();
      // "night" spends only between 18:00 and 20:00 UTC: inside Kolkata's edge, a local midnight in between.
      const user = hour >= 18 && hour < 20 ? 'night' : `u${i % 4}`;
      const r = record({
        ts,
        sourceId: `r${i}`,
        model: i % 5 === 0 ? 'acme-unpriced' : i % 2 ? 'gpt-4o' : 'claude-3-haiku-20240307',
        user,
        team: `t${i % 3}`,
        endpoint: i % 2 ? '/chat' : '/search',
        inputTokens: 1000 + i,
        outputTokens: 7 * i,
      });
      w.write(toRow(r, 'csv', run, pricer, dedupeKey('csv', r, 0)));
    }
    w.flush();
    const zones = ['Asia/Kolkata', 'Asia/Kathmandu', 'Europe/Berlin', 'America/New_York', 'America/St_Johns', 'Pacific/Chatham'];
    const ranges = [{}, { since: at('2026-10-03T18:30:00Z'), until: at('2026-11-05T07:13:00Z') }];
    for (const tz of zones) {
      for (const filter of ranges) {
        for (const dims of [['user'], ['team', 'model'], ['user', 'model', 'endpoint']] as const) {
          const q = { dims: [...dims], byDay: true, tz, filter };
          const raw = aggregate(db, { ...q, from: 'raw' });
          expect(raw.length).toBeGreaterThan(100);
          expect(aggregate(db, q)).toEqual(raw);
        }
      }
    }
    db.close();
  });
});
