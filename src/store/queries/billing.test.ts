import { describe, expect, it } from 'vitest';
import { type CurCoverage, coveredByCur } from './billing.js';

const DAY = 86_400_000;
const d5 = Date.parse('2026-10-05T00:00:00Z');
const coverage: CurCoverage = new Map([[d5 / DAY, new Set(['111122223333'])]]);

describe('coveredByCur', () => {
  it.each([
    ['the same day and account', d5, d5 + DAY, '111122223333', true],
    ['another account', d5, d5 + DAY, '444455556666', false],
    ['a Cost Explorer row with no account (the whole bill)', d5, d5 + DAY, '', true],
    ['the next day', d5 + DAY, d5 + 2 * DAY, '111122223333', false],
    ['an hour of the day', d5 + 13 * 3_600_000, d5 + 14 * 3_600_000, '111122223333', true],
    ['a month that contains the day', Date.parse('2026-10-01T00:00:00Z'), Date.parse('2026-11-01T00:00:00Z'), '', true],
  ])('%s', (_name, start, end, account, expected) => {
    expect(coveredByCur(coverage, start, end, account)).toBe(expected);
  });

  it('a CUR line that names no account covers every account', () => {
    expect(coveredByCur(new Map([[d5 / DAY, new Set([''])]]), d5, d5 + DAY, '444455556666')).toBe(true);
  });
});
