import { describe, expect, it } from 'vitest';
import { baseline, DEFAULTS, type DetectOptions, detectSeries, median, robustSigma, rootCause, weekendSlot } from './anomalies.js';

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
    expect(r.findings).toEqual([expect.objectContaining({ kind: 'new-spender', index: 29, actual: 5 })]);
  });

  it('flags a level shift once, at its first day', () => {
    const values = [...flat(28, 10), ...flat(7, 20)];
    const r = detectSeries(values, 28, { ...robust, growthPoints: 7 }, daily);
    const growth = r.findings.filter((f) => f.kind === 'sustained-growth');
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
