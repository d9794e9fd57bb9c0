import { describe, expect, it } from 'vitest';
import { DEFAULTS, weekendSlot } from './anomalies.js';
import { type ScanInput, scan } from './anomaly-scan.js';

/** n days of a user: working days `weekday`, weekends `weekend`, ±2 % of deterministic wiggle (day 0 a Monday). */
const user = (n: number, weekday: number, weekend: number, phase: number): number[] =>
  Array.from({ length: n }, (_, i) => (i % 7 >= 5 ? weekend : weekday) * (1 + 0.02 * Math.sin(i * 1.3 + phase)));

function input(users: Record<string, number[]>, start: number): ScanInput {
  const series = new Map(Object.entries(users));
  const n = Object.values(users)[0]?.length ?? 0;
  const total = Array.from({ length: n }, (_, d) => [...series.values()].reduce((a, s) => a + (s[d] ?? 0), 0));
  return {
    buckets: Array.from({ length: n }, (_, i) => i),
    start,
    total,
    drivers: { user: series },
    options: { ...DEFAULTS.robust },
    slotOf: (d) => weekendSlot(d % 7),
  };
}

describe('scan', () => {
  it('reports a new user as kind new with its share of the total, even when the total barely moves', () => {
    const alice = user(40, 100, 30, 0);
    const bob = user(40, 60, 20, 1);
    const newcomer = Array.from({ length: 40 }, (_, i) => (i === 36 ? 8 : 0)); // +5 % of a working day
    const r = scan(input({ alice, bob, newcomer }, 30));
    expect(r.findings.map((f) => [f.kind, f.index, f.entity?.name ?? 'total'])).toEqual([['new', 36, 'newcomer']]);
    const total36 = (alice[36] ?? 0) + (bob[36] ?? 0) + 8;
    expect(r.findings[0]?.shareOfTotal).toBeCloseTo(8 / total36, 12);
  });

  it('dates a level shift at its first day, once, and its root cause is the user whose level moved', () => {
    // bob moves to a pricier model from day 37 (a Wednesday) on: ×2.5. carol has a high day just before, on
    // day 36 (+$12, the total +6 %), which a single-day root cause of the day before the shift would name.
    const alice = user(63, 100, 30, 0);
    const bob = user(63, 60, 20, 1).map((v, i) => (i >= 37 ? v * 2.5 : v));
    const carol = user(63, 40, 10, 2).map((v, i) => (i === 36 ? v * 1.3 : v));
    const r = scan(input({ alice, bob, carol }, 28));
    const shifts = r.findings.filter((f) => f.kind === 'level-shift');
    expect(shifts.map((f) => f.index)).toEqual([37]);
    expect(r.findings.filter((f) => f.kind === 'spike' && f.index >= 36)).toEqual([]);
    const drivers = shifts[0]?.drivers?.user ?? [];
    expect(drivers[0]?.entity).toBe('bob');
    // bob's excess is 1.5 × his own level, averaged over the shift's first 7 days; shares sum to 1 and the
    // attributed dollars to the total's excess.
    expect(drivers[0]?.share).toBeGreaterThan(0.9);
    expect(drivers.reduce((a, d) => a + d.share, 0)).toBeCloseTo(1, 12);
    expect(drivers.reduce((a, d) => a + d.attributed, 0)).toBeCloseTo(shifts[0]?.excess ?? 0, 9);
  });

  it('splits a spike by each user’s own change, and the attributed amounts add up to the excess', () => {
    const alice = user(40, 100, 30, 0).map((v, i) => (i === 32 ? v + 150 : v));
    const bob = user(40, 60, 20, 1).map((v, i) => (i === 32 ? v + 50 : v));
    const r = scan(input({ alice, bob }, 30));
    const [spike] = r.findings;
    expect(spike).toMatchObject({ kind: 'spike', index: 32 });
    const drivers = spike?.drivers?.user ?? [];
    expect(drivers.map((d) => d.entity)).toEqual(['alice', 'bob']);
    // Each user's own excess: the planted amount, give or take its 2 % wiggle.
    expect(Math.abs((drivers[0]?.excess ?? 0) - 150)).toBeLessThan(3);
    expect(Math.abs((drivers[1]?.excess ?? 0) - 50)).toBeLessThan(2);
    expect(drivers.reduce((a, d) => a + d.attributed, 0)).toBeCloseTo(spike?.excess ?? 0, 9);
  });
});
