/** Pure: GetCostAndUsage results → billing usage records (one per period × bill line × split). */
import type { ResultByTime } from '@aws-sdk/client-cost-explorer';
import { parseDecimalScaled } from '../../lib/money.js';
import { isDateOnly, parseTimestamp } from '../../lib/time.js';
import { billSourceId } from '../../store/queries/billing.js';
import type { UsageRecord } from '../types.js';
import { billedTokens, modelFromService, parseUsageType } from './usage-type.js';

export interface BillingQuery {
  metric: string;
  /** The group-by keys, e.g. ["SERVICE", "USAGE_TYPE"] or ["TAG:team", "USAGE_TYPE"]. */
  groupBy: string[];
  /** The one SERVICE the call was filtered on, when SERVICE is not a group-by key. */
  service?: string | undefined;
}

export interface BillingRecords {
  records: UsageRecord[];
  /** Groups that repeated the keys of an earlier group in the same period: summed into it. */
  merged: number;
}

export function billingRecords(results: ResultByTime[], q: BillingQuery): BillingRecords {
  const byId = new Map<string, UsageRecord>();
  let merged = 0;
  for (const r of results) {
    const start = r.TimePeriod?.Start;
    const ts = start ? parseTimestamp(start) : undefined;
    if (start === undefined || ts === undefined) continue;
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
      const service = by('SERVICE') ?? q.service;
      const usageType = by('USAGE_TYPE');
      const info = usageType ? parseUsageType(usageType) : { batch: false, global: false };
      const model = info.model ?? (service ? modelFromService(service) : undefined) ?? usageType ?? service ?? 'unknown';
      const tags = [
        ...(service ? [`service:${service}`] : []),
        ...(usageType ? [`usage_type:${usageType}`] : []),
        ...(r.Estimated ? ['estimated'] : []),
      ];
      let team: string | undefined;
      let account = '';
      const splits: string[] = [];
      for (const [i, dim] of q.groupBy.entries()) {
        const value = keys[i] ?? '';
        if (dim.startsWith('TAG:')) {
          const tagValue = value.slice(value.indexOf('$') + 1);
          tags.push(`tag:${dim.slice(4)}=${tagValue}`);
          splits.push(`tag:${dim.slice(4)}=${tagValue}`);
          if (/team/i.test(dim)) team = tagValue || undefined;
        }
        if (dim === 'LINKED_ACCOUNT') account = value;
      }
      if (account) tags.push(`account:${account}`);
      const identity = { start, end: r.TimePeriod?.End ?? start, account, service: service ?? '', usageType: usageType ?? '' };
      const sourceId = billSourceId(identity, splits.join(','));
      const tokens = billedTokens(info, quantity);
      const same = byId.get(sourceId);
      if (same) {
        // Cost Explorer can answer two groups with the same keys in one period: they are one line, summed.
        merged++;
        same.reportedCostNanos = (same.reportedCostNanos ?? 0n) + nanos;
        same.inputTokens += tokens.inputTokens;
        same.outputTokens += tokens.outputTokens;
        same.cacheReadTokens += tokens.cacheReadTokens;
        same.cacheWriteTokens += tokens.cacheWriteTokens;
        continue;
      }
      byId.set(sourceId, {
        ts,
        ...(isDateOnly(start ?? '') ? { dayOnly: true } : {}),
        sourceId,
        provider: 'bedrock',
        model,
        region: info.region,
        team,
        endpoint: usageType,
        tags,
        serviceTier: info.batch ? 'batch' : 'standard',
        status: r.Estimated ? 'estimated' : 'final',
        requests: 0,
        ...tokens,
        reportedCostNanos: nanos,
        billed: true,
      });
    }
  }
  return { records: [...byId.values()], merged };
}
