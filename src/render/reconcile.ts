/** The reconcile report: explanation codes in words, the JSON contract and the table. */
import type { Explanation, ReconcileLine } from '../analysis/reconcile.js';
import { formatUsd } from '../lib/money.js';
import { dayNumberToIso, isoUtc } from '../lib/time.js';
import type { TableData } from './types.js';

const hhmm = (ms: number): string => `${isoUtc(ms).slice(11, 16)} UTC`;

/** One explanation in words. */
export function explanationText(e: Explanation): string {
  switch (e.code) {
    case 'NO_BILL':
      return 'no bill for this day yet';
    case 'PARTIAL_DAY': {
      const edges = [
        ...(e.logsBegin === undefined ? [] : [`logs begin at ${hhmm(e.logsBegin)}`]),
        ...(e.logsEnd === undefined ? [] : [`logs end at ${hhmm(e.logsEnd)}`]),
      ];
      return `${edges.join(', ')}: a partial day of logs, not compared`;
    }
    case 'UNPRICED':
      return `${e.requests} logged requests unpriced`;
    case 'UNCERTAIN_COST':
      return `${e.requests} logged requests with an uncertain computed cost (a guessed token split or an unpriced service tier; see price_ref)`;
    case 'CACHE_NOT_LOGGED':
      return 'cache tokens billed but missing from the logs';
    case 'BILL_ESTIMATED':
      return 'bill estimated (Cost Explorer may restate it)';
    case 'NO_LOGS':
      return 'no request logs for this day: billed usage missing from the logs';
  }
}

/** An explanation in JSON: its code and numbers (times as ISO 8601), with its words as `text`. */
type ExplanationJson = { code: Explanation['code']; text: string; requests?: number; logsBegin?: string; logsEnd?: string };

function explanationJson(e: Explanation): ExplanationJson {
  const out: ExplanationJson = { code: e.code, text: explanationText(e) };
  if ('requests' in e) out.requests = e.requests;
  if ('logsBegin' in e && e.logsBegin !== undefined) out.logsBegin = isoUtc(e.logsBegin);
  if ('logsEnd' in e && e.logsEnd !== undefined) out.logsEnd = isoUtc(e.logsEnd);
  return out;
}

export interface ReconcileJson {
  schemaVersion: 1;
  kind: 'reconcile';
  provider: string;
  threshold: number | null;
  lines: (Omit<ReconcileLine, 'day' | 'explanations'> & {
    day: string;
    /** The explanations in words (kept for existing readers); `explainedBy` has the same with codes and numbers. */
    explanations: string[];
    explainedBy: ExplanationJson[];
  })[];
  verdict: { compared: number; overThreshold: number; tripped: boolean };
}

export function reconcileJson(
  provider: string,
  threshold: number | undefined,
  lines: ReconcileLine[],
  overThreshold: number,
): ReconcileJson {
  return {
    schemaVersion: 1,
    kind: 'reconcile',
    provider,
    threshold: threshold ?? null,
    lines: lines.map((l) => ({
      ...l,
      day: dayNumberToIso(l.day),
      explanations: l.explanations.map(explanationText),
      explainedBy: l.explanations.map(explanationJson),
    })),
    verdict: { compared: lines.filter((l) => l.compared).length, overThreshold, tripped: overThreshold > 0 },
  };
}

/** Display money: rounded once, here ("$12.35", "$0.0037", "-$0.0037"); JSON keeps exact nanos. */
const usd = (n: bigint | null): string => (n === null ? '' : formatUsd(n));
const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

export function reconcileTables(j: ReconcileJson, byModel: boolean): TableData[] {
  const { compared, overThreshold: over } = j.verdict;
  const total = j.lines.length;
  const threshold = j.threshold;
  return [
    {
      title: `Reconcile (${j.provider}, UTC days): logged vs computed vs billed`,
      columns: [
        { key: 'day', header: 'Day', kind: 'text' },
        ...(byModel ? [{ key: 'model', header: 'Model', kind: 'text' as const }] : []),
        { key: 'logged', header: 'Logged', kind: 'text' },
        { key: 'computed', header: 'Computed', kind: 'text' },
        { key: 'billed', header: 'Billed', kind: 'text' },
        { key: 'gap', header: 'Gap', kind: 'text' },
        { key: 'pct', header: 'Gap %', kind: 'text' },
        { key: 'why', header: 'Explained by', kind: 'text' },
      ],
      rows: j.lines.map((l) => ({
        day: l.day,
        model: l.model,
        logged: usd(l.loggedNanos),
        computed: usd(l.computedNanos),
        billed: usd(l.billedNanos),
        gap: usd(l.gapNanos),
        pct: l.gapPct === null ? '' : pct(l.gapPct),
        why: l.explanations.join('; '),
      })),
      notes:
        threshold === null
          ? [`${compared} of ${total} line(s) compared (days with both logs and a bill, whole days of logs).`]
          : [
              over
                ? `${over} of ${compared} compared line(s) over the ${pct(threshold)} threshold.`
                : compared === 0
                  ? 'No line could be compared: nothing is judged against the threshold.'
                  : `All ${compared} compared line(s) within ${pct(threshold)}; ${total - compared} not compared.`,
            ],
    },
  ];
}
