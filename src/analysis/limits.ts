/**
 * Rate limits sized from observed traffic: per key, team or model, the requests and tokens of its busiest minutes
 * (p50, p99 and max over the minutes it had traffic) and suggested `rpm_limit` / `tpm_limit` = the busiest minute
 * plus a stated headroom, rounded up. Pure: per-minute rows in.
 */
import { weightedPercentile } from './whatif.js';

export interface MinuteTraffic {
  key: string;
  minute: number;
  requests: number;
  tokens: number;
}

export interface Spread {
  p50: number;
  p99: number;
  max: number;
}

export interface KeyLimits {
  key: string;
  /** Minutes with at least one request. */
  activeMinutes: number;
  /** The busiest minute (first, if several), as an ISO time. */
  busiestMinute: string;
  rpm: Spread;
  tpm: Spread;
  suggested: { rpm_limit: number; tpm_limit: number };
}

function spread(values: number[]): Spread {
  const w = values.map((value) => ({ value, weight: 1 }));
  return { p50: weightedPercentile(w, 0.5), p99: weightedPercentile(w, 0.99), max: Math.max(0, ...values) };
}

/** `headroom` 0.5 suggests 1.5× the busiest minute. Keys by busiest requests per minute, highest first. */
export function rateLimits(rows: readonly MinuteTraffic[], headroom: number): KeyLimits[] {
  const byKey = new Map<string, MinuteTraffic[]>();
  for (const r of rows) {
    const list = byKey.get(r.key);
    if (list) list.push(r);
    else byKey.set(r.key, [r]);
  }
  const out: KeyLimits[] = [];
  for (const [key, list] of byKey) {
    const rpm = spread(list.map((m) => m.requests));
    const tpm = spread(list.map((m) => m.tokens));
    const busiest = list.reduce((a, b) => (b.requests > a.requests || (b.requests === a.requests && b.minute < a.minute) ? b : a));
    out.push({
      key,
      activeMinutes: list.length,
      busiestMinute: new Date(busiest.minute * 60_000).toISOString().slice(0, 16),
      rpm,
      tpm,
      // A tiny epsilon keeps 10 × 1.5 = 15 from rounding up to 16 through floating point.
      suggested: { rpm_limit: Math.ceil(rpm.max * (1 + headroom) - 1e-9), tpm_limit: Math.ceil(tpm.max * (1 + headroom) - 1e-9) },
    });
  }
  return out.sort((a, b) => b.rpm.max - a.rpm.max || a.key.localeCompare(b.key));
}
