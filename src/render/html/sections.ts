/**
 * The sections of the HTML report, in page order. Each turns the embedded payloads into HTML (its tables rendered
 * here, escaped) and the specs of its charts (drawn by the page's script). A new section (tags, health) is one
 * more entry in HTML_SECTIONS, reading its own field of HtmlReportData.
 */

import { formatUsd, groupThousands } from '../../lib/money.js';
import type { AnomalyJson } from '../anomalies.js';
import { type HtmlReportData, PARETO_DIMENSIONS } from './data.js';
import { esc } from './escape.js';

/** A chart the page's script draws with uPlot into the element `id`; x is an index into `labels`. */
export interface ChartSpec {
  id: string;
  kind: 'stacked' | 'pareto' | 'lines';
  title: string;
  labels: string[];
  series: { label: string; values: (number | null)[]; style?: 'bar' | 'line' | 'dash' | 'points' | 'flat'; axis?: 'pct' }[];
  /** Per x index: the anchor (without #) a click on it jumps to. */
  links?: (string | null)[];
}

export interface HtmlSection {
  id: string;
  title: string;
  /** The section's inner HTML, or undefined to leave the section out; charts go into `charts`. */
  render(d: HtmlReportData, charts: ChartSpec[]): string | undefined;
}

const usd = (n: bigint): string => formatUsd(n);
const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
const float = (n: bigint): number => Number(n) / 1e9;
const name = (s: string): string => (s === '' ? '(none)' : s);

interface Cell {
  html: string;
  num?: boolean;
  nanos?: bigint;
}
const money = (n: bigint | null): Cell => (n === null ? { html: '', num: true } : { html: esc(usd(n)), num: true, nanos: n });
const int = (n: number): Cell => ({ html: esc(groupThousands(n)), num: true });
const share = (x: number | null): Cell => ({ html: x === null ? '' : esc(pct(x)), num: true });
const text = (s: string): Cell => ({ html: esc(s) });

function td(c: Cell, tag = 'td'): string {
  const attrs = `${c.num ? ' class="num"' : ''}${c.nanos !== undefined ? ` data-nanos="${c.nanos}"` : ''}`;
  return `<${tag}${attrs}>${c.html}</${tag}>`;
}

/** A table with its caption; `rowAttrs` adds attributes (an id, a class) to a body row. */
function table(
  caption: string,
  headers: (string | { label: string; num: boolean })[],
  rows: Cell[][],
  o: { footer?: Cell[]; rowAttrs?: (i: number) => string; id?: string } = {},
): string {
  const head = headers
    .map((h) => (typeof h === 'string' ? `<th scope="col">${esc(h)}</th>` : `<th scope="col" class="num">${esc(h.label)}</th>`))
    .join('');
  const body = rows.map((r, i) => `<tr${o.rowAttrs?.(i) ?? ''}>${r.map((c) => td(c)).join('')}</tr>`).join('\n');
  const foot = o.footer ? `<tfoot><tr>${o.footer.map((c) => td(c)).join('')}</tr></tfoot>` : '';
  return `<div class="table-wrap"><table${o.id ? ` id="${esc(o.id)}"` : ''}><caption>${esc(caption)}</caption><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody>${foot}</table></div>`;
}

const chartBox = (id: string, label: string): string => `<div class="chart" id="${esc(id)}" role="img" aria-label="${esc(label)}"></div>`;
const note = (s: string | undefined): string => (s ? `<p class="note">${esc(s)}</p>` : '');

function card(figure: string, title: string, value: string, detail: string, nanos?: bigint): string {
  const attr = nanos === undefined ? '' : ` data-nanos="${nanos}"`;
  return `<div class="card" data-figure="${esc(figure)}"><div class="card-title">${esc(title)}</div><div class="card-value"${attr}>${esc(value)}</div><div class="card-detail">${esc(detail)}</div></div>`;
}

const headline: HtmlSection = {
  id: 'headline',
  title: 'At a glance',
  render(d) {
    const t = d.report.totals;
    const prev = d.previous.totals.costNanos;
    const delta = t.costNanos - prev;
    const change = prev > 0n ? `${delta >= 0n ? '+' : ''}${pct(Number(delta) / Number(prev))}` : 'n/a';
    const f = d.forecast?.total;
    const unpricedShare = t.requests > 0 ? t.unpricedRequests / t.requests : 0;
    const models = d.report.unpriced.models.map((m) => `${m.provider}/${m.model}`).join(', ');
    return `<div class="cards">
${card('spend', 'Spend', usd(t.costNanos), `${groupThousands(t.requests)} requests, ${d.range.firstDay} to ${d.range.lastDay}`, t.costNanos)}
${card('previous', 'vs previous period', change, `${delta >= 0n ? '+' : '-'}${usd(delta < 0n ? -delta : delta)} against ${usd(prev)} (${d.previous.range.firstDay} to ${d.previous.range.lastDay})`, prev)}
${f && d.forecast ? card('forecast', `Forecast, ${d.forecast.period.start} to ${d.forecast.period.end}`, usd(f.forecastNanos), `80 %: ${usd(f.low80Nanos)} to ${usd(f.high80Nanos)}; spent so far ${usd(f.spentNanos)}`, f.forecastNanos) : card('forecast', 'Forecast', 'n/a', d.notes.forecast ?? '')}
${card('unpriced', 'Unpriced', pct(unpricedShare), t.unpricedRequests > 0 ? `${groupThousands(t.unpricedRequests)} requests not in the spend: ${models}` : 'every request has a price')}
</div>`;
  },
};

/** Series beyond this many are summed as "(others)" in the stacked chart and its table. */
const STACK_SERIES = 7;

const daily: HtmlSection = {
  id: 'daily',
  title: 'Spend over time',
  render(d, charts) {
    const s = d.stacked;
    const label = (g: Record<string, string | undefined>): string => s.groupBy.map((k) => name(g[k] ?? '')).join(' / ');
    const periods = s.period === 'daily' && d.report.period === 'daily' ? d.report.rows.map((r) => r.period ?? '') : [];
    for (const r of s.rows) if (!periods.includes(r.period ?? '')) periods.push(r.period ?? '');
    periods.sort();
    const totals = new Map<string, bigint>();
    for (const r of s.rows) totals.set(label(r.group), (totals.get(label(r.group)) ?? 0n) + r.costNanos);
    const ranked = [...totals.entries()].sort((a, b) => (b[1] > a[1] ? 1 : b[1] < a[1] ? -1 : a[0] < b[0] ? -1 : 1)).map(([k]) => k);
    const shown = ranked.length > STACK_SERIES ? ranked.slice(0, STACK_SERIES - 1) : ranked;
    const others = ranked.length > shown.length;
    const keys = others ? [...shown, `(${ranked.length - shown.length} others)`] : shown;
    const cells = new Map<string, bigint[]>(periods.map((p) => [p, keys.map(() => 0n)]));
    for (const r of s.rows) {
      const row = cells.get(r.period ?? '');
      if (!row) continue;
      const i = shown.indexOf(label(r.group));
      const at = i >= 0 ? i : keys.length - 1;
      row[at] = (row[at] ?? 0n) + r.costNanos;
    }
    const dayTotal = (p: string): bigint => (cells.get(p) ?? []).reduce((a, b) => a + b, 0n);
    const firstAnomaly = new Map<string, string>();
    for (const [i, a] of (d.anomalies?.anomalies ?? []).entries())
      if (!firstAnomaly.has(a.period)) firstAnomaly.set(a.period, anomalyId(a, i));
    charts.push({
      id: 'chart-daily',
      kind: 'stacked',
      title: 'Spend per period',
      labels: periods,
      series: [
        ...keys.map((k, i) => ({ label: k, values: periods.map((p) => float(cells.get(p)?.[i] ?? 0n)) })),
        { label: 'anomaly', style: 'points', values: periods.map((p) => (firstAnomaly.has(p) ? float(dayTotal(p)) : null)) },
      ],
      links: periods.map((p) => firstAnomaly.get(p) ?? null),
    });
    const rows = periods.map((p) => [
      text(p),
      ...(cells.get(p) ?? []).map((n) => money(n)),
      money(dayTotal(p)),
      { html: firstAnomaly.has(p) ? `<a href="#${esc(firstAnomaly.get(p) ?? '')}">anomaly</a>` : '' },
    ]);
    const grand = keys.map((_, i) => periods.reduce((a, p) => a + (cells.get(p)?.[i] ?? 0n), 0n));
    return `${chartBox('chart-daily', `Spend per ${s.period === 'daily' ? 'day' : s.period === 'weekly' ? 'week' : 'month'}, stacked by ${s.groupBy.join(' / ')}`)}
${table(
  `Spend per ${s.period === 'daily' ? 'day' : s.period === 'weekly' ? 'week' : 'month'} by ${s.groupBy.join(' / ')}`,
  [
    s.period === 'daily' ? 'Day' : s.period === 'weekly' ? 'Week of' : 'Month',
    ...keys.map((k) => ({ label: k, num: true })),
    { label: 'Total', num: true },
    'Anomaly',
  ],
  rows,
  { footer: [text('Total'), ...grand.map((n) => money(n)), money(grand.reduce((a, b) => a + b, 0n)), text('')], id: 'table-daily' },
)}`;
  },
};

function anomalyId(a: AnomalyJson, i: number): string {
  return `anomaly-${a.period.replace(/[^0-9T:-]/g, '')}-${i}`;
}

const anomalies: HtmlSection = {
  id: 'anomalies',
  title: 'Anomalies and their root cause',
  render(d) {
    const j = d.anomalies;
    if (!j) return note(d.notes.anomalies);
    if (j.anomalies.length === 0) return `<p id="anomaly-count" data-count="0">No anomalies in the range.</p>${note(d.notes.anomalies)}`;
    const rows = j.anomalies.map((a) => {
      const drivers = a.drivers ? (a.drivers.combined ?? a.drivers.user ?? []) : [];
      const cause = drivers.length
        ? `<ul class="drivers">${drivers.map((x) => `<li>${esc(x.entity)}: ${esc(usd(x.attributedNanos))} (${esc(pct(x.share))})</li>`).join('')}</ul>`
        : '';
      return [
        text(a.period),
        text(a.kind),
        text(a.severity),
        text(a.entity ? `${a.entity.dimension} ${name(a.entity.name)}` : 'total'),
        money(a.actualNanos),
        money(a.expectedNanos),
        money(a.excessNanos),
        { html: `${esc(a.summary)}${cause}` },
      ];
    });
    return `<p id="anomaly-count" data-count="${j.anomalies.length}">${j.anomalies.length} anomal${j.anomalies.length === 1 ? 'y' : 'ies'} (${esc(j.method)}, k = ${j.params.k}, window ${j.params.window} days); each names what drove it.</p>
${table(
  'Anomalies',
  [
    'Period',
    'Kind',
    'Severity',
    'Series',
    { label: 'Actual', num: true },
    { label: 'Expected', num: true },
    { label: 'Excess', num: true },
    'Root cause',
  ],
  rows,
  {
    rowAttrs: (i) => {
      const a = j.anomalies[i];
      return a ? ` id="${esc(anomalyId(a, i))}" class="sev-${esc(a.severity)}"` : '';
    },
    id: 'table-anomalies',
  },
)}${note(d.notes.anomalies)}`;
  },
};

const breakdown: HtmlSection = {
  id: 'breakdown',
  title: 'Who and what drives the spend',
  render(d, charts) {
    const parts: string[] = [];
    for (const dim of PARETO_DIMENSIONS) {
      const p = d.pareto[dim];
      if (!p) continue;
      const id = `chart-pareto-${dim}`;
      charts.push({
        id,
        kind: 'pareto',
        title: `Spend by ${dim}`,
        labels: p.rows.map((r) => name(r.key)),
        series: [
          { label: 'spend', style: 'bar', values: p.rows.map((r) => float(r.costNanos)) },
          { label: 'cumulative share', style: 'line', axis: 'pct', values: p.rows.map((r) => r.cumulativeShare * 100) },
        ],
      });
      const rows = p.rows.map((r) => [
        int(r.rank),
        text(name(r.key)),
        money(r.costNanos),
        share(r.share),
        share(r.cumulativeShare),
        int(r.requests),
      ]);
      parts.push(`<div class="block" id="pareto-${dim}"><h3>By ${esc(dim)}</h3>
<div class="split">${chartBox(id, `Pareto chart of spend by ${dim}`)}
${table(
  `Spend by ${dim} (top ${p.rows.length} of ${p.entities}, total ${usd(p.totalNanos)})`,
  [
    '#',
    dim[0]?.toUpperCase() + dim.slice(1),
    { label: 'Spend', num: true },
    { label: 'Share', num: true },
    { label: 'Cumulative', num: true },
    { label: 'Requests', num: true },
  ],
  rows,
  {
    rowAttrs: (i) => (p.rows[i]?.crosses80 ? ' class="crosses80"' : ''),
    id: `table-pareto-${dim}`,
  },
)}</div>
${p.summary.map((s) => `<p class="summary">${esc(s)}</p>`).join('')}</div>`);
    }
    return parts.join('\n');
  },
};

const budgets: HtmlSection = {
  id: 'budgets',
  title: 'Budgets: burn-down, pace and forecast',
  render(d, charts) {
    const j = d.budgets;
    if (!j) return note(d.notes.budgets);
    const parts: string[] = [];
    for (const [i, b] of j.budgets.entries()) {
      const burn = d.burnDown[i];
      if (!burn) continue;
      const n = burn.days.length;
      const today = burn.cumulativeNanos.length - 1;
      const spent = float(burn.cumulativeNanos[today] ?? 0n);
      const projected = float(b.projectedWeekdayNanos ?? b.projectedLinearNanos);
      const amount = float(b.amountNanos);
      const id = `chart-budget-${i}`;
      charts.push({
        id,
        kind: 'lines',
        title: b.name,
        labels: burn.days,
        series: [
          { label: 'spent', style: 'line', values: burn.days.map((_, k) => (k <= today ? float(burn.cumulativeNanos[k] ?? 0n) : null)) },
          { label: 'even pace', style: 'dash', values: burn.days.map((_, k) => (amount * (k + 1)) / n) },
          {
            label: 'forecast',
            style: 'dash',
            values: burn.days.map((_, k) =>
              k < today || n - 1 === today ? null : spent + ((projected - spent) * (k - today)) / (n - 1 - today),
            ),
          },
          { label: 'budget', style: 'flat', values: burn.days.map(() => amount) },
        ],
      });
      parts.push(`<div class="block budget status-${esc(b.status)}"><h3>${esc(b.name)}</h3>
<div class="split">${chartBox(id, `Burn-down of budget ${b.name}`)}
${table(
  `Budget ${b.name} (${b.period} from ${b.periodStart})`,
  ['Figure', { label: 'Value', num: true }],
  [
    [text('Spent'), money(b.spentNanos)],
    [text('Budget'), money(b.amountNanos)],
    [text('Used'), share(b.used)],
    [text('Expected by now'), money(b.expectedNanos)],
    [text('Pace'), { html: b.pace === null ? '' : esc(b.pace.toFixed(2)), num: true }],
    [text('Forecast'), money(b.projectedWeekdayNanos ?? b.projectedLinearNanos)],
    [text('Left per day'), money(b.dailyBudgetLeftNanos)],
    [text('Status'), { html: esc(b.status), num: true }],
  ],
  { id: `table-budget-${i}` },
)}</div>
<p class="summary">${esc(b.summary)}</p></div>`);
    }
    return `${parts.join('\n')}${j.dataProblems.map((p) => note(p.message)).join('')}`;
  },
};

const reconcile: HtmlSection = {
  id: 'reconcile',
  title: 'Logged vs billed',
  render(d, charts) {
    const j = d.reconcile;
    if (!j) return undefined;
    charts.push({
      id: 'chart-reconcile',
      kind: 'lines',
      title: 'Logged vs computed vs billed',
      labels: j.lines.map((l) => l.day),
      series: [
        { label: 'logged', style: 'line', values: j.lines.map((l) => (l.loggedNanos === null ? null : float(l.loggedNanos))) },
        { label: 'computed', style: 'dash', values: j.lines.map((l) => float(l.computedNanos)) },
        { label: 'billed', style: 'line', values: j.lines.map((l) => (l.billedNanos === null ? null : float(l.billedNanos))) },
      ],
    });
    const rows = j.lines.map((l) => [
      text(l.day),
      money(l.loggedNanos),
      money(l.computedNanos),
      money(l.billedNanos),
      money(l.gapNanos),
      share(l.gapPct),
      text(l.explanations.join('; ')),
    ]);
    return `<div class="split">${chartBox('chart-reconcile', `Logged, computed and billed cost of ${j.provider} per day`)}
${table(`${j.provider}: logged, computed and billed per day (UTC)`, ['Day', { label: 'Logged', num: true }, { label: 'Computed', num: true }, { label: 'Billed', num: true }, { label: 'Gap', num: true }, { label: 'Gap %', num: true }, 'Explained by'], rows, { id: 'table-reconcile' })}</div>`;
  },
};

const unpriced: HtmlSection = {
  id: 'unpriced',
  title: 'Unpriced models',
  render(d) {
    const u = d.report.unpriced;
    if (u.models.length === 0) return '<p>Every model in the range has a price.</p>';
    return `<p>These models have no price in the catalog: their ${esc(groupThousands(u.requests))} requests are not in the spend above. Add them with <code>llmcost reprice --prices FILE</code>.</p>
${table(
  'Unpriced models',
  ['Provider', 'Model', { label: 'Requests', num: true }, { label: 'Tokens', num: true }],
  u.models.map((m) => [text(m.provider), text(m.model), int(m.requests), int(m.tokens)]),
  { id: 'table-unpriced' },
)}`;
  },
};

const ms = (n: number | null): Cell => ({ html: n === null ? '' : esc(`${groupThousands(n)} ms`), num: true });

const health: HtmlSection = {
  id: 'health',
  title: 'Gateway health',
  render(d) {
    const h = d.health;
    if (!h) return undefined;
    const missing = h.notInData.map((f) => (f === 'failures' ? 'request status' : f === 'cacheHits' ? 'gateway cache flag' : 'latency'));
    const row = (r: (typeof h.rows)[number], label: string): Cell[] => [
      text(label),
      int(r.requests),
      money(r.costNanos),
      share(r.failureRate),
      share(r.cacheHitRate),
      money(r.cacheAvoidedNanos),
      ms(r.latencyP50Ms),
      ms(r.latencyP95Ms),
    ];
    const target =
      h.target.actual === null
        ? 'Gateway cache hit rate: not in the data.'
        : `Gateway cache hit rate ${pct(h.target.actual)} against the seed guide's target of at least ${pct(h.target.cacheHitRate)}: ${h.target.met ? 'met' : 'below target'}.`;
    return `<p class="summary" id="health-target">${esc(target)}</p>
${table(
  'Failures, gateway cache and latency by model (llmcost health --by model)',
  [
    'Model',
    { label: 'Requests', num: true },
    { label: 'Cost', num: true },
    { label: 'Failure rate', num: true },
    { label: 'Cache hit rate', num: true },
    { label: 'Avoided by cache', num: true },
    { label: 'p50 latency', num: true },
    { label: 'p95 latency', num: true },
  ],
  h.rows.map((r) => row(r, name(r.key))),
  { id: 'table-health', footer: row(h.total, 'Total') },
)}${missing.length > 0 ? note(`Not in the data for this range: ${missing.join(', ')} (blank above, not 0).`) : ''}`;
  },
};

/** The page's sections, in order. Add a section here (e.g. by tag) with its field in HtmlReportData. */
export const HTML_SECTIONS: readonly HtmlSection[] = [headline, daily, anomalies, breakdown, budgets, reconcile, health, unpriced];
