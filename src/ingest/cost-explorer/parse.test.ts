import type { DateInterval } from '@aws-sdk/client-cost-explorer';
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

  it('skips periods without a start and groups without a readable amount; rounds sub-nano amounts half up', () => {
    const q = { metric: 'UnblendedCost', groupBy: ['SERVICE', 'USAGE_TYPE'] };
    const out = billingRecords(
      [
        // The SDK's type says Start is always there; the parser does not trust it.
        { TimePeriod: { End: '2026-10-06' } as DateInterval, Groups: [group([OPUS, MP], '1')] },
        { TimePeriod: { Start: 'yesterday', End: '2026-10-06' }, Groups: [group([OPUS, MP], '1')] },
        { TimePeriod: { Start: '2026-10-05', End: '2026-10-06' } },
        {
          TimePeriod: { Start: '2026-10-05', End: '2026-10-06' },
          Groups: [{ Keys: [OPUS, MP], Metrics: {} }, group([OPUS, `${MP}-x`], 'n/a'), group([OPUS, MP], '0.0000000015')],
        },
      ],
      q,
    );
    // 0.0000000015 USD = 1.5 nanos → 2.
    expect(out.records.map((r) => [r.ts, r.dayOnly, r.reportedCostNanos, r.requests])).toEqual([[Date.UTC(2026, 9, 5), true, 2n, 0]]);
  });

  it('falls back from the usage type to the service for the model, and marks estimated lines', () => {
    const q = { metric: 'UnblendedCost', groupBy: ['SERVICE'] };
    const out = billingRecords(
      [
        {
          TimePeriod: { Start: '2026-10-05T00:00:00Z', End: '2026-10-05T01:00:00Z' },
          Estimated: true,
          Groups: [group([OPUS], '1'), group(['Amazon Bedrock'], '2')],
        },
      ],
      q,
    );
    expect(out.records.map((r) => [r.model, r.dayOnly, r.status, r.serviceTier, r.endpoint, r.tags])).toEqual([
      ['claude-opus-4-5', undefined, 'estimated', 'standard', undefined, [`service:${OPUS}`, 'estimated']],
      ['Amazon Bedrock', undefined, 'estimated', 'standard', undefined, ['service:Amazon Bedrock', 'estimated']],
    ]);
    // Neither a service nor a usage type: the line still counts, as "unknown".
    const bare = billingRecords(period([group(['111122223333'], '1')]), { metric: 'UnblendedCost', groupBy: ['LINKED_ACCOUNT'] });
    expect(bare.records.map((r) => [r.model, r.tags])).toEqual([['unknown', ['account:111122223333']]]);
  });

  it('leaves the team empty for an untagged line (Cost Explorer answers "team$" for it)', () => {
    const out = billingRecords(period([group(['team$', MP], '1'), group(['project$x', MP], '1')]), {
      metric: 'UnblendedCost',
      groupBy: ['TAG:team', 'USAGE_TYPE'],
      service: OPUS,
    });
    expect(out.records.map((r) => [r.team, r.tags?.at(-1)])).toEqual([
      [undefined, 'tag:team='],
      ['x', 'tag:team=x'],
    ]);
  });
});
