import { describe, expect, it } from 'vitest';
import { parseBillSourceId } from '../../store/queries/billing.js';
import { billingRecords } from './parse.js';

const group = (keys: string[], amount: string, quantity = '0') => ({
  Keys: keys,
  Metrics: { UnblendedCost: { Amount: amount, Unit: 'USD' }, UsageQuantity: { Amount: quantity, Unit: 'N/A' } },
});
const period = (groups: ReturnType<typeof group>[]) => [{ TimePeriod: { Start: '2026-10-05', End: '2026-10-06' }, Groups: groups }];
const OPUS = 'Claude Opus 4.5 (Amazon Bedrock Edition)';
const MP = 'USE1-MP:USE1_InputTokenCount-Units';

describe('billingRecords', () => {
  it('gives a line the same identity by service and by tag; the tag value only splits it', () => {
    const bySvc = billingRecords(period([group([OPUS, MP], '3')]), { metric: 'UnblendedCost', groupBy: ['SERVICE', 'USAGE_TYPE'] });
    const byTag = billingRecords(period([group(['team$a', MP], '1'), group(['team$b', MP], '2')]), {
      metric: 'UnblendedCost',
      groupBy: ['TAG:team', 'USAGE_TYPE'],
      service: OPUS,
    });
    const identity = { start: '2026-10-05', end: '2026-10-06', account: '', service: OPUS, usageType: MP };
    expect(bySvc.records.map((r) => parseBillSourceId(r.sourceId ?? ''))).toEqual([identity]);
    expect(byTag.records.map((r) => parseBillSourceId(r.sourceId ?? ''))).toEqual([identity, identity]);
    expect(byTag.records.map((r) => [r.sourceId?.split('|').at(-1), r.model, r.team])).toEqual([
      ['tag:team=a', 'claude-opus-4-5', 'a'],
      ['tag:team=b', 'claude-opus-4-5', 'b'],
    ]);
  });

  it('puts the linked account in the identity', () => {
    const out = billingRecords(period([group(['111122223333', MP], '1')]), {
      metric: 'UnblendedCost',
      groupBy: ['LINKED_ACCOUNT', 'USAGE_TYPE'],
      service: OPUS,
    });
    expect(parseBillSourceId(out.records[0]?.sourceId ?? '')).toMatchObject({ account: '111122223333', service: OPUS });
  });

  it('sums groups that repeat the keys of another in the same period, and counts them', () => {
    const out = billingRecords(period([group([OPUS, MP], '1.5', '1'), group([OPUS, MP], '0.25', '0.5')]), {
      metric: 'UnblendedCost',
      groupBy: ['SERVICE', 'USAGE_TYPE'],
    });
    expect(out.merged).toBe(1);
    expect(out.records.map((r) => [r.reportedCostNanos, r.inputTokens])).toEqual([[1_750_000_000n, 1_500_000]]);
  });
});
