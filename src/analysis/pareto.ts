/** Pareto analysis of cost drivers. Pure: ranked rows and summaries from aggregate rows. */
import { share } from './report.js';

export interface ParetoInput {
  key: string;
  costNanos: bigint;
  requests: number;
  /** Requests with no price: their cost is unknown, so not in costNanos (and not $0). */
  unpricedRequests: number;
  tokens: number;
}

export interface ParetoRow extends ParetoInput {
  rank: number;
  share: number;
  cumulativeShare: number;
  /** True on the row where the cumulative share first reaches 80 %. */
  crosses80: boolean;
}

export interface Mover {
  key: string;
  currentNanos: bigint;
  previousNanos: bigint;
  deltaNanos: bigint;
  /** Relative change; null when the previous period had no spend. */
  deltaPct: number | null;
}

export interface ParetoResult {
  rows: ParetoRow[];
  totalNanos: bigint;
  /** Entities with any cost. */
  entities: number;
  /** The top 20 % of entities (rounded up) and their share of spend. */
  top20: { count: number; share: number };
  /** Fewest entities that make up 80 % of spend. */
  count80: number;
  /** Gini coefficient of spend across entities: 0 = equal, → 1 = one entity spends everything. */
  gini: number;
  movers: { up: Mover[]; down: Mover[] };
}

/** Gini = Σ_i Σ_j |x_i − x_j| / (2 n² μ), computed on sorted values as (2 Σ i·x_(i)) / (n Σ x) − (n + 1) / n. */
export function gini(values: readonly number[]): number {
  const xs = values.filter((v) => v > 0).sort((a, b) => a - b);
  const n = xs.length;
  const total = xs.reduce((a, b) => a + b, 0);
  if (n === 0 || total === 0) return 0;
  const weighted = xs.reduce((a, x, i) => a + (i + 1) * x, 0);
  return (2 * weighted) / (n * total) - (n + 1) / n;
}

export function pareto(current: readonly ParetoInput[], previous: readonly ParetoInput[] = []): ParetoResult {
  const sorted = [...current]
    .filter((r) => r.costNanos > 0n || r.requests > 0)
    .sort((a, b) => (b.costNanos > a.costNanos ? 1 : b.costNanos < a.costNanos ? -1 : a.key.localeCompare(b.key)));
  const totalNanos = sorted.reduce((a, r) => a + r.costNanos, 0n);
  let running = 0n;
  let crossed = false;
  let count80 = 0;
  const rows: ParetoRow[] = sorted.map((r, i) => {
    running += r.costNanos;
    const cumulativeShare = share(running, totalNanos);
    // Exact test on nanos: running ≥ 80 % of total.
    const reached = running * 10n >= totalNanos * 8n && totalNanos > 0n;
    const crosses80 = reached && !crossed;
    if (crosses80) {
      crossed = true;
      count80 = i + 1;
    }
    return { ...r, rank: i + 1, share: share(r.costNanos, totalNanos), cumulativeShare, crosses80 };
  });
  const entities = sorted.filter((r) => r.costNanos > 0n).length;
  const topCount = Math.ceil(entities * 0.2);
  const topNanos = sorted.slice(0, topCount).reduce((a, r) => a + r.costNanos, 0n);
  const prev = new Map(previous.map((p) => [p.key, p.costNanos]));
  const keys = new Set([...sorted.map((r) => r.key), ...prev.keys()]);
  const cur = new Map(sorted.map((r) => [r.key, r.costNanos]));
  const movers: Mover[] = [...keys].map((key) => {
    const c = cur.get(key) ?? 0n;
    const p = prev.get(key) ?? 0n;
    return { key, currentNanos: c, previousNanos: p, deltaNanos: c - p, deltaPct: p > 0n ? Number(((c - p) * 10000n) / p) / 10000 : null };
  });
  const up = movers
    .filter((m) => m.deltaNanos > 0n)
    .sort((a, b) => (b.deltaNanos > a.deltaNanos ? 1 : -1))
    .slice(0, 5);
  const down = movers
    .filter((m) => m.deltaNanos < 0n)
    .sort((a, b) => (a.deltaNanos > b.deltaNanos ? 1 : -1))
    .slice(0, 5);
  return {
    rows,
    totalNanos,
    entities,
    top20: { count: topCount, share: share(topNanos, totalNanos) },
    count80,
    gini: Math.round(gini(sorted.map((r) => Number(r.costNanos))) * 10000) / 10000,
    movers: { up, down },
  };
}

/** Spend by local hour of day (0-23) from per-hour buckets (local hour numbers). */
export function peakHour(
  hours: readonly { hour: number; costNanos: bigint }[],
): { hour: number; costNanos: bigint; share: number } | undefined {
  const byHour = new Array<bigint>(24).fill(0n);
  let total = 0n;
  for (const h of hours) {
    const hod = ((h.hour % 24) + 24) % 24;
    byHour[hod] = (byHour[hod] ?? 0n) + h.costNanos;
    total += h.costNanos;
  }
  if (total === 0n) return undefined;
  let best = 0;
  for (let i = 1; i < 24; i++) if ((byHour[i] ?? 0n) > (byHour[best] ?? 0n)) best = i;
  const c = byHour[best] ?? 0n;
  return { hour: best, costNanos: c, share: share(c, total) };
}
