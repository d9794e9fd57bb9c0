/**
 * An open circuit breaker in words, shared by the budget report, its notifications and `prompt`'s guard. Kept out
 * of render/ so that notify/alert.ts (loaded with the budget command's options) stays free of renderers.
 */
import type { Breaker } from '../analysis/budget.js';
import { formatUsd } from './money.js';

/** "14:00 UTC" on the day of `now` (UTC), else "2026-11-22 15:00 UTC". */
function sinceText(iso: string, now: string): string {
  const hm = `${iso.slice(11, 16)} UTC`;
  return iso.slice(0, 10) === now.slice(0, 10) ? hm : `${iso.slice(0, 10)} ${hm}`;
}

/** An open breaker in words: "hourly breaker open since 14:00 UTC (limit $10.00, $0.00 this hour so far, closes no earlier than 16:00 UTC)". */
export function breakerText(kind: string, br: Breaker, now: string): string {
  const window = kind === 'hourly' ? 'this hour' : 'today';
  const since = br.openedAt ? ` since ${sinceText(br.openedAt, now)}` : '';
  const closes = br.closesNoEarlierThan ? `, closes no earlier than ${sinceText(br.closesNoEarlierThan, now)}` : '';
  return `${kind} breaker open${since} (limit ${formatUsd(br.limitNanos)}, ${formatUsd(br.actualNanos)} ${window} so far${closes})`;
}
