/**
 * Terminal charts for a series of amounts: a column chart (report --daily/--weekly/--monthly) and sparklines
 * (one per row of anomalies and budget status). Eighth blocks give each cell eight heights.
 */
import { Chalk } from 'chalk';
import { formatUsd } from '../lib/money.js';

const EIGHTHS = ['', '▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
const SPARKS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

const toNumber = (v: number | bigint): number => (typeof v === 'bigint' ? Number(v) : v);

/**
 * One character a value, ▁ (zero or the least) to █ (the most), on a scale from 0 to the largest value, so the
 * same height means the same amount within a line. Negative values count as 0; an all-zero series is all ▁.
 */
export function sparkline(values: readonly (number | bigint)[]): string {
  const nums = values.map((v) => Math.max(0, toNumber(v)));
  const top = Math.max(0, ...nums);
  if (top === 0) return SPARKS[0]?.repeat(nums.length) ?? '';
  return nums.map((v) => SPARKS[Math.round((v / top) * (SPARKS.length - 1))] ?? '').join('');
}

export interface ChartPoint {
  /** The period, as the table shows it (YYYY-MM-DD, or YYYY-MM for months). */
  label: string;
  valueNanos: bigint;
}

/**
 * A column chart of amounts, `height` rows tall, no wider than `width` columns: one column per point (two when
 * they fit: a bar and a gap), the largest amount on the y axis, the first and last labels under the axis. When
 * there are more points than columns, the latest ones are drawn and the title says how many.
 */
export function columnChart(
  points: readonly ChartPoint[],
  opts: { title: string; width: number; height?: number; color: boolean },
): string {
  const c = new Chalk({ level: opts.color ? 1 : 0 });
  const height = opts.height ?? 6;
  const top = points.reduce((m, p) => (p.valueNanos > m ? p.valueNanos : m), 0n);
  const topLabel = formatUsd(top);
  const axis = Math.max(topLabel.length, 2);
  const room = Math.max(1, opts.width - axis - 2);
  const shown = points.length > room ? points.slice(points.length - room) : points;
  const step = shown.length * 2 <= room ? 2 : 1;
  const title = shown.length < points.length ? `${opts.title} (last ${shown.length} of ${points.length})` : opts.title;
  // Each point's height in eighths of a row, on a scale from $0 to the largest amount.
  const eighths = shown.map((p) => (top === 0n ? 0 : Number((p.valueNanos * BigInt(height * 8) + top / 2n) / top)));
  const lines = [c.bold(title)];
  for (let row = 0; row < height; row++) {
    const floor = (height - 1 - row) * 8;
    const bars = eighths.map((e) => (e >= floor + 8 ? '█' : e > floor ? (EIGHTHS[e - floor] ?? '') : ' ').padEnd(step)).join('');
    const label = row === 0 ? topLabel : '';
    lines.push(`${label.padStart(axis)} ${row === 0 ? '┤' : '│'}${c.cyan(bars.trimEnd())}`);
  }
  lines.push(`${'$0'.padStart(axis)} └${'─'.repeat(shown.length * step)}`);
  const span = shown.length * step;
  // The first and last periods under the axis; days without their year (10-01) when both do not fit.
  const ends: [string, string] = [shown[0]?.label ?? '', shown.at(-1)?.label ?? ''];
  const [first = '', last = ''] = ends[0].length + ends[1].length + 1 <= span ? ends : ends.map((l) => (l.length === 10 ? l.slice(5) : l));
  lines.push(
    `${' '.repeat(axis + 2)}${shown.length > 1 && first.length + last.length + 1 <= span ? first + last.padStart(span - first.length) : first}`,
  );
  return lines.join('\n');
}

/** Each period's cost summed over its rows (a report by period and --by dimensions has one row per group). */
export function periodPoints(rows: readonly { period?: string; costNanos: bigint }[]): ChartPoint[] {
  const sums = new Map<string, bigint>();
  for (const r of rows) if (r.period !== undefined) sums.set(r.period, (sums.get(r.period) ?? 0n) + r.costNanos);
  return [...sums].map(([label, valueNanos]) => ({ label, valueNanos }));
}
