/** The Pareto report: JSON contract, tables, summary sentences and the terminal chart. */
import type { ParetoResult, ParetoRow } from '../analysis/pareto.js';
import type { UnpricedModel } from '../core/types.js';
import { formatUsd, nanosToDecimal } from '../lib/money.js';
import { isoUtc } from '../lib/time.js';
import { unpricedJson, unpricedNotes } from './report.js';
import type { TableData } from './types.js';

export interface ParetoJson {
  schemaVersion: 1;
  kind: 'pareto';
  by: string;
  timezone: string;
  range: { since: string; until: string };
  previousRange: { since: string; until: string };
  totalNanos: bigint;
  totalUsd: string;
  entities: number;
  top20: { count: number; share: number };
  count80: number;
  gini: number;
  rows: {
    rank: number;
    key: string;
    costNanos: bigint;
    share: number;
    cumulativeShare: number;
    requests: number;
    unpricedRequests: number;
    tokens: number;
    crosses80: boolean;
  }[];
  topEndpoints: { key: string; costNanos: bigint; share: number }[];
  peakHour: { hour: number; costNanos: bigint; share: number } | null;
  movers: { up: MoverJson[]; down: MoverJson[] };
  summary: string[];
  unpriced: ReturnType<typeof unpricedJson>;
}

interface MoverJson {
  key: string;
  currentNanos: bigint;
  previousNanos: bigint;
  deltaNanos: bigint;
  deltaPct: number | null;
}

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
const plural = (dim: string, n: number): string => (n === 1 ? dim : dim === 'api-key' ? 'API keys' : `${dim}s`);

export function paretoJson(
  r: ParetoResult,
  ctx: {
    by: string;
    tz: string;
    since: number;
    until: number;
    previous: { since: number; until: number };
    top: number;
    topEndpoints: ParetoRow[];
    peak: { hour: number; costNanos: bigint; share: number } | undefined;
    unpriced: UnpricedModel[];
  },
): ParetoJson {
  const summary: string[] = [];
  if (r.entities > 0) {
    summary.push(
      `The top 20% of ${plural(ctx.by, 2)} (${r.top20.count} of ${r.entities}) account for ${pct(r.top20.share)} of spend; ${r.count80} ${plural(ctx.by, r.count80)} ${r.count80 === 1 ? 'accounts' : 'account'} for 80%.`,
      `Concentration (Gini): ${r.gini.toFixed(2)} (0 = even, 1 = one ${ctx.by} spends everything).`,
    );
    if (ctx.topEndpoints.length > 0)
      summary.push(
        `Top endpoints: ${ctx.topEndpoints.map((e) => `${e.key || '(none)'} ${formatUsd(e.costNanos)} (${pct(e.share)})`).join(', ')}.`,
      );
    if (ctx.peak)
      summary.push(
        `Peak hour of day: ${String(ctx.peak.hour).padStart(2, '0')}:00–${String(ctx.peak.hour + 1).padStart(2, '0')}:00 ${ctx.tz}, ${pct(ctx.peak.share)} of spend.`,
      );
    const up = r.movers.up[0];
    if (up)
      summary.push(
        `Biggest mover vs the previous period: ${up.key || '(none)'} +${formatUsd(up.deltaNanos)}${up.deltaPct === null ? ' (new)' : ` (${up.deltaPct > 0 ? '+' : ''}${pct(up.deltaPct)})`}.`,
      );
  }
  const mover = (m: ParetoResult['movers']['up'][number]): MoverJson => ({ ...m });
  return {
    schemaVersion: 1,
    kind: 'pareto',
    by: ctx.by,
    timezone: ctx.tz,
    range: { since: isoUtc(ctx.since), until: isoUtc(ctx.until) },
    previousRange: { since: isoUtc(ctx.previous.since), until: isoUtc(ctx.previous.until) },
    totalNanos: r.totalNanos,
    totalUsd: nanosToDecimal(r.totalNanos),
    entities: r.entities,
    top20: r.top20,
    count80: r.count80,
    gini: r.gini,
    rows: r.rows.slice(0, ctx.top).map((x) => ({
      rank: x.rank,
      key: x.key,
      costNanos: x.costNanos,
      share: x.share,
      cumulativeShare: x.cumulativeShare,
      requests: x.requests,
      unpricedRequests: x.unpricedRequests,
      tokens: x.tokens,
      crosses80: x.crosses80,
    })),
    topEndpoints: ctx.topEndpoints.map((e) => ({ key: e.key, costNanos: e.costNanos, share: e.share })),
    peakHour: ctx.peak ?? null,
    movers: { up: r.movers.up.map(mover), down: r.movers.down.map(mover) },
    summary,
    unpriced: unpricedJson(ctx.unpriced),
  };
}

export function paretoTables(j: ParetoJson): TableData[] {
  const anyUnpriced = j.rows.some((r) => r.unpricedRequests > 0);
  return [
    {
      title: `Cost drivers by ${j.by} (${j.timezone})`,
      columns: [
        { key: 'rank', header: '#', kind: 'int' },
        { key: j.by, header: j.by[0]?.toUpperCase() + j.by.slice(1), kind: 'text' },
        { key: 'cost', header: 'Cost', kind: 'usd' },
        { key: 'share', header: 'Share', kind: 'pct' },
        { key: 'cumulative', header: 'Cumulative', kind: 'pct' },
        { key: 'mark', header: '', kind: 'text' },
        { key: 'requests', header: 'Requests', kind: 'int' },
        ...(anyUnpriced ? [{ key: 'unpriced', header: 'Unpriced', kind: 'int' as const }] : []),
        { key: 'tokens', header: 'Tokens', kind: 'int' },
      ],
      rows: j.rows.map((r) => ({
        rank: r.rank,
        [j.by]: r.key || '(none)',
        // Nothing priced: the cost is unknown ("—"), not $0.
        cost: r.requests > 0 && r.unpricedRequests === r.requests ? undefined : r.costNanos,
        share: r.share,
        cumulative: r.cumulativeShare,
        mark: r.crosses80 ? '← 80%' : '',
        requests: r.requests,
        unpriced: r.unpricedRequests,
        tokens: r.tokens,
      })),
      notes: [...j.summary, ...unpricedNotes(j.unpriced.models)],
    },
  ];
}

/** Bars for each row's share and a dot on the cumulative share, on a 0-100 % scale. */
export function paretoChart(j: ParetoJson, width = 40): string {
  if (j.rows.length === 0) return '';
  const label = Math.min(24, Math.max(...j.rows.map((r) => (r.key || '(none)').length)));
  const lines = [`Pareto chart (█ share, ● cumulative, | 80%)`];
  for (const r of j.rows) {
    const bar = Math.round(r.share * width);
    const dot = Math.min(width, Math.round(r.cumulativeShare * width));
    const cells: string[] = Array.from({ length: width + 1 }, (_, i) => (i < bar ? '█' : i === Math.round(0.8 * width) ? '|' : ' '));
    cells[dot] = '●';
    const name = (r.key || '(none)').slice(0, label).padEnd(label);
    lines.push(`${name} ${cells.join('')} ${pct(r.share).padStart(6)} ${pct(r.cumulativeShare).padStart(6)}`);
  }
  return lines.join('\n');
}
