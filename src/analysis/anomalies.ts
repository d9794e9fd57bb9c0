/**
 * Anomaly detection on cost series. Pure: series in, findings out; no clock, no I/O.
 *
 * Robust method (default): for each scored point, the baseline is the trailing window before it (the
 * point itself excluded). Expected = the median of the window's points in the same season slot (same
 * weekday for daily series, same hour of day for hourly) when every slot has at least two points, else
 * the window median. Scale = 1.4826 × MAD of the window's residuals from their slot medians, floored at
 * `scaleFloorRel` × expected and one cent, so a flat history does not turn every cent into an anomaly.
 * A point is a spike when actual > expected + k·scale and the excess is at least `minImpact`.
 *
 * Stddev method (the seed guide's): expected = mean of the window, threshold = mean + k·σ.
 */

export type Method = 'robust' | 'stddev';
export type AnomalyKind = 'spike' | 'drop' | 'new-spender' | 'sustained-growth';
export type Severity = 'warning' | 'critical';

export interface DetectOptions {
  method: Method;
  /** Threshold multiplier k. */
  k: number;
  /** Points in the trailing window (28 days, or 168 hours). */
  window: number;
  /** Season length in points: 7 for daily series, 24 for hourly. */
  season: number;
  /** Fewest history points before a point can be scored. */
  minHistory: number;
  /** Smallest excess (USD) that counts. */
  minImpact: number;
  scaleFloorRel: number;
  drops: boolean;
  /** Points in a level shift (sustained growth); 0 disables it. */
  growthPoints: number;
}

export const DEFAULTS: Record<Method, DetectOptions> = {
  robust: {
    method: 'robust',
    k: 4,
    window: 28,
    season: 7,
    minHistory: 14,
    minImpact: 1,
    scaleFloorRel: 0.1,
    drops: false,
    growthPoints: 7,
  },
  stddev: { method: 'stddev', k: 3, window: 28, season: 7, minHistory: 7, minImpact: 1, scaleFloorRel: 0, drops: false, growthPoints: 7 },
};

export interface Baseline {
  expected: number;
  scale: number;
  threshold: number;
}

export interface Finding {
  kind: AnomalyKind;
  severity: Severity;
  /** Index of the point in the series. */
  index: number;
  actual: number;
  expected: number;
  threshold: number;
  /** actual − expected (negative for drops). */
  excess: number;
  excessPct: number | null;
  z: number | null;
}

export interface SeriesResult {
  findings: Finding[];
  /** Points that had enough history to be scored. */
  scored: number;
  /** Points in the scored range that did not. */
  unscored: number;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}

/** The baseline model of a window: expected value for any point's season slot, and the robust scale. */
export interface BaselineModel {
  expectedFor(i: number): number;
  scale: number;
}

/**
 * Baseline for point `t` from `values[t - window .. t - 1]` (fewer at the start of history).
 * `slotOf(i)` gives the season slot of point i (weekday or hour of day).
 */
export function baselineModel(
  values: readonly number[],
  t: number,
  o: DetectOptions,
  slotOf: (i: number) => number,
): BaselineModel | undefined {
  const from = Math.max(0, t - o.window);
  const n = t - from;
  if (n < o.minHistory) return undefined;
  const win = values.slice(from, t);
  if (o.method === 'stddev') {
    const mean = n === 0 ? 0 : win.reduce((a, b) => a + b, 0) / n;
    const sd = n === 0 ? 0 : Math.sqrt(win.reduce((a, b) => a + (b - mean) ** 2, 0) / n);
    return { expectedFor: () => mean, scale: sd };
  }
  const bySlot = new Map<number, number[]>();
  for (let i = from; i < t; i++) {
    const s = slotOf(i);
    const list = bySlot.get(s);
    if (list) list.push(values[i] ?? 0);
    else bySlot.set(s, [values[i] ?? 0]);
  }
  const seasonal = bySlot.size === o.season && [...bySlot.values()].every((l) => l.length >= 2);
  const slotMedian = new Map<number, number>();
  if (seasonal) for (const [s, l] of bySlot) slotMedian.set(s, median(l));
  const all = median(win);
  const expectedFor = (i: number): number => (seasonal ? (slotMedian.get(slotOf(i)) ?? all) : all);
  const residuals = win.map((v, j) => v - expectedFor(from + j));
  const mr = median(residuals);
  const mad = median(residuals.map((r) => Math.abs(r - mr)));
  const scale = Math.max(1.4826 * mad, o.scaleFloorRel * Math.abs(expectedFor(t)), 0.01);
  return { expectedFor, scale };
}

export function baseline(values: readonly number[], t: number, o: DetectOptions, slotOf: (i: number) => number): Baseline | undefined {
  const m = baselineModel(values, t, o, slotOf);
  if (!m) return undefined;
  const expected = m.expectedFor(t);
  return { expected, scale: m.scale, threshold: expected + o.k * m.scale };
}

function severityOf(excess: number, b: Baseline): Severity {
  // Critical when the excess is more than twice the threshold's own excess over expected.
  return Math.abs(excess) > 2 * (b.threshold - b.expected) ? 'critical' : 'warning';
}

/**
 * Scores points `start..values.length-1`; earlier points are history only.
 * `isNew` marks a series that has no usage before `start` at all (an entity's first appearance).
 */
export function detectSeries(values: readonly number[], start: number, o: DetectOptions, slotOf: (i: number) => number): SeriesResult {
  const findings: Finding[] = [];
  let scored = 0;
  let unscored = 0;
  const hadHistory = values.slice(0, start).some((v) => v > 0);
  let seenInRange = false;
  // A new spender's next points are judged only once it has its own history.
  let quietUntil = -1;
  for (let t = start; t < values.length; t++) {
    const actual = values[t] ?? 0;
    const prior = hadHistory || seenInRange;
    if (!prior && actual >= o.minImpact) {
      findings.push({
        kind: 'new-spender',
        severity: 'warning',
        index: t,
        actual,
        expected: 0,
        threshold: o.minImpact,
        excess: actual,
        excessPct: null,
        z: null,
      });
      seenInRange = true;
      quietUntil = t + o.minHistory;
      continue;
    }
    if (actual > 0) seenInRange = true;
    const b = t < quietUntil ? undefined : baseline(values, t, o, slotOf);
    if (!b) {
      unscored++;
      continue;
    }
    scored++;
    const excess = actual - b.expected;
    const z = b.scale > 0 ? excess / b.scale : null;
    const pct = b.expected > 0 ? excess / b.expected : null;
    if (actual > b.threshold && excess >= o.minImpact) {
      findings.push({
        kind: 'spike',
        severity: severityOf(excess, b),
        index: t,
        actual,
        expected: b.expected,
        threshold: b.threshold,
        excess,
        excessPct: pct,
        z,
      });
    } else if (o.drops && actual < b.expected - (b.threshold - b.expected) && -excess >= o.minImpact) {
      findings.push({
        kind: 'drop',
        severity: severityOf(excess, b),
        index: t,
        actual,
        expected: b.expected,
        threshold: b.expected - (b.threshold - b.expected),
        excess,
        excessPct: pct,
        z,
      });
    }
  }
  if (o.growthPoints > 0) findings.push(...detectGrowth(values, start, o, slotOf));
  findings.sort((a, b) => a.index - b.index || a.kind.localeCompare(b.kind));
  return { findings, scored, unscored };
}

/**
 * Sustained growth: over the last `growthPoints` points, each point's excess over its own season slot's
 * expected value (from the baseline just before them). A shift is nearly every point (all but one)
 * more than max(k/2, 2) · scale above its expected value, so one spike (which a median
 * ignores) never triggers it. Reported once per run of shifted windows, at the window's first point.
 */
function detectGrowth(values: readonly number[], start: number, o: DetectOptions, slotOf: (i: number) => number): Finding[] {
  const out: Finding[] = [];
  const g = o.growthPoints;
  let lastReported = -Infinity;
  for (let end = start + g - 1; end < values.length; end++) {
    const first = end - g + 1;
    const m = baselineModel(values, first, { ...o, method: 'robust' }, slotOf);
    if (!m) continue;
    const excesses: number[] = [];
    let actualSum = 0;
    let expectedSum = 0;
    for (let i = first; i <= end; i++) {
      const e = m.expectedFor(i);
      actualSum += values[i] ?? 0;
      expectedSum += e;
      excesses.push((values[i] ?? 0) - e);
    }
    const level = median(excesses);
    const bar = Math.max(o.k / 2, 2) * m.scale;
    const shifted = level > bar && level >= o.minImpact && excesses.filter((x) => x > bar).length >= g - 1;
    if (shifted && first > lastReported + g) {
      const expected = expectedSum / g;
      out.push({
        kind: 'sustained-growth',
        severity: level > 2 * bar ? 'critical' : 'warning',
        index: first,
        actual: actualSum / g,
        expected,
        threshold: expected + bar,
        excess: level,
        excessPct: expected > 0 ? level / expected : null,
        z: m.scale > 0 ? level / m.scale : null,
      });
      lastReported = first;
    }
  }
  return out;
}

export interface DriverShare {
  entity: string;
  actual: number;
  expected: number;
  /** The entity's own excess (actual − its own expected). */
  excess: number;
  /** Share of the total's excess attributed to it; positive shares sum to 1. */
  share: number;
  /** share × the total's excess, so the attributed amounts add up to the excess exactly. */
  attributed: number;
}

/**
 * Splits the excess of point `t` over entities: each entity's actual minus its own expected, ranked.
 * Medians do not add up across entities, so shares are each positive excess over the sum of positive
 * excesses; attributed amounts then sum to the total's excess.
 */
export function rootCause(
  entities: Map<string, readonly number[]>,
  t: number,
  totalExcess: number,
  o: DetectOptions,
  slotOf: (i: number) => number,
): DriverShare[] {
  const rows: DriverShare[] = [];
  for (const [entity, values] of entities) {
    const actual = values[t] ?? 0;
    const b = baseline(values, t, { ...o, minHistory: 0 }, slotOf);
    const expected = b ? b.expected : 0;
    const excess = actual - expected;
    if (actual === 0 && expected === 0) continue;
    rows.push({ entity, actual, expected, excess, share: 0, attributed: 0 });
  }
  const positive = rows.reduce((a, r) => a + Math.max(r.excess, 0), 0);
  for (const r of rows) {
    r.share = positive > 0 ? Math.max(r.excess, 0) / positive : 0;
    r.attributed = r.share * totalExcess;
  }
  return rows.sort((a, b) => b.excess - a.excess || a.entity.localeCompare(b.entity));
}
