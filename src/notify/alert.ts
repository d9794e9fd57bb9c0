/**
 * What a notification says, as data: the keys of what is tripped now (compared with the last notified ones to
 * decide whether to send), and a chat-neutral alert that slack.ts and teams.ts lay out. Pure: no I/O.
 */

import { breakerText } from '../lib/breaker-text.js';
import { formatUsd, type Nanos } from '../lib/money.js';
import type { AnomaliesJson } from '../render/anomalies.js';
import type { BudgetCheckJson } from '../render/budget.js';

/** tripped: something new trips; resolved: nothing trips any more; ok: nothing trips (--notify-always). */
export type AlertEvent = 'tripped' | 'resolved' | 'ok';

/** One spender behind a budget's spend: the top users and models of the period. */
export interface Driver {
  dimension: string;
  name: string;
  costNanos: Nanos;
  /** Of the budget's spend in the period. */
  share: number;
}

export interface AlertItem {
  title: string;
  /** Not tripped at the last notification. */
  isNew: boolean;
  facts: { label: string; value: string }[];
  /** "user erin $80.12 (58%)", largest first. */
  drivers: string[];
}

export interface Alert {
  command: 'budget check' | 'anomalies';
  event: AlertEvent;
  title: string;
  summary: string;
  items: AlertItem[];
  /** The CI job that ran the check, when known (GitHub Actions). */
  link: string | undefined;
  /** The report's clock, ISO UTC. */
  at: string;
}

/** Everything that trips in a budget check: gates (exceeded, breakers, --fail-on) and data problems. */
export function budgetKeys(j: BudgetCheckJson): string[] {
  const keys = j.verdict.tripped.map((t) => `budget:${t.budget}:${t.code}`);
  for (const p of j.dataProblems) keys.push(`data:${p.code}:${p.budget ?? ''}`);
  return [...new Set(keys)].sort();
}

const SEVERITY_RANK: Record<string, number> = { warning: 1, critical: 2 };

/** The anomalies at or above --fail-on (default: all), and a run that could not judge (exit 3). */
export function anomalyKeys(j: AnomaliesJson, exitCode: number): string[] {
  const min = SEVERITY_RANK[j.verdict.failOn ?? 'warning'] ?? 1;
  const keys = j.anomalies
    .filter((a) => (SEVERITY_RANK[a.severity] ?? 0) >= min)
    .map((a) => `anomaly:${a.kind}:${a.period}:${a.entity ? `${a.entity.dimension}=${a.entity.name}` : 'total'}`);
  if (exitCode === 3) keys.push(`data:${j.verdict.insufficientData ? 'INSUFFICIENT_HISTORY' : 'NO_RECENT_DATA'}`);
  return [...new Set(keys)].sort();
}

/**
 * Whether to send, from the keys tripped at the last notification (undefined: none on record) and now: when
 * something trips that did not before, and once when everything is resolved. `always` sends on every run.
 */
export function decide(previous: readonly string[] | undefined, current: readonly string[], always: boolean): AlertEvent | undefined {
  const before = new Set(previous ?? []);
  if (current.some((k) => !before.has(k))) return 'tripped';
  if (current.length === 0 && before.size > 0) return 'resolved';
  if (always) return current.length > 0 ? 'tripped' : 'ok';
  return undefined;
}

/** "llmcost: budget gate tripped: …" → "Budget gate tripped: …". */
const sentence = (message: string): string => {
  const s = message.replace(/^llmcost: /, '');
  return s.charAt(0).toUpperCase() + s.slice(1);
};
const pct = (x: number): string => `${Math.round(x * 1000) / 10}%`;
const driverText = (d: Driver): string => `${d.dimension} ${d.name || '(none)'} ${formatUsd(d.costNanos)} (${pct(d.share)})`;

export function budgetAlert(
  j: BudgetCheckJson,
  o: { event: AlertEvent; previous: readonly string[]; drivers: Record<string, Driver[]>; link: string | undefined },
): Alert {
  const before = new Set(o.previous);
  const tripped = new Set(j.verdict.tripped.map((t) => t.budget));
  // A tripped message shows what trips (and budgets with warnings); resolved and ok show every budget.
  const shown =
    o.event === 'tripped'
      ? j.budgets.filter((b) => tripped.has(b.name) || b.status === 'warning' || b.status === 'critical' || b.forecastExceeds)
      : j.budgets;
  const items: AlertItem[] = shown.map((b) => {
    const forecast = b.projectedWeekdayNanos ?? b.projectedLinearNanos;
    const breakers = Object.entries(b.breakers)
      .filter(([, br]) => br?.tripped)
      .flatMap(([kind, br]) => (br ? [breakerText(kind, br, j.now)] : []));
    const facts = [
      { label: 'Spent', value: `${formatUsd(b.spentNanos)} of ${formatUsd(b.amountNanos)} (${pct(b.used)})` },
      { label: 'Forecast', value: `${formatUsd(forecast)}${b.forecastExceeds ? ' (over budget)' : ''}` },
      { label: 'Status', value: `${b.status}${b.gate ? ` (gate: ${b.gate})` : ''}${b.pace === null ? '' : `, pace ${b.pace.toFixed(2)}`}` },
      { label: 'Period', value: `${b.period} from ${b.periodStart}` },
    ];
    if (breakers.length > 0) facts.push({ label: 'Circuit breaker', value: breakers.join('; ') });
    return {
      title: b.name,
      isNew: b.gate !== null && !before.has(`budget:${b.name}:${b.gate}`),
      facts,
      drivers: (o.drivers[b.name] ?? []).map(driverText),
    };
  });
  for (const p of j.dataProblems) {
    items.push({
      title: `Data problem${p.budget ? ` (${p.budget})` : ''}`,
      isNew: !before.has(`data:${p.code}:${p.budget ?? ''}`),
      facts: [{ label: p.code, value: p.message }],
      drivers: [],
    });
  }
  const title =
    o.event === 'resolved'
      ? 'llmcost: budgets back within limits'
      : o.event === 'ok'
        ? 'llmcost: budgets within limits'
        : j.verdict.state === 'data-problem' && j.verdict.tripped.length === 0
          ? 'llmcost: budget check cannot judge the data'
          : j.verdict.state === 'exceeded'
            ? 'llmcost: budget exceeded'
            : 'llmcost: budget gate tripped';
  return {
    command: 'budget check',
    event: o.event,
    title,
    summary: sentence(j.verdict.message),
    items,
    link: o.link,
    at: j.now,
  };
}

export function anomaliesAlert(
  j: AnomaliesJson,
  o: { event: AlertEvent; previous: readonly string[]; exitCode: number; link: string | undefined; at: string },
): Alert {
  const before = new Set(o.previous);
  const min = SEVERITY_RANK[j.verdict.failOn ?? 'warning'] ?? 1;
  const range = `${j.range.since.slice(0, 10)} to ${j.range.until.slice(0, 10)}`;
  const items: AlertItem[] = j.anomalies
    .filter((a) => (SEVERITY_RANK[a.severity] ?? 0) >= min)
    .map((a) => {
      const entity = a.entity ? `${a.entity.dimension}=${a.entity.name}` : 'total';
      const pctText = a.excessPct === null ? '' : ` (${a.excessPct > 0 ? '+' : ''}${Math.round(a.excessPct * 100)}%)`;
      return {
        title: `${a.period} ${a.kind} (${a.severity}) · ${a.entity ? `${a.entity.dimension} ${a.entity.name}` : 'total'}`,
        isNew: !before.has(`anomaly:${a.kind}:${a.period}:${entity}`),
        facts: [
          { label: 'Actual', value: formatUsd(a.actualNanos) },
          { label: 'Expected', value: formatUsd(a.expectedNanos) },
          { label: 'Excess', value: `${formatUsd(a.excessNanos)}${pctText}` },
        ],
        drivers: (a.drivers?.combined ?? []).slice(0, 3).map((d) => `${d.entity} ${formatUsd(d.attributedNanos)} (${pct(d.share)})`),
      };
    });
  const scope = `${j.granularity}, ${j.method}${j.by ? `, by ${j.by}` : ''}`;
  const problem = o.exitCode === 3;
  let summary: string;
  if (items.length > 0)
    summary = `${items.length} anomal${items.length === 1 ? 'y' : 'ies'} from ${range} (${scope}), worst ${j.verdict.worst}.`;
  else if (problem)
    summary = j.verdict.insufficientData
      ? `Too little history to judge: ${j.history.available} ${j.history.unit} before the range, ${j.history.needed} needed.`
      : 'The data stopped: recent usage is missing, so recent days cannot be judged.';
  else summary = `No anomalies${j.verdict.failOn ? ` at or above ${j.verdict.failOn}` : ''} from ${range} (${scope}).`;
  if (problem && items.length > 0) summary += ' The newest data is missing or too short to judge the latest days.';
  const title =
    o.event === 'resolved'
      ? 'llmcost: anomalies resolved'
      : o.event === 'ok'
        ? 'llmcost: no anomalies'
        : items.length > 0
          ? `llmcost: ${items.length} cost anomal${items.length === 1 ? 'y' : 'ies'}`
          : 'llmcost: anomalies cannot judge the data';
  return { command: 'anomalies', event: o.event, title, summary, items, link: o.link, at: o.at };
}
