/**
 * Money is integer nano-USD (1e-9 USD) held in bigint and stored as SQLite INTEGER.
 * Prices are integer nano-USD per 1M tokens, so $0.0375/M is 37,500,000 exactly.
 * A record's cost is rounded once (half up) to whole nanos; sums of stored costs are then exact.
 */
export type Nanos = bigint;

export const NANOS_PER_USD = 1_000_000_000n;

/** Parses a decimal USD amount ("12.5", "-0.000000001", "1e-7", 3.75) into exact nanos; rejects finer than 1e-9. */
export function parseUsd(value: string | number): Nanos | undefined {
  const text = typeof value === 'number' ? numberToPlain(value) : value.trim();
  if (text === undefined) return undefined;
  return parseDecimalScaled(text, 9);
}

/**
 * Parses a plain or exponent decimal string into an integer scaled by 10^scale.
 * Digits beyond the scale must be zero, otherwise the value is not exact and undefined is returned
 * (except that `round` allows half-up rounding for sources that report floats, e.g. LiteLLM spend).
 */
export function parseDecimalScaled(text: string, scale: number, round = false): bigint | undefined {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!m) return undefined;
  const [, sign, intPart = '', fracPart = '', expPart] = m;
  if (intPart === '' && fracPart === '') return undefined;
  const exp = expPart === undefined ? 0 : Number(expPart);
  if (!Number.isInteger(exp) || Math.abs(exp) > 400) return undefined;
  let digits = intPart + fracPart;
  let pointPos = intPart.length + exp + scale; // position of the decimal point after scaling
  if (pointPos < 0) {
    digits = '0'.repeat(-pointPos) + digits;
    pointPos = 0;
  }
  if (digits.length < pointPos) digits += '0'.repeat(pointPos - digits.length);
  const whole = digits.slice(0, pointPos) || '0';
  const rest = digits.slice(pointPos);
  let result = BigInt(whole);
  if (/[1-9]/.test(rest)) {
    if (!round) return undefined;
    if (rest.charCodeAt(0) >= 53 /* '5' */) result += 1n;
  }
  return sign === '-' ? -result : result;
}

function numberToPlain(n: number): string | undefined {
  if (!Number.isFinite(n)) return undefined;
  return String(n);
}

/** Rounds a positive or negative rational num/den half away from zero. */
export function divRound(num: bigint, den: bigint): bigint {
  if (den <= 0n) throw new RangeError('denominator must be positive');
  const q = num / den;
  const r = num % den;
  if (r === 0n) return q;
  const twice = (r < 0n ? -r : r) * 2n;
  if (twice >= den) return num < 0n ? q - 1n : q + 1n;
  return q;
}

/** A float amount of USD (a calculator's estimate), rounded to whole nanos. */
export function nanosFromUsd(usd: number): Nanos {
  return BigInt(Math.round(usd * 1e9));
}

/** Exact decimal string of nanos as USD with 9 decimals ("12.345000000"). */
export function nanosToDecimal(n: Nanos): string {
  const neg = n < 0n;
  const abs = neg ? -n : n;
  const whole = abs / NANOS_PER_USD;
  const frac = (abs % NANOS_PER_USD).toString().padStart(9, '0');
  return `${neg ? '-' : ''}${whole}.${frac}`;
}

/** A whole number with thousands separators, as `toLocaleString('en-US')` writes it ("-1,234,567"), without ICU. */
export function groupThousands(n: bigint | number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Human money: "$1,234.57", small amounts keep significant digits ("$0.0042"). Rounds once, here. */
export function formatUsd(n: Nanos, opts: { decimals?: number } = {}): string {
  const neg = n < 0n;
  const abs = neg ? -n : n;
  let decimals = opts.decimals ?? 2;
  if (opts.decimals === undefined && abs > 0n && abs < 10_000_000n) decimals = 4; // under $0.01
  const scale = 10n ** BigInt(9 - decimals);
  const rounded = divRound(abs, scale);
  const unit = 10n ** BigInt(decimals);
  const whole = groupThousands(rounded / unit);
  const frac = decimals > 0 ? `.${(rounded % unit).toString().padStart(decimals, '0')}` : '';
  return `${neg ? '-' : ''}$${whole}${frac}`;
}
