/** Pure: GetCostAndUsage results → billing usage records (one per period × group). */
import type { ResultByTime } from '@aws-sdk/client-cost-explorer';
import { parseDecimalScaled } from '../../lib/money.js';
import { isDateOnly, parseTimestamp } from '../../lib/time.js';
import type { UsageRecord } from '../types.js';
import { billedTokens, modelFromService, parseUsageType } from './usage-type.js';

export interface BillingQuery {
  metric: string;
  granularity: string;
  /** The group-by keys, e.g. ["SERVICE", "USAGE_TYPE"] or ["USAGE_TYPE", "TAG:team"]. */
  groupBy: string[];
}

/** Prefix of the source ids of one query's rows: re-ingesting a period replaces exactly these. */
export function queryPrefix(q: BillingQuery): string {
  return `${q.metric}|${q.granularity}|${q.groupBy.join(',')}|`;
}

export function billingRecords(results: ResultByTime[], q: BillingQuery): UsageRecord[] {
  const out: UsageRecord[] = [];
  for (const r of results) {
    const start = r.TimePeriod?.Start;
    const ts = start ? parseTimestamp(start) : undefined;
    if (ts === undefined) continue;
    for (const g of r.Groups ?? []) {
      const keys = g.Keys ?? [];
      const amount = g.Metrics?.[q.metric]?.Amount;
      const nanos = amount === undefined ? undefined : parseDecimalScaled(amount, 9, true);
      if (nanos === undefined) continue;
      const quantity = Number(g.Metrics?.UsageQuantity?.Amount ?? 0);
      const by = (dim: string): string | undefined => {
        const i = q.groupBy.indexOf(dim);
        return i === -1 ? undefined : keys[i];
      };
      const service = by('SERVICE');
      const usageType = by('USAGE_TYPE');
      const info = usageType ? parseUsageType(usageType) : { batch: false, global: false };
      const model = info.model ?? (service ? modelFromService(service) : undefined) ?? usageType ?? service ?? 'unknown';
      const tags = [
        ...(service ? [`service:${service}`] : []),
        ...(usageType ? [`usage_type:${usageType}`] : []),
        ...(r.Estimated ? ['estimated'] : []),
      ];
      let team: string | undefined;
      let account: string | undefined;
      for (const [i, dim] of q.groupBy.entries()) {
        const value = keys[i] ?? '';
        if (dim.startsWith('TAG:')) {
          const tagValue = value.slice(value.indexOf('$') + 1);
          tags.push(`tag:${dim.slice(4)}=${tagValue}`);
          if (/team/i.test(dim)) team = tagValue || undefined;
        }
        if (dim === 'LINKED_ACCOUNT') account = value;
      }
      if (account) tags.push(`account:${account}`);
      out.push({
        ts,
        ...(isDateOnly(start ?? '') ? { dayOnly: true } : {}),
        sourceId: `${queryPrefix(q)}${start}|${keys.join('|')}`,
        provider: 'bedrock',
        model,
        region: info.region,
        team,
        endpoint: usageType,
        tags,
        serviceTier: info.batch ? 'batch' : 'standard',
        status: r.Estimated ? 'estimated' : 'final',
        requests: 0,
        ...billedTokens(info, quantity),
        reportedCostNanos: nanos,
        billed: true,
      });
    }
  }
  return out;
}
