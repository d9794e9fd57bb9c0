import { describe, expect, it } from 'vitest';
import {
  baseline,
  DEFAULTS,
  type DetectOptions,
  detectNew,
  detectSeries,
  isNewAt,
  median,
  robustSigma,
  rootCause,
  weekendSlot,
} from './anomalies.js';

const daily = (i: number): number => weekendSlot(i % 7); // day 0 is a Monday in these series
const FLOOR = Math.log(1.05); // the scale floor: 5 % in log space
const robust: DetectOptions = { ...DEFAULTS.robust, growthPoints: 0 };
const stddev: DetectOptions = { ...DEFAULTS.stddev, growthPoints: 0 };
const flat = (n: number, v: number): number[] => Array.from({ length: n }, () => v);
/** Weekdays $100, weekends $20 (days 5 and 6 of each week). */
const weekly = (n: number): number[] => Array.from({ length: n }, (_, i) => (i % 7 >= 5 ? 20 : 100));

describe('median', () => {
  it('handles odd, even and empty', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBe(0);
  });
});

describe('robust baseline', () => {
  it('floors the scale on a flat history: $10/day then $50 is a critical spike of $40', () => {
    const values = [...flat(28, 10), 50];
    const b = baseline(values, 28, robust, daily);
    // expected 10; threshold 10 · e^(5 · ln 1.05) = 10 · 1.05^5 = 12.7628
    expect(b?.expected).toBeCloseTo(10, 9);
    expect(b?.scale).toBeCloseTo(FLOOR, 12);
    expect(b?.threshold).toBeCloseTo(12.7628, 4);
    const [f, ...rest] = detectSeries(values, 28, robust, daily).findings;
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ kind: 'spike', severity: 'critical', index: 28, actual: 50 });
    expect(f?.excess).toBeCloseTo(40, 9);
    expect(f?.z).toBeCloseTo(Math.log(5) / FLOOR, 9); // 32.99: log-space z
  });

  it('is weekday-aware: a $150 Saturday is a spike, a $25 Saturday is not; stddev misses the first', () => {
    const history = weekly(28); // day 28 is a Monday, day 33 a Saturday
    const sat150 = [...history, 100, 100, 100, 100, 100, 150];
    expect(
      detectSeries(sat150, 28, robust, daily).findings.map((f) => [f.index, f.kind, Math.round(f.expected), Math.round(f.excess)]),
    ).toEqual([[33, 'spike', 20, 130]]);
    expect(detectSeries(sat150, 28, stddev, daily).findings).toEqual([]);
    const sat25 = [...history, 100, 100, 100, 100, 100, 25];
    expect(detectSeries(sat25, 28, robust, daily).findings).toEqual([]);
  });

  it('keeps small series quiet below --min-impact', () => {
    expect(detectSeries([...flat(28, 0.1), 0.9], 28, robust, daily).findings).toEqual([]);
    expect(detectSeries([...flat(28, 0.1), 0.9], 28, { ...robust, minImpact: 0.5 }, daily).findings).toHaveLength(1);
  });

  it('reports drops only when asked', () => {
    const values = [...flat(28, 100), 10];
    expect(detectSeries(values, 28, robust, daily).findings).toEqual([]);
    const d = detectSeries(values, 28, { ...robust, drops: true }, daily).findings;
    // lower threshold 100 / 1.05^5 = 78.35; a $90 shortfall is over twice its $21.65 margin.
    expect(d).toEqual([expect.objectContaining({ kind: 'drop', severity: 'critical', threshold: expect.closeTo(78.3526, 4) })]);
    expect(d[0]?.excess).toBeCloseTo(-90, 9);
  });

  it('says how many points it could not score for lack of history', () => {
    const r = detectSeries(flat(20, 5), 10, robust, daily);
    expect(r).toMatchObject({ scored: 6, unscored: 4, findings: [] });
  });
});

describe('stddev method', () => {
  it('uses mean + 3σ of the window', () => {
    const values = [...Array.from({ length: 28 }, (_, i) => (i % 2 ? 12 : 8)), 17];
    // mean 10, σ 2 → threshold 16.
    expect(baseline(values, 28, stddev, daily)).toEqual({ expected: 10, scale: 2, threshold: 16 });
    expect(detectSeries(values, 28, stddev, daily).findings).toEqual([
      expect.objectContaining({ kind: 'spike', excess: 7, z: 3.5, severity: 'warning' }),
    ]);
  });
});

describe('new spenders and sustained growth', () => {
  it('flags an entity with no history that spends above the minimum', () => {
    const r = detectSeries([...flat(28, 0), 0, 5, 6], 28, robust, daily);
    expect(r.findings).toEqual([expect.objectContaining({ kind: 'new', index: 29, actual: 5 })]);
  });

  it('flags a level shift once, at its first day', () => {
    const values = [...flat(28, 10), ...flat(7, 20)];
    const r = detectSeries(values, 28, { ...robust, growthPoints: 7 }, daily);
    const growth = r.findings.filter((f) => f.kind === 'level-shift');
    expect(growth).toEqual([
      expect.objectContaining({ index: 28, actual: expect.closeTo(20, 9), expected: expect.closeTo(10, 9), excess: expect.closeTo(10, 9) }),
    ]);
    // The seven shifted days are explained by the shift: no separate spike alarms.
    expect(r.findings.filter((f) => f.kind === 'spike')).toEqual([]);
  });
});

describe('robustSigma', () => {
  it('is the larger of the MAD and the trimmed SD estimates', () => {
    // Residuals -2..2: MAD = 1 → 1.4826; middle 80 % (-1, 0, 1) SD = 1 → 1 / 0.7892 = 1.2671.
    expect(robustSigma([-2, -1, 0, 1, 2])).toBeCloseTo(1.4826, 4);
    // Six exact points and four at ±0.5: the MAD is 0, the trimmed SD (middle 8 of 10) is
    // sqrt(0.5 / 7) / 0.7892 = 0.3387.
    expect(robustSigma([0, 0, 0, 0, 0, 0, 0.5, -0.5, 0.5, -0.5])).toBeCloseTo(0.33865, 4);
  });
});

describe('rootCause', () => {
  it('splits the excess by entity, and the attributed amounts add up to it', () => {
    const entities = new Map<string, number[]>([
      ['alice', [...flat(28, 5), 45]],
      ['bob', [...flat(28, 5), 5]],
      ['carol', [...flat(28, 0), 10]],
      ['dave', [...flat(28, 8), 6]],
    ]);
    const drivers = rootCause(entities, 28, 48, robust, daily);
    expect(drivers.map((d) => [d.entity, Math.round(d.excess * 1e9) / 1e9, d.share])).toEqual([
      ['alice', 40, 0.8],
      ['carol', 10, 0.2],
      ['bob', 0, 0],
      ['dave', -2, 0],
    ]);
    expect(drivers[0]?.attributed).toBeCloseTo(38.4, 9);
    expect(drivers[1]?.attributed).toBeCloseTo(9.6, 9);
    expect(drivers.reduce((a, d) => a + d.share, 0)).toBe(1);
    expect(drivers.reduce((a, d) => a + d.attributed, 0)).toBeCloseTo(48, 9);
  });
});

describe('level shifts (change point)', () => {
  /** Working days ~$100 with ±3 % of deterministic wiggle, weekends $40; day 0 is a Monday. */
  const org = (n: number): number[] => Array.from({ length: n }, (_, i) => (i % 7 >= 5 ? 40 : 100) * (1 + 0.03 * Math.sin(i * 1.7)));
  const shifts = (values: number[]) => detectSeries(values, 28, robust7, daily).findings;
  const robust7: DetectOptions = { ...DEFAULTS.robust, growthPoints: 7 };

  it('dates a shift at its first day, even when the day before runs high, and reports it once over weeks', () => {
    const values = org(63);
    values[34] = (values[34] ?? 0) * 1.12; // a high day just before the shift: noise, not its start
    for (let i = 35; i < 63; i++) values[i] = (values[i] ?? 0) * 1.8;
    const found = shifts(values);
    expect(found.map((f) => [f.kind, f.index])).toEqual([['level-shift', 35]]);
    expect(found[0]?.span).toBe(7);
    expect(found[0]?.excessPct).toBeCloseTo(0.8, 1);
  });

  it('reports a second, later move of the level as a second shift', () => {
    const values = org(70);
    for (let i = 31; i < 70; i++) values[i] = (values[i] ?? 0) * (i >= 52 ? 3.2 : 1.8);
    expect(shifts(values).map((f) => [f.kind, f.index])).toEqual([
      ['level-shift', 31],
      ['level-shift', 52],
    ]);
  });
});

describe('new spenders', () => {
  it('are entities with no or negligible history: cents in the window do not make a history', () => {
    const o = { ...robust, window: 28 };
    const cents = [...flat(28, 0), 0.02, 40];
    expect(isNewAt(cents, 29, o)).toBe(true);
    expect(isNewAt([...flat(28, 1), 40], 28, o)).toBe(false); // $28 of history is more than a tenth of $40
    expect(isNewAt([...flat(28, 0), 0.5], 28, o)).toBe(false); // below --min-impact
  });

  it('state their share of the org total that day', () => {
    const user = [...flat(28, 0), 60];
    const total = [...flat(28, 120), 180];
    expect(detectNew(user, 28, robust, total)).toEqual([
      expect.objectContaining({ kind: 'new', index: 28, actual: 60, shareOfTotal: 60 / 180 }),
    ]);
  });
});

describe('entity series: the scale floor relative to the entity and the org', () => {
  // A user whose history is near zero and erratic (cents, varying by factors), in an org spending $100/day.
  const cents = [0.05, 0.4, 0.1, 0.6, 0.02, 0.3, 0.15, 0.5, 0.08, 0.25];
  const history = Array.from({ length: 28 }, (_, i) => cents[i % cents.length] ?? 0);
  const median = 0.2; // of the working days' cents, about
  const values = [...history, 38 * median];
  const org = [...flat(28, 100), 107];

  it('finds a 38× day that log space alone hides', () => {
    const alone = detectSeries(values, 28, robust, daily).findings;
    expect(alone).toEqual([]);
    const [f, ...rest] = detectSeries(values, 28, robust, daily, org).findings;
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ kind: 'spike', index: 28, actual: expect.closeTo(7.6, 9) });
    // The org floor: 1 % of the org's $100 day is the dollar scale, so the threshold is expected + 5 × $1.
    expect(f?.threshold).toBeCloseTo((f?.expected ?? 0) + 5, 6);
  });

  it('keeps cents quiet: a 3× day of the same user is under the org floor and --min-impact', () => {
    expect(detectSeries([...history, 3 * median], 28, robust, daily, org).findings).toEqual([]);
  });
});
