import { describe, expect, it } from 'vitest';
import { DAY_MS } from '../lib/time.js';
import { explanationText } from './reconcile.js';

const day = 20_000 * DAY_MS;

describe('reconcile explanations in words', () => {
  it.each([
    [{ code: 'NO_BILL' } as const, 'no bill for this day yet'],
    [{ code: 'PARTIAL_DAY', logsBegin: day + 52_980_000 } as const, 'logs begin at 14:43 UTC: a partial day of logs, not compared'],
    [
      { code: 'PARTIAL_DAY', logsBegin: day + 3_600_000, logsEnd: day + 23 * 3_600_000 - 1 } as const,
      'logs begin at 01:00 UTC, logs end at 22:59 UTC: a partial day of logs, not compared',
    ],
    [{ code: 'UNPRICED', requests: 1 } as const, '1 logged requests unpriced'],
    [
      { code: 'UNCERTAIN_COST', requests: 3 } as const,
      '3 logged requests with an uncertain computed cost (a guessed token split or an unpriced service tier; see price_ref)',
    ],
    [{ code: 'CACHE_NOT_LOGGED' } as const, 'cache tokens billed but missing from the logs'],
    [{ code: 'BILL_ESTIMATED' } as const, 'bill estimated (Cost Explorer may restate it)'],
    [{ code: 'NO_LOGS' } as const, 'no request logs for this day: billed usage missing from the logs'],
  ])('%o', (e, text) => {
    expect(explanationText(e)).toBe(text);
  });
});
