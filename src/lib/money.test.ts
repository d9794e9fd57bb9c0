import { describe, expect, it } from 'vitest';
import { divRound, formatUsd, groupThousands, nanosFromUsd, nanosToDecimal, parseDecimalScaled, parseUsd } from './money.js';

describe('parseUsd', () => {
  it.each([
    ['12.5', 12_500_000_000n],
    ['0.000000001', 1n],
    ['1e-7', 100n],
    ['0.0375', 37_500_000n],
    ['-3', -3_000_000_000n],
    ['.5', 500_000_000n],
  ])('%s → %s nanos', (text, nanos) => {
    expect(parseUsd(text)).toBe(nanos);
  });

  it('refuses values finer than a nano instead of rounding silently', () => {
    expect(parseUsd('0.0000000001')).toBeUndefined();
    expect(parseUsd('abc')).toBeUndefined();
    expect(parseUsd('')).toBeUndefined();
  });

  it('rounds half up only when asked (float-reported costs)', () => {
    expect(parseDecimalScaled('0.0000000015', 9, true)).toBe(2n);
    expect(parseDecimalScaled('0.0000000014', 9, true)).toBe(1n);
    expect(parseDecimalScaled('2.9999900000000002e-06', 9, true)).toBe(3000n);
  });
});

describe('sums do not drift', () => {
  it('adds 0.1 ten times to exactly 1', () => {
    let sum = 0n;
    for (let i = 0; i < 10; i++) sum += parseUsd('0.1') ?? 0n;
    expect(sum).toBe(1_000_000_000n);
    expect(nanosToDecimal(sum)).toBe('1.000000000');
  });
});

describe('divRound', () => {
  it.each([
    [5n, 2n, 3n],
    [4n, 2n, 2n],
    [7n, 3n, 2n],
    [-5n, 2n, -3n],
    [1n, 3n, 0n],
  ])('%s / %s → %s', (n, d, q) => expect(divRound(n, d)).toBe(q));
});

describe('formatUsd', () => {
  it.each([
    [1_234_567_890_000n, '$1,234.57'],
    [4_200_000n, '$0.0042'],
    [0n, '$0.00'],
    [-1_500_000_000n, '-$1.50'],
    [-3_712_345n, '-$0.0037'], // a reconcile gap: small and negative, rounded once for display
  ])('%s → %s', (n, text) => expect(formatUsd(n)).toBe(text));
});

describe('nanosFromUsd', () => {
  it.each([
    [0.1, 100_000_000n],
    [1234.5678, 1_234_567_800_000n],
    [-0.000000002, -2n],
    [0, 0n],
  ])('%s USD → %s nanos', (usd, nanos) => {
    expect(nanosFromUsd(usd)).toBe(nanos);
  });
});

describe('groupThousands', () => {
  it.each([0, 7, 999, 1000, -1000, 1234567, -987654321, Number.MAX_SAFE_INTEGER])('%d as toLocaleString writes it', (n) => {
    expect(groupThousands(n)).toBe(n.toLocaleString('en-US'));
    expect(groupThousands(BigInt(n))).toBe(BigInt(n).toLocaleString('en-US'));
  });
});
