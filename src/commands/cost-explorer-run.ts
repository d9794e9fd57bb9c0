/** `llmcost ingest cost-explorer`: what runs (loaded by the action in cost-explorer.ts, so `--help` loads none of it). */
import { type CostExplorerOperation, explainCostExplorerError } from '../aws/errors.js';
import type { Context } from '../core/context.js';
import type { BillChange } from '../core/types.js';
import { billingRecords } from '../ingest/cost-explorer/parse.js';
import { dedupeKey, toRow } from '../ingest/pipeline.js';
import type { UsageRecord } from '../ingest/types.js';
import { ExitCode, UserError } from '../lib/errors.js';
import { formatUsd, nanosToDecimal } from '../lib/money.js';
import { DAY_MS, dayNumber, dayNumberToIso, localDate, parseTimestamp } from '../lib/time.js';
import { makePricer } from '../pricing/load.js';
import { render } from '../render/index.js';
import { coveredByCur, curCoverage, parseBillSourceId, replaceCostExplorerRows } from '../store/queries/billing.js';
import { rebuildRollupRange, UsageWriter } from '../store/queries/usage.js';
import { withIngestRun } from '../store/transactions.js';
import type { CeFlags } from './cost-explorer.js';
import { openFromFlags, projectConfig } from './open.js';
import { resolveFormat } from './options.js';

const none = (): BillChange => ({ rows: 0, billedNanos: 0n, days: [] });

export async function costExplorerCommand(flags: CeFlags, ctx: Context): Promise<number> {
  const format = resolveFormat(flags);
  const now = ctx.now();
  const today = dayNumber(localDate(now, 'UTC'));
  const start = day(flags.since, dayNumberToIso(today - 30), '--since');
  const lastDay = day(flags.until, dayNumberToIso(today), '--until');
  const end = dayNumberToIso(dayNumber(lastDay) + 1); // Cost Explorer's End is exclusive
  if (end <= start) throw new UserError(`--until ${lastDay} is before --since ${start}.`);
  const granularity = flags.granularity ?? 'DAILY';
  if (granularity === 'HOURLY' && dayNumber(end) - dayNumber(start) > 14) {
    throw new UserError('HOURLY data covers at most the last 14 days.', { hint: 'Narrow --since, or use DAILY.' });
  }
  const metric = flags.metric ?? 'UnblendedCost';
  const second = flags.tag
    ? { Type: 'TAG' as const, Key: flags.tag }
    : flags.linkedAccount
      ? { Type: 'DIMENSION' as const, Key: 'LINKED_ACCOUNT' }
      : { Type: 'DIMENSION' as const, Key: 'SERVICE' };
  const groupBy = [second, { Type: 'DIMENSION' as const, Key: 'USAGE_TYPE' }];
  const groupKeys = groupBy.map((g) => (g.Type === 'TAG' ? `TAG:${g.Key}` : g.Key));
  // Grouped by a tag or account, SERVICE drops out of the keys, and with it the model of Marketplace (MP:) lines:
  // one call per service keeps it.
  const perService = second.Key !== 'SERVICE';
  const period = granularity === 'HOURLY' ? { Start: `${start}T00:00:00Z`, End: `${end}T00:00:00Z` } : { Start: start, End: end };
  const request = (services: string[]) => ({
    TimePeriod: period,
    Granularity: granularity as 'DAILY' | 'HOURLY' | 'MONTHLY',
    Metrics: [metric, 'UsageQuantity'],
    Filter: { Dimensions: { Key: 'SERVICE' as const, Values: services } },
    GroupBy: groupBy,
  });
  const calls = (services: string[]): { service?: string; services: string[] }[] =>
    perService ? services.map((s) => ({ service: s, services: [s] })) : services.length > 0 ? [{ services }] : [];
  if (flags.dryRun) {
    const services = flags.service ?? ['<every SERVICE containing "Bedrock", from GetDimensionValues(SERVICE, SearchString "Bedrock")>'];
    const requests = calls([...new Set(services)]).map((c) => request(c.services));
    ctx.out(
      render(
        'json',
        {
          schemaVersion: 1,
          kind: 'cost-explorer-request',
          region: flags.region ?? 'us-east-1',
          operation: 'GetCostAndUsage',
          request: requests[0],
          requests,
        },
        [],
        { color: false },
      ),
    );
    return ExitCode.Ok;
  }
  const sdk = await import('@aws-sdk/client-cost-explorer');
  const ce = await import('../aws/cost-explorer.js');
  const client = new sdk.CostExplorerClient({
    region: flags.region ?? 'us-east-1',
    maxAttempts: 5,
    ...(flags.profile ? { profile: flags.profile } : {}),
  });
  let services: string[];
  const records: UsageRecord[] = [];
  const periods = new Set<string>();
  const estimated = new Set<string>();
  let merged = 0;
  try {
    services = flags.service ? [...new Set(flags.service)] : await call('GetDimensionValues', () => ce.bedrockServices(client, start, end));
    for (const c of calls(services)) {
      const results = await call('GetCostAndUsage', () => ce.getCostAndUsage(client, request(c.services)));
      const out = billingRecords(results, { metric, groupBy: groupKeys, service: c.service });
      records.push(...out.records);
      merged += out.merged;
      for (const r of results) {
        const p = r.TimePeriod?.Start ?? '';
        periods.add(p);
        if (r.Estimated) estimated.add(p);
      }
    }
  } finally {
    client.destroy();
  }
  const since = Date.parse(`${start}T00:00:00Z`);
  const until = Date.parse(`${end}T00:00:00Z`);
  const db = openFromFlags(flags, ctx, projectConfig(), 'write');
  let replaced = none();
  const superseded = none();
  let stored = 0;
  let billedNanos = 0n;
  try {
    const pricer = makePricer(db, projectConfig().prices, projectConfig());
    await withIngestRun(db, { source: 'cost-explorer', file: `GetCostAndUsage ${start}..${lastDay}`, now: () => now }, (runId) => {
      // Restated days and regroupings replace earlier rows of the same days and services instead of adding to them.
      replaced = replaceCostExplorerRows(db, since, until, services);
      // A CUR already stored for a day and account is the finalized bill: Cost Explorer's figure for it is not kept.
      const coverage = curCoverage(db, since, until);
      const days = new Set<string>();
      const writer = new UsageWriter(db);
      for (const r of records) {
        const id = r.sourceId === undefined ? undefined : parseBillSourceId(r.sourceId);
        const periodEnd = (id && parseTimestamp(id.end)) ?? r.ts + 1;
        if (coverage.size > 0 && coveredByCur(coverage, r.ts, periodEnd, id?.account ?? '')) {
          superseded.rows++;
          superseded.billedNanos += r.reportedCostNanos ?? 0n;
          days.add(dayNumberToIso(Math.floor(r.ts / DAY_MS)));
          continue;
        }
        if (writer.write(toRow(r, 'cost-explorer', runId, pricer, dedupeKey('cost-explorer', r, 0)))) {
          stored++;
          billedNanos += r.reportedCostNanos ?? 0n;
        }
      }
      superseded.days = [...days].sort();
      writer.discard(); // the range's rollup is rebuilt from the rows below
      rebuildRollupRange(db, 'cost-explorer', since, until);
      return {
        value: undefined,
        counts: { read: records.length, inserted: stored, duplicate: records.length - superseded.rows - stored, rejected: 0, unpriced: 0 },
      };
    });
  } finally {
    db.close();
  }
  const estimatedDays = [...estimated].sort();
  const payload = {
    schemaVersion: 1,
    kind: 'cost-explorer-ingest',
    range: { start, end },
    granularity,
    metric,
    services,
    periods: periods.size,
    rows: stored,
    mergedGroups: merged,
    replaced: replaced.rows,
    replacedNanos: replaced.billedNanos,
    supersededByCur: superseded,
    billedNanos,
    billedUsd: nanosToDecimal(billedNanos),
    estimatedPeriods: estimatedDays,
  };
  const lines = [
    { k: 'Services', v: services.join(', ') || '(no Bedrock spend found)' },
    { k: 'Billing rows stored', v: String(stored) },
    {
      k: 'Replaced',
      v: `${replaced.rows} earlier rows of these days and services (${formatUsd(replaced.billedNanos)}), whatever their grouping`,
    },
    ...(superseded.rows > 0
      ? [
          {
            k: 'Superseded by CUR',
            v: `${superseded.rows} rows (${formatUsd(superseded.billedNanos)}) not stored: a CUR covers ${superseded.days.join(', ')}`,
          },
        ]
      : []),
    ...(merged > 0 ? [{ k: 'Repeated groups', v: `${merged} groups repeated the keys of another in their period: summed` }] : []),
    { k: 'Billed', v: formatUsd(billedNanos) },
    { k: 'Estimated periods', v: estimatedDays.join(', ') || 'none' },
  ];
  ctx.out(
    render(
      format,
      payload,
      [
        {
          title: `Cost Explorer ${start}..${lastDay} (${granularity}, ${metric})`,
          columns: [
            { key: 'k', header: 'Item', kind: 'text' },
            { key: 'v', header: 'Value', kind: 'text' },
          ],
          rows: lines,
        },
      ],
      ctx.view,
    ),
  );
  return ExitCode.Ok;
}

export function day(text: string | undefined, fallback: string, flag: string): string {
  if (text === undefined) return fallback;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) throw new UserError(`${flag} ${text}: expected a date YYYY-MM-DD.`);
  return text;
}

/** Runs one Cost Explorer call, turning its failure into a message that names the call and what to do. */
export async function call<T>(operation: CostExplorerOperation, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw explainCostExplorerError(err, operation);
  }
}
