import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { divRound, formatUsd, nanosToDecimal, parseDecimalScaled, parseUsd } from './money.js';

// Amounts up to ±10^15 USD in nanos: far past 2^53, so any float shortcut would show.
const nanos = fc.bigInt({ min: -(10n ** 24n), max: 10n ** 24n });
const abs = (n: bigint): bigint => (n < 0n ? -n : n);
/** Half away from zero of num/den, on magnitudes: ⌊(2|num| + den) / 2den⌋ with the sign put back. */
const halfUp = (num: bigint, den: bigint): bigint => {
  const q = (2n * abs(num) + den) / (2n * den);
  return num < 0n ? -q : q;
};

describe('money (properties)', () => {
  it('round-trips nanos through the 9-decimal string', () => {
    fc.assert(
      fc.property(nanos, (n) => {
        expect(parseUsd(nanosToDecimal(n))).toBe(n);
      }),
    );
  });

  it('reads the same amount in exponent form, at any exponent', () => {
    fc.assert(
      fc.property(nanos, fc.integer({ min: -9, max: 9 }), fc.integer({ min: 0, max: 6 }), (n, k, j) => {
        expect(parseUsd(`${n}e${k}`)).toBe(n * 10n ** BigInt(k + 9));
        // n nanos written with j trailing zeros: (n × 10^j) × 10^-(9+j) USD.
        expect(parseUsd(`${n * 10n ** BigInt(j)}e-${9 + j}`)).toBe(n);
      }),
    );
  });

  it('refuses digits finer than a nano, and rounds them half up (away from zero) only when asked', () => {
    fc.assert(
      fc.property(nanos, fc.integer({ min: 1, max: 8 }), fc.bigInt({ min: 1n, max: 10n ** 8n - 1n }), (n, extra, tailRaw) => {
        const scale = 10n ** BigInt(extra);
        const tail = tailRaw % scale || 1n; // extra digits beyond the nano, not all zero
        const sign = n < 0n ? '-' : '';
        const text = `${sign}${nanosToDecimal(abs(n))}${tail.toString().padStart(extra, '0')}`;
        // Exactly: (|n| × 10^extra + tail) / 10^extra nanos.
        const exact = abs(n) * scale + tail;
        expect(parseUsd(text)).toBeUndefined();
        expect(parseDecimalScaled(text, 9, true)).toBe(halfUp(n < 0n ? -exact : exact, scale));
      }),
    );
  });

  it('divRound is the exact rational rounded half away from zero', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }), fc.bigInt({ min: 1n, max: 10n ** 15n }), (num, den) => {
        const r = divRound(num, den);
        expect(r).toBe(halfUp(num, den));
        // Within half a unit of num/den, and a tie goes away from zero.
        const twiceErr = 2n * abs(num - r * den);
        expect(twiceErr <= den).toBe(true);
        if (twiceErr === den) expect(abs(r * den) > abs(num)).toBe(true);
        expect(divRound(-num, den)).toBe(-r);
      }),
    );
  });

  it('divRound rounds exact halves away from zero (table)', () => {
    expect([5n, 15n, -5n, -15n, 4n, -4n, 6n, -6n].map((n) => divRound(n, 10n))).toEqual([1n, 2n, -1n, -2n, 0n, 0n, 1n, -1n]);
    expect(() => divRound(1n, 0n)).toThrow(RangeError);
    expect(() => divRound(1n, -3n)).toThrow(RangeError);
  });

  it('formats cents as the half-up rounding of the exact amount, with the sign outside', () => {
    fc.assert(
      fc.property(nanos, (n) => {
        const text = formatUsd(n, { decimals: 2 });
        const cents = halfUp(abs(n), 10_000_000n);
        const body = `$${(cents / 100n).toLocaleString('en-US')}.${(cents % 100n).toString().padStart(2, '0')}`;
        expect(text).toBe(n < 0n ? `-${body}` : body);
      }),
    );
  });
});
