/**
 * Anomaly detection on cost series. Pure: series in, findings out; no clock, no I/O.
 *
 * Robust method (default): for each scored point, the baseline is the trailing window before it (the
 * point itself excluded), in log space because cost noise is multiplicative. Expected = the median of
 * the window's points in the same season slot (working day or weekend for daily series, hour of day for
 * hourly) when every slot has at least two points, else the window median. Scale = 1.4826 × MAD of the
 * residuals (each against the median of the other points of its slot), floored at log(1 + scaleFloorRel)
 * so a flat history does not turn every cent into an anomaly. A point is a spike when
 * actual > expected · e^(k·scale) and the excess is at least `minImpact`. Series that skip days are
 * modelled on their active days.
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
  /** Season slots: 2 for daily series (working days, weekend), 24 for hourly (hour of day). */
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
    k: 5,
    window: 28,
    season: 2,
    minHistory: 14,
    minImpact: 1,
    scaleFloorRel: 0.05,
    drops: false,
    growthPoints: 7,
  },
  stddev: { method: 'stddev', k: 3, window: 28, season: 2, minHistory: 7, minImpact: 1, scaleFloorRel: 0, drops: false, growthPoints: 7 },
};

/**
 * Season slot of a day: 0 Monday-Friday, 1 Saturday-Sunday. Two slots rather than seven: a median of
 * four same-weekday points (28 days) is too noisy and raised false alarms; twenty working days are not.
 * `weekday` is 0 for Monday.
 */
export function weekendSlot(weekday: number): number {
  return weekday >= 5 ? 1 : 0;
}

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

/**
 * The baseline model of a window: the expected value for any point's season slot, and the spread.
 * `upper(i, k)` is the threshold for point i: expected · e^(k·logScale) for the robust method (cost
 * noise is multiplicative: a user's day varies by a factor, not by a fixed amount), mean + k·σ for stddev.
 */
export interface BaselineModel {
  expectedFor(i: number): number;
  upper(i: number, k: number): number;
  lower(i: number, k: number): number;
  /** Spread in the model's own units (log units for robust, dollars for stddev), for z-scores. */
  scale: number;
  z(i: number, actual: number): number | null;
}

function logOf(v: number): number {
  return Math.log(Math.max(v, 1e-9));
}

/**
 * Baseline for point `t` from `values[t - window .. t - 1]` (fewer at the start of history).
 * `slotOf(i)` gives the season slot of point i (weekday or hour of day).
 */
/** Median of a sorted list with one occurrence of `x` left out, without copying the list. */
function medianWithout(sorted: readonly number[], x: number): number {
  const p = sorted.indexOf(x);
  const n = sorted.length - 1;
  if (p === -1 || n <= 0) return median(sorted);
  const at = (k: number): number => sorted[k < p ? k : k + 1] ?? 0;
  return n % 2 === 1 ? at((n - 1) / 2) : (at(n / 2 - 1) + at(n / 2)) / 2;
}

const firstActiveCache = new WeakMap<readonly number[], number>();
/** Index of the first non-zero point: the days before a series begins are "no data yet", not zeros. */
function firstActive(values: readonly number[]): number {
  let f = firstActiveCache.get(values);
  if (f === undefined) {
    f = values.findIndex((v) => v > 0);
    if (f === -1) f = values.length;
    firstActiveCache.set(values, f);
  }
  return f;
}

function baselineModel(values: readonly number[], t: number, o: DetectOptions, slotOf: (i: number) => number): BaselineModel | undefined {
  const from = Math.max(0, t - o.window, Math.min(firstActive(values), t));
  const n = t - from;
  if (n < o.minHistory) return undefined;
  const win = values.slice(from, t);
  if (o.method === 'stddev') {
    const mean = n === 0 ? 0 : win.reduce((a, b) => a + b, 0) / n;
    const sd = n === 0 ? 0 : Math.sqrt(win.reduce((a, b) => a + (b - mean) ** 2, 0) / n);
    return {
      expectedFor: () => mean,
      upper: (_i, k) => mean + k * sd,
      lower: (_i, k) => mean - k * sd,
      scale: sd,
      z: (_i, actual) => (sd > 0 ? (actual - mean) / sd : null),
    };
  }
  const floor = Math.log1p(o.scaleFloorRel);
  const active = win.filter((v) => v > 0);
  // Intermittent series (a user who skips days): model the typical active day; its zero days are normal.
  const intermittent = active.length < n * 0.9;
  let center: (i: number) => number;
  let residuals: number[];
  let slotSizes = (): number[] => [active.length];
  if (intermittent || active.length === 0) {
    const logs = active.map(logOf);
    const med = median(logs);
    center = () => (active.length === 0 ? Number.NEGATIVE_INFINITY : med);
    residuals = logs.map((l) => l - med);
  } else {
    const bySlot = new Map<number, number[]>();
    for (let i = from; i < t; i++) {
      const s = slotOf(i);
      const l = logOf(values[i] ?? 0);
      const list = bySlot.get(s);
      if (list) list.push(l);
      else bySlot.set(s, [l]);
    }
    const seasonal = bySlot.size === o.season && [...bySlot.values()].every((l) => l.length >= 2);
    slotSizes = () => (seasonal ? [...bySlot.values()].map((l) => l.length) : [n]);
    const all = median(win.map(logOf));
    const slotMedian = new Map<number, number>();
    if (seasonal) for (const [s, l] of bySlot) slotMedian.set(s, median(l));
    center = (i) => (seasonal ? (slotMedian.get(slotOf(i)) ?? all) : all);
    // Residuals against the median of the *other* points of the same slot: with four points a slot, a
    // point's own median sits halfway into it and would shrink the spread (and inflate false alarms).
    const sortedSlots = new Map<number, number[]>();
    for (const [s, l] of bySlot)
      sortedSlots.set(
        s,
        [...l].sort((a, b) => a - b),
      );
    residuals = win.map((v, j) => {
      const l = logOf(v);
      if (!seasonal) return l - all;
      return l - medianWithout(sortedSlots.get(slotOf(from + j)) ?? [l], l);
    });
  }
  // Slots differ in spread (a business team's weekends are small and erratic, its working days steady):
  // a slot with ten or more points uses its own sigma; a smaller one the larger of its own and the pooled.
  const pooled = robustSigma(residuals);
  const own = residuals.filter((_, j) => slotOf(from + j) === slotOf(t));
  const sigma = own.length >= 10 ? robustSigma(own) : own.length >= 4 ? Math.max(pooled, robustSigma(own)) : pooled;
  // A prediction interval, not a confidence interval: the expected value is itself a median of m points
  // (variance ≈ π/2 · σ²/m), so a new point deviates with variance σ²(1 + π/(2m)).
  const m = Math.max(1, own.length > 0 && own.length < residuals.length ? own.length : Math.min(...slotSizes()));
  const scale = Math.max(sigma * Math.sqrt(1 + Math.PI / (2 * m)), floor);
  const expectedFor = (i: number): number => {
    const c = center(i);
    return c === Number.NEGATIVE_INFINITY ? 0 : Math.exp(c);
  };
  return {
    expectedFor,
    upper: (i, k) => expectedFor(i) * Math.exp(k * scale),
    lower: (i, k) => expectedFor(i) * Math.exp(-k * scale),
    scale,
    z: (i, actual) => {
      const e = expectedFor(i);
      return e > 0 && actual > 0 ? (Math.log(actual) - Math.log(e)) / scale : null;
    },
  };
}

/**
 * σ of residuals from two robust estimators, the larger one: 1.4826 × MAD, and the standard deviation
 * of the middle 80 % divided by 0.7892 (its value for normal data). The MAD alone varies a lot on
 * 20-odd points and, when it comes out small, raises false alarms; the trimmed SD is steadier and still
 * ignores the few spikes a window may hold.
 */
export function robustSigma(residuals: readonly number[]): number {
  if (residuals.length === 0) return 0;
  const mr = median(residuals);
  const mad = 1.4826 * median(residuals.map((r) => Math.abs(r - mr)));
  const sorted = [...residuals].sort((a, b) => a - b);
  const cut = Math.max(1, Math.floor(sorted.length * 0.1));
  const mid = sorted.length > 2 * cut + 1 ? sorted.slice(cut, sorted.length - cut) : sorted;
  const mean = mid.reduce((a, b) => a + b, 0) / mid.length;
  const trimmed = Math.sqrt(mid.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, mid.length - 1)) / 0.7892;
  return Math.max(mad, trimmed);
}

export function baseline(values: readonly number[], t: number, o: DetectOptions, slotOf: (i: number) => number): Baseline | undefined {
  const m = baselineModel(values, t, o, slotOf);
  if (!m) return undefined;
  return { expected: m.expectedFor(t), scale: m.scale, threshold: m.upper(t, o.k) };
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
    const m = t < quietUntil ? undefined : baselineModel(values, t, o, slotOf);
    if (!m) {
      unscored++;
      continue;
    }
    scored++;
    const expected = m.expectedFor(t);
    const upper = m.upper(t, o.k);
    const lower = m.lower(t, o.k);
    const excess = actual - expected;
    const z = m.z(t, actual);
    const pct = expected > 0 ? excess / expected : null;
    // Critical when the excess is more than twice the threshold's own excess over expected.
    if (actual > upper && excess >= o.minImpact) {
      const severity: Severity = excess > 2 * (upper - expected) ? 'critical' : 'warning';
      findings.push({ kind: 'spike', severity, index: t, actual, expected, threshold: upper, excess, excessPct: pct, z });
    } else if (o.drops && actual < lower && -excess >= o.minImpact) {
      const severity: Severity = -excess > 2 * (expected - lower) ? 'critical' : 'warning';
      findings.push({ kind: 'drop', severity, index: t, actual, expected, threshold: lower, excess, excessPct: pct, z });
    }
  }
  if (o.growthPoints > 0) {
    const growth = detectGrowth(values, start, o, slotOf);
    // Days after a level shift stay above the old baseline until the window adapts; a spike there that the
    // new level explains (below its threshold scaled by the shift) is the shift, not a second alarm.
    for (const g of growth) {
      const ratio = g.expected > 0 ? g.actual / g.expected : 1;
      for (let i = findings.length - 1; i >= 0; i--) {
        const f = findings[i];
        if (f && f.kind === 'spike' && f.index >= g.index && f.index < g.index + o.window && f.actual <= f.threshold * ratio)
          findings.splice(i, 1);
      }
    }
    findings.push(...growth);
  }
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
    if (!m || m.scale <= 0) continue;
    // A level shift needs a level to shift from: a series just starting is a new spender, not growth.
    const history = values.slice(Math.max(0, first - o.window), first);
    if (history.filter((v) => v > 0).length < o.minHistory) continue;
    const logExcess: number[] = [];
    let actualSum = 0;
    let expectedSum = 0;
    for (let i = first; i <= end; i++) {
      const e = m.expectedFor(i);
      const v = values[i] ?? 0;
      actualSum += v;
      expectedSum += e;
      logExcess.push(e > 0 && v > 0 ? Math.log(v / e) / m.scale : v > 0 ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY);
    }
    const bar = Math.max(o.k / 2, 2);
    const level = (actualSum - expectedSum) / g;
    const shifted = median(logExcess) > bar && level >= o.minImpact && logExcess.filter((x) => x > bar).length >= g - 1;
    if (shifted && first > lastReported + g) {
      const expected = expectedSum / g;
      out.push({
        kind: 'sustained-growth',
        severity: median(logExcess) > 2 * bar ? 'critical' : 'warning',
        index: first,
        actual: actualSum / g,
        expected,
        threshold: expected * Math.exp(bar * m.scale),
        excess: level,
        excessPct: expected > 0 ? level / expected : null,
        z: median(logExcess),
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
