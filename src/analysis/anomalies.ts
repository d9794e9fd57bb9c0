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
 * modelled on their active days. An entity's series (org total given) also has a dollar threshold, the
 * lower one wins (see baselineModel). New spenders and level shifts: isNewAt, detectShifts.
 *
 * Stddev method (the seed guide's): expected = mean of the window, threshold = mean + k·σ.
 */

export type Method = 'robust' | 'stddev';
/**
 * `new`: an entity with no or negligible history spending at least the minimum impact. `level-shift`: a
 * sustained move of the level, dated at its first day (one finding per shift).
 */
export type AnomalyKind = 'spike' | 'drop' | 'new' | 'level-shift';
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
  /**
   * Entity series only: a dollar scale floor as a share of the org total's level, so an entity whose own
   * history is near zero (erratic in log space, tiny in dollars) is judged on a dollar scale too.
   */
  totalFloorRel: number;
  drops: boolean;
  /** Points that confirm a level shift; 0 disables it. */
  growthPoints: number;
}

/** The default threshold multiplier of each method; `--help` and the README quote these. */
export const DEFAULT_K: Record<Method, number> = { robust: 5, stddev: 3 };

export const DEFAULTS: Record<Method, DetectOptions> = {
  robust: {
    method: 'robust',
    k: DEFAULT_K.robust,
    window: 28,
    season: 2,
    minHistory: 14,
    minImpact: 1,
    scaleFloorRel: 0.05,
    totalFloorRel: 0.01,
    drops: false,
    growthPoints: 7,
  },
  stddev: {
    method: 'stddev',
    k: DEFAULT_K.stddev,
    window: 28,
    season: 2,
    minHistory: 7,
    minImpact: 1,
    scaleFloorRel: 0,
    totalFloorRel: 0,
    drops: false,
    growthPoints: 7,
  },
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
  /** Level shifts: the points the shift's figures are averaged over. */
  span?: number;
  /** New spenders: the point's spend as a share of the org total that day. */
  shareOfTotal?: number;
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
  /** The spread for point i's season slot (slots differ: weekends are smaller and more erratic). */
  scaleFor(i: number): number;
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

/** A log spread from which an entity is also judged in dollars (see baselineModel). */
const WIDE_LOG_SPREAD = 0.4;

function baselineModel(
  values: readonly number[],
  t: number,
  o: DetectOptions,
  slotOf: (i: number) => number,
  org?: readonly number[],
): BaselineModel | undefined {
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
      scaleFor: () => sd,
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
  const scaleCache = new Map<number, { scale: number; m: number }>();
  const slotScale = (slot: number): { scale: number; m: number } => {
    const hit = scaleCache.get(slot);
    if (hit) return hit;
    const own = residuals.filter((_, j) => slotOf(from + j) === slot);
    const sigma = own.length >= 10 ? robustSigma(own) : own.length >= 4 ? Math.max(pooled, robustSigma(own)) : pooled;
    // A prediction interval, not a confidence interval: the expected value is itself a median of m points
    // (variance ≈ π/2 · σ²/m), so a new point deviates with variance σ²(1 + π/(2m)).
    const m = Math.max(1, own.length > 0 && own.length < residuals.length ? own.length : Math.min(...slotSizes()));
    const r = { scale: Math.max(sigma * Math.sqrt(1 + Math.PI / (2 * m)), floor), m };
    scaleCache.set(slot, r);
    return r;
  };
  const { scale, m } = slotScale(slotOf(t));
  const scaleFor = (i: number): number => slotScale(slotOf(i)).scale;
  const expectedFor = (i: number): number => {
    const c = center(i);
    return c === Number.NEGATIVE_INFINITY ? 0 : Math.exp(c);
  };
  // An entity of the org (org total given): also a dollar model, expected + k·σ$, with σ$ floored at a share
  // of the entity's level and of the org's. A near-zero history varies by large factors but by cents: in log
  // space it would hide a 38× day; in dollars that day stands out, and the org floor keeps cents quiet. Only
  // for entities small against the org (expected under k org floors) or whose log spread is wide (≥ 0.4,
  // days varying by ±50 %, where e^(k·spread) runs to tens of times the expected value): a steady large
  // entity's noise is multiplicative, and its dollar tail too heavy for a dollar threshold.
  let dollarScale = Number.POSITIVE_INFINITY;
  let dollarBelow = 0;
  if (org && o.totalFloorRel > 0) {
    const dollars: number[] = [];
    for (let i = from; i < t; i++) {
      const v = values[i] ?? 0;
      if (intermittent && v <= 0) continue;
      dollars.push(v - expectedFor(i));
    }
    const orgLevel = median(org.slice(from, t));
    dollarScale = Math.max(robustSigma(dollars) * Math.sqrt(1 + Math.PI / (2 * m)), o.totalFloorRel * orgLevel);
    dollarBelow = o.totalFloorRel * orgLevel;
  }
  return {
    expectedFor,
    upper: (i, k) => {
      const e = expectedFor(i);
      const log = e * Math.exp(k * scaleFor(i));
      const dollars = e < k * dollarBelow || scaleFor(i) >= WIDE_LOG_SPREAD;
      return dollars ? Math.min(log, e + k * Math.max(dollarScale, o.scaleFloorRel * e)) : log;
    },
    lower: (i, k) => expectedFor(i) * Math.exp(-k * scaleFor(i)),
    scale,
    scaleFor,
    z: (i, actual) => {
      const e = expectedFor(i);
      return e > 0 && actual > 0 ? (Math.log(actual) - Math.log(e)) / scaleFor(i) : null;
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

export function baseline(
  values: readonly number[],
  t: number,
  o: DetectOptions,
  slotOf: (i: number) => number,
  org?: readonly number[],
): Baseline | undefined {
  const m = baselineModel(values, t, o, slotOf, org);
  if (!m) return undefined;
  return { expected: m.expectedFor(t), scale: m.scale, threshold: m.upper(t, o.k) };
}

/**
 * True when point t has no or negligible history: the `window` points before it add up to less than a
 * tenth of its own spend. Such a point is a new spender, not a spike of an existing one.
 */
export function isNewAt(values: readonly number[], t: number, o: DetectOptions): boolean {
  const actual = values[t] ?? 0;
  if (actual < o.minImpact) return false;
  let before = 0;
  for (let i = Math.max(0, t - o.window); i < t; i++) before += values[i] ?? 0;
  return before < 0.1 * actual;
}

/**
 * Scores points `start..values.length-1`; earlier points are history only. `org` (the org total, aligned)
 * marks an entity's series: its threshold also has a dollar scale floored relative to the org's level.
 */
export function detectSeries(
  values: readonly number[],
  start: number,
  o: DetectOptions,
  slotOf: (i: number) => number,
  org?: readonly number[],
): SeriesResult {
  const findings: Finding[] = [];
  let scored = 0;
  let unscored = 0;
  // A new spender's next points are judged only once it has its own history.
  let quietUntil = -1;
  for (let t = start; t < values.length; t++) {
    const actual = values[t] ?? 0;
    if (t >= quietUntil && isNewAt(values, t, o)) {
      findings.push(newFinding(values, t, o, org));
      quietUntil = t + o.minHistory;
      continue;
    }
    const m = t < quietUntil ? undefined : baselineModel(values, t, o, slotOf, org);
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
    const shifts = detectShifts(values, start, o, slotOf);
    // The days of a shift stay above the old baseline until the window adapts; a spike there that the new
    // level explains (below its threshold scaled by the shift) is the shift, not a second alarm.
    for (const g of shifts) {
      const ratio = g.expected > 0 ? g.actual / g.expected : 1;
      for (let i = findings.length - 1; i >= 0; i--) {
        const f = findings[i];
        if (f && f.kind === 'spike' && f.index >= g.index && f.index < g.index + o.window && f.actual <= f.threshold * ratio)
          findings.splice(i, 1);
      }
    }
    findings.push(...shifts);
  }
  findings.sort((a, b) => a.index - b.index || a.kind.localeCompare(b.kind));
  return { findings, scored, unscored };
}

function newFinding(values: readonly number[], t: number, o: DetectOptions, org?: readonly number[]): Finding {
  const actual = values[t] ?? 0;
  const orgDay = org?.[t] ?? 0;
  const finding: Finding = {
    kind: 'new',
    severity: 'warning',
    index: t,
    actual,
    expected: 0,
    threshold: o.minImpact,
    excess: actual,
    excessPct: null,
    z: null,
  };
  if (orgDay > 0) finding.shareOfTotal = actual / orgDay;
  return finding;
}

/**
 * New spenders of one dimension (for the total scan, without --by): each entity's first day with no or
 * negligible history, with its share of the org's total that day.
 */
export function detectNew(values: readonly number[], start: number, o: DetectOptions, org: readonly number[]): Finding[] {
  const out: Finding[] = [];
  for (let t = start; t < values.length; t++) {
    if (isNewAt(values, t, o)) {
      out.push(newFinding(values, t, o, org));
      t += o.minHistory - 1;
    }
  }
  return out;
}

/**
 * Level shifts. Detection: over `growthPoints` consecutive points, nearly all (all but one) are more than
 * bar = max(k/2, 2) scales above their expected value (from the baseline before the first of them), so
 * one spike, which a median ignores, never triggers it. Dating: a CUSUM change point on those
 * standardized log residuals z — the shift starts at the t that maximizes Σ_{i≥t} (z_i − δ/2), δ the
 * median residual of the shifted run — so the day before a shift, near zero, is never its first day.
 * One finding per shift: until the baseline has absorbed it (one window), later points are judged against
 * the shifted level, so only a further move is another shift.
 */
function detectShifts(values: readonly number[], start: number, o: DetectOptions, slotOf: (i: number) => number): Finding[] {
  const out: Finding[] = [];
  const g = o.growthPoints;
  const bar = Math.max(o.k / 2, 2);
  // The level of the last shift, until the baseline has absorbed it: expected is the larger of the two.
  let shifted: { model: BaselineModel; ratio: number; until: number } | undefined;
  for (let end = start + g - 1; end < values.length; end++) {
    const first = end - g + 1;
    const m = baselineModel(values, first, { ...o, method: 'robust' }, slotOf);
    if (!m || m.scale <= 0) continue;
    // A level shift needs a level to shift from: a series just starting is a new spender, not growth.
    const history = values.slice(Math.max(0, first - o.window), first);
    if (history.filter((v) => v > 0).length < o.minHistory) continue;
    const ref = shifted && first < shifted.until ? shifted : undefined;
    const expectedAt = (i: number): number => Math.max(m.expectedFor(i), ref ? ref.model.expectedFor(i) * ref.ratio : 0);
    const zOf = (i: number): number => {
      const e = expectedAt(i);
      const v = values[i] ?? 0;
      // A window that straddles the last shift mixes two levels: its spread is the pre-shift one.
      const scale = ref ? Math.min(m.scaleFor(i), ref.model.scaleFor(i)) : m.scaleFor(i);
      if (e > 0 && v > 0) return Math.log(v / e) / scale;
      return v > 0 ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
    };
    const z: number[] = [];
    for (let i = first; i <= end; i++) z.push(zOf(i));
    const level = z.reduce((a, _, j) => a + (values[first + j] ?? 0) - expectedAt(first + j), 0) / g;
    const isShift = median(z) > bar && level >= o.minImpact && z.filter((x) => x > bar).length >= g - 1;
    if (!isShift) continue;
    // The change point, from the residuals of the run and the days just before it (same baseline).
    const delta = median(z);
    let best = first;
    let bestSum = Number.NEGATIVE_INFINITY;
    let suffix = 0;
    const lo = Math.max(start, first - 2);
    const sums: number[] = [];
    for (let i = end; i >= lo; i--) {
      suffix += Math.min(zOf(i), 4 * delta) - delta / 2;
      sums[i - lo] = suffix;
    }
    for (let i = lo; i <= end - 1; i++) {
      const v = sums[i - lo] ?? Number.NEGATIVE_INFINITY;
      if (v > bestSum) {
        bestSum = v;
        best = i;
      }
    }
    const mb = best === first ? m : (baselineModel(values, best, { ...o, method: 'robust' }, slotOf) ?? m);
    const expectedB = (i: number): number => Math.max(mb.expectedFor(i), ref ? ref.model.expectedFor(i) * ref.ratio : 0);
    const until = Math.min(values.length, best + g);
    let actualSum = 0;
    let expectedSum = 0;
    for (let i = best; i < until; i++) {
      actualSum += values[i] ?? 0;
      expectedSum += expectedB(i);
    }
    const n = until - best;
    const expected = expectedSum / n;
    const actual = actualSum / n;
    out.push({
      kind: 'level-shift',
      severity: delta > 2 * bar ? 'critical' : 'warning',
      index: best,
      actual,
      expected,
      threshold: expected * Math.exp(bar * mb.scaleFor(best)),
      excess: actual - expected,
      excessPct: expected > 0 ? (actual - expected) / expected : null,
      z: delta,
      span: n,
    });
    shifted = { model: { ...mb, expectedFor: expectedB }, ratio: actual / Math.max(expected, 1e-9), until: best + o.window };
    end = best + g - 1;
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
 * Splits the excess of points `t..t+span-1` (one point for a spike, the first days of a level shift) over
 * entities: each entity's actual minus its own expected (its baseline from before `t`), averaged over the
 * span, ranked. Medians do not add up across entities, so shares are each positive excess over the sum of
 * positive excesses; attributed amounts then sum to the total's excess.
 */
export function rootCause(
  entities: Map<string, readonly number[]>,
  t: number,
  totalExcess: number,
  o: DetectOptions,
  slotOf: (i: number) => number,
  span = 1,
): DriverShare[] {
  const rows: DriverShare[] = [];
  for (const [entity, values] of entities) {
    let actual = 0;
    for (let i = t; i < t + span; i++) actual += values[i] ?? 0;
    actual /= span;
    let expected = 0;
    const m = baselineModel(values, t, { ...o, minHistory: 0 }, slotOf);
    if (m) {
      for (let i = t; i < t + span; i++) expected += m.expectedFor(i);
      expected /= span;
    }
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
