import { describe, expect, it } from 'vitest';
import type { ReconcileRow } from '../core/types.js';
import { DAY_MS } from '../lib/time.js';
import { partialDays, reconcile } from './reconcile.js';

const row = (over: Partial<ReconcileRow>): ReconcileRow => ({
  day: 20_000,
  model: 'claude-3-haiku',
  basis: 'usage',
  loggedNanos: 0n,
  computedNanos: 0n,
  costNanos: 0n,
  requests: 1,
  unpricedRequests: 0,
  uncertainRequests: 0,
  cacheTokens: 0,
  estimated: 0,
  ...over,
});

describe('reconcile', () => {
  it('compares each request at its own best figure: logged where logged, else computed', () => {
    // Two requests: one with a logged $0.30 (computed $0.28), one without a logged cost (computed $0.50).
    const [line] = reconcile(
      [
        row({ loggedNanos: 300_000_000n, computedNanos: 780_000_000n, costNanos: 800_000_000n, requests: 2 }),
        row({ basis: 'billed', costNanos: 800_000_000n, requests: 0 }),
      ],
      false,
    );
    expect(line).toMatchObject({ billedNanos: 800_000_000n, gapNanos: 0n, gapPct: 0, compared: true });
  });

  it('shows a partial day of logs with its reason but does not compare it', () => {
    const lines = reconcile(
      [row({ costNanos: 10_000_000n }), row({ basis: 'billed', costNanos: 124_000_000n, requests: 0 })],
      false,
      new Map([[20_000, { logsBegin: 20_000 * DAY_MS + 52_980_000 }]]),
    );
    expect(lines[0]).toMatchObject({ gapNanos: 114_000_000n, gapPct: null, compared: false });
    expect(lines[0]?.explanations).toEqual([{ code: 'PARTIAL_DAY', logsBegin: 20_000 * DAY_MS + 52_980_000 }]);
  });

  it('finds the days on which the logs begin or end more than an hour inside the day', () => {
    const day = 20_000 * DAY_MS;
    expect(partialDays(undefined)).toEqual(new Map());
    expect(partialDays({ first: day + 3_600_000, last: day + 23 * 3_600_000 - 1 })).toEqual(
      new Map([[20_000, { logsBegin: day + 3_600_000, logsEnd: day + 23 * 3_600_000 - 1 }]]),
    );
    // 59 minutes in and 59 minutes before midnight: whole days.
    expect(partialDays({ first: day + 3_540_000, last: day + 2 * DAY_MS - 3_540_000 })).toEqual(new Map());
  });

  it('a billed day without logs and a logged day without a bill are shown, not compared', () => {
    const lines = reconcile([row({ day: 20_001, costNanos: 5n }), row({ basis: 'billed', costNanos: 7n, requests: 0 })], false);
    expect(lines.map((l) => [l.day, l.compared, l.gapPct, l.explanations])).toEqual([
      [20_000, false, null, [{ code: 'NO_LOGS' }]],
      [20_001, false, null, [{ code: 'NO_BILL' }]],
    ]);
  });

  it('names uncertain computed costs and unpriced requests', () => {
    const [line] = reconcile(
      [row({ costNanos: 5n, uncertainRequests: 3, unpricedRequests: 1 }), row({ basis: 'billed', costNanos: 5n, requests: 0 })],
      false,
    );
    expect(line?.explanations).toEqual([
      { code: 'UNPRICED', requests: 1 },
      { code: 'UNCERTAIN_COST', requests: 3 },
    ]);
  });
});
