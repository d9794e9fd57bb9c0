/**
 * Budget evaluation: spend so far against a calendar period, pace, projections, status and the gates.
 * Pure: plain numbers in (nanos, day counts), result out; the command computes periods and queries.
 *
 * Pace counts whole days: on day d of an n-day period the linear expectation is budget × d / n (today
 * counts as a full day, so a check just after midnight does not read as a huge overspend).
 */

import { divRound } from '../lib/money.js';
import type { BreakerState } from './breaker.js';
import { share } from './report.js';

export type BudgetStatus = 'under-utilized' | 'on-track' | 'warning' | 'critical' | 'exceeded';
export type ActionCode =
  | 'REVIEW_ALLOCATION'
  | 'REVIEW_TOP_DRIVERS'
  | 'ROUTE_CHEAPER_MODEL'
  | 'ENABLE_CACHING'
  | 'THROTTLE_NONCRITICAL'
  | 'FREEZE_NONESSENTIAL'
  | 'RAISE_OR_APPROVE_BUDGET'
  | 'INVESTIGATE_RUNAWAY';

export interface BudgetInput {
  amountNanos: bigint;
  /** Days in the period and today's 0-based index in it. */
  periodDays: number;
  dayIndex: number;
  spentNanos: bigint;
  todayNanos: bigint;
  /** Spend of the last hour: judged against the hourly limit only without a replayed breaker (breakerStates). */
  lastHourNanos?: bigint;
  /** The forecaster's period-end spend (weekday- and trend-aware); undefined without enough history. */
  projectedNanos: bigint | undefined;
  warnAt: number[];
  limits: { hourlyNanos?: bigint; dailyNanos?: bigint };
  /** The latched breakers replayed from the stored spend (breaker.ts); without one, a limit is judged on
   * lastHourNanos / todayNanos alone, unlatched. */
  breakerStates?: { hourly?: BreakerState; daily?: BreakerState };
}

/** A circuit breaker at `now`: `tripped` is true while it is open (kept for consumers of the unlatched breaker). */
export interface Breaker {
  limitNanos: bigint;
  /** Spend of the current window (the clock hour or local day containing `now`), so far. */
  actualNanos: bigint;
  tripped: boolean;
  state: 'open' | 'closed';
  openedAt: string | null;
  closesNoEarlierThan: string | null;
}

function breakerOf(limitNanos: bigint, actualNanos: bigint, s: BreakerState | undefined): Breaker {
  if (!s) {
    const open = actualNanos > limitNanos;
    return { limitNanos, actualNanos, tripped: open, state: open ? 'open' : 'closed', openedAt: null, closesNoEarlierThan: null };
  }
  return {
    limitNanos,
    actualNanos: s.windowSpendNanos,
    tripped: s.state === 'open',
    state: s.state,
    openedAt: s.openedAt,
    closesNoEarlierThan: s.closesNoEarlierThan,
  };
}

export interface BudgetResult {
  spentNanos: bigint;
  amountNanos: bigint;
  /** spent / budget. */
  used: number;
  expectedNanos: bigint;
  /** spent / expected; null when nothing was expected yet. */
  pace: number | null;
  projectedLinearNanos: bigint;
  projectedWeekdayNanos: bigint | null;
  remainingNanos: bigint;
  /** Days left including today. */
  remainingDays: number;
  dailyBudgetLeftNanos: bigint;
  status: BudgetStatus;
  /** Warning thresholds (fractions of the budget) already reached. */
  thresholdsCrossed: number[];
  forecastExceeds: boolean;
  breakers: { hourly?: Breaker; daily?: Breaker };
  actions: ActionCode[];
}

/** The seed guide's pace thresholds: under 0.5 under-utilized, up to 1.2 on track, up to 1.5 warning, above critical. */
export function statusOf(spent: bigint, amount: bigint, pace: number | null): BudgetStatus {
  if (spent > amount) return 'exceeded';
  if (pace === null) return 'on-track';
  if (pace < 0.5) return 'under-utilized';
  if (pace <= 1.2) return 'on-track';
  if (pace <= 1.5) return 'warning';
  return 'critical';
}

export function evaluateBudget(i: BudgetInput): BudgetResult {
  const elapsedDays = i.dayIndex + 1;
  const expectedNanos = divRound(i.amountNanos * BigInt(elapsedDays), BigInt(i.periodDays));
  const pace = expectedNanos > 0n ? share(i.spentNanos, expectedNanos) : null;
  const projectedLinearNanos = divRound(i.spentNanos * BigInt(i.periodDays), BigInt(elapsedDays));
  const projectedWeekdayNanos = i.projectedNanos ?? null;
  const remainingNanos = i.amountNanos - i.spentNanos;
  const remainingDays = i.periodDays - i.dayIndex;
  const status = statusOf(i.spentNanos, i.amountNanos, pace);
  const thresholdsCrossed = i.warnAt.filter((w) => i.spentNanos * 1000n >= i.amountNanos * BigInt(Math.round(w * 1000)));
  const forecast = projectedWeekdayNanos ?? projectedLinearNanos;
  const breakers: BudgetResult['breakers'] = {};
  if (i.limits.hourlyNanos !== undefined) breakers.hourly = breakerOf(i.limits.hourlyNanos, i.lastHourNanos ?? 0n, i.breakerStates?.hourly);
  if (i.limits.dailyNanos !== undefined) breakers.daily = breakerOf(i.limits.dailyNanos, i.todayNanos, i.breakerStates?.daily);
  const actions: ActionCode[] = [];
  if (breakers.hourly?.tripped || breakers.daily?.tripped) actions.push('INVESTIGATE_RUNAWAY');
  if (status === 'under-utilized') actions.push('REVIEW_ALLOCATION');
  if (status === 'warning') actions.push('REVIEW_TOP_DRIVERS', 'ENABLE_CACHING', 'ROUTE_CHEAPER_MODEL');
  if (status === 'critical') actions.push('THROTTLE_NONCRITICAL', 'ROUTE_CHEAPER_MODEL', 'REVIEW_TOP_DRIVERS');
  if (status === 'exceeded') actions.push('FREEZE_NONESSENTIAL', 'RAISE_OR_APPROVE_BUDGET', 'REVIEW_TOP_DRIVERS');
  return {
    spentNanos: i.spentNanos,
    amountNanos: i.amountNanos,
    used: share(i.spentNanos, i.amountNanos),
    expectedNanos,
    pace,
    projectedLinearNanos,
    projectedWeekdayNanos,
    remainingNanos,
    remainingDays,
    dailyBudgetLeftNanos: remainingDays > 0 && remainingNanos > 0n ? divRound(remainingNanos, BigInt(remainingDays)) : 0n,
    status,
    thresholdsCrossed,
    forecastExceeds: forecast > i.amountNanos,
    breakers,
    actions,
  };
}

export type FailOn = 'exceeded' | 'forecast' | 'warning';

/** Why a budget trips the gate: a code, with the threshold crossed for `threshold` (a fraction, e.g. 0.8). */
export type GateCode = 'exceeded' | 'hourly-limit' | 'daily-limit' | 'forecast' | 'pace-warning' | 'pace-critical' | 'threshold';
export interface Gate {
  code: GateCode;
  threshold?: number;
}

/** Why a budget trips the gate under `failOn`, or undefined. Exceeded budgets and breakers always trip. */
export function gateOf(r: BudgetResult, failOn: FailOn): Gate | undefined {
  if (r.status === 'exceeded') return { code: 'exceeded' };
  if (r.breakers.hourly?.tripped) return { code: 'hourly-limit' };
  if (r.breakers.daily?.tripped) return { code: 'daily-limit' };
  if ((failOn === 'forecast' || failOn === 'warning') && r.forecastExceeds) return { code: 'forecast' };
  if (failOn === 'warning') {
    if (r.status === 'warning' || r.status === 'critical') return { code: r.status === 'warning' ? 'pace-warning' : 'pace-critical' };
    const below100 = r.thresholdsCrossed.filter((t) => t < 1);
    const last = below100.at(-1);
    if (last !== undefined && last >= 0.8) return { code: 'threshold', threshold: last };
  }
  return undefined;
}

/** An overrun that is certain (the budget or a circuit breaker), as opposed to a forecast or a warning. */
export function isOverrun(g: Gate): boolean {
  return g.code === 'exceeded' || g.code === 'hourly-limit' || g.code === 'daily-limit';
}
