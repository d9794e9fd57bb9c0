import { describe, expect, it } from 'vitest';
import { buildReport } from '../../analysis/report.js';
import type { AggregateRow, Dimension } from '../../core/types.js';
import { dayNumber } from '../../lib/time.js';
import { reportJson, totalsJson } from '../report.js';
import type { HtmlReportData } from './data.js';
import { renderHtmlReport } from './page.js';

const usd = (n: number): bigint => BigInt(Math.round(n * 1e9));

/** One day's aggregate of one group: 10 requests costing `cost` USD. */
const agg = (day: string, keys: string[], cost: number): AggregateRow => ({
  day: dayNumber(day),
  keys,
  records: 1,
  requests: 10,
  inputTokens: 1000,
  outputTokens: 100,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  costNanos: usd(cost),
  unpricedRequests: 0,
});

function data(rows: AggregateRow[], dims: Dimension[], over: Partial<HtmlReportData> = {}): HtmlReportData {
  const range = { since: Date.UTC(2026, 9, 1), until: Date.UTC(2026, 9, 3) };
  const days = { first: dayNumber('2026-10-01'), last: dayNumber('2026-10-02') };
  const daily = buildReport(
    rows.map((r) => ({ ...r, keys: [] })),
    { period: 'daily', dims: [], firstDay: days.first, lastDay: days.last },
  );
  const stacked = buildReport(rows, { period: 'daily', dims });
  const r = { since: '2026-10-01T00:00:00.000Z', until: '2026-10-03T00:00:00.000Z', firstDay: '2026-10-01', lastDay: '2026-10-02' };
  return {
    schemaVersion: 1,
    kind: 'html-report',
    generatedAt: '2026-10-03T00:00:00.000Z',
    timezone: 'UTC',
    range: r,
    filters: {},
    report: reportJson(daily, { tz: 'UTC', range, unpriced: [] }),
    previous: { range: r, totals: totalsJson(buildReport([], { period: undefined, dims: [] }).totals) },
    stacked: reportJson(stacked, { tz: 'UTC', range, unpriced: [] }),
    pareto: {},
    anomalies: null,
    forecast: null,
    budgets: null,
    burnDown: [],
    reconcile: null,
    health: null,
    notes: { budgets: 'No budgets: add "budgets" to llmcost.config.json, or give --config FILE.' },
    ...over,
  };
}

const sectionIds = (html: string): string[] => [...html.matchAll(/<section id="([^"]+)">/g)].map((m) => m[1] ?? '');

describe('renderHtmlReport', () => {
  it('stacks the six largest series and sums the rest as others, with exact totals per day', () => {
    const models = ['m1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7', 'm8'];
    const rows = models.flatMap((m, i) => [agg('2026-10-01', [m], 8 - i), agg('2026-10-02', [m], 1)]);
    const html = renderHtmlReport(data(rows, ['model']));
    const head = html.match(/<table id="table-daily">.*?<\/thead>/s)?.[0] ?? '';
    expect([...head.matchAll(/<th[^>]*>([^<]*)<\/th>/g)].map((m) => m[1])).toEqual([
      'Day',
      'm1',
      'm2',
      'm3',
      'm4',
      'm5',
      'm6',
      '(2 others)',
      'Total',
      'Anomaly',
    ]);
    // Day 1: m7 + m8 = $2 + $1 as others; total $36. Footer: the whole range, $44.
    const day1 = html.match(/<tr><td>2026-10-01<\/td>(.*?)<\/tr>/)?.[1] ?? '';
    expect([...day1.matchAll(/data-nanos="(\d+)"/g)].map((m) => Number(m[1]) / 1e9)).toEqual([8, 7, 6, 5, 4, 3, 3, 36]);
    expect(html.match(/<tfoot>.*?<\/tfoot>/s)?.[0]).toContain('data-nanos="44000000000">$44.00</td>');
  });

  it('escapes names in tables and keeps them inert in the embedded JSON', () => {
    const evil = '</script><img src=x onerror=alert(1)>';
    const html = renderHtmlReport(data([agg('2026-10-01', [evil], 5)], ['user']));
    expect(html).toContain('&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;');
    expect(html).not.toContain('<img');
    expect(html.match(/<\/script>/g)?.length).toBe(4);
    const embedded = html.match(/<script type="application\/json" id="llmcost-data">(.*?)<\/script>/s)?.[1] ?? '';
    expect(JSON.parse(embedded).stacked.rows[0].group.user).toBe(evil);
  });

  it('leaves logged vs billed out without a bill, and says why budgets are empty', () => {
    const html = renderHtmlReport(data([agg('2026-10-01', ['m1'], 1)], ['model']));
    expect(sectionIds(html)).toEqual(['headline', 'daily', 'anomalies', 'breakdown', 'budgets', 'unpriced']);
    expect(html).toContain('<p class="note">No budgets: add &quot;budgets&quot; to llmcost.config.json, or give --config FILE.</p>');
    expect(html).toContain('<div class="card-value">n/a</div>');
  });
});
