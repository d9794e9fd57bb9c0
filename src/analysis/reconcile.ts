/** Logged vs computed vs billed, side by side, with the gap and what explains it. Pure. */
import type { ReconcileRow } from '../store/queries/reconcile.js';

export interface ReconcileLine {
  day: number;
  model: string;
  /** The gateway's reported cost (null when the logs carry none). */
  loggedNanos: bigint | null;
  computedNanos: bigint;
  billedNanos: bigint | null;
  /** billed − (logged, else computed); null without a bill. */
  gapNanos: bigint | null;
  /** gap / billed. */
  gapPct: number | null;
  explanations: string[];
}

const key = (m: string): string => m.toLowerCase().replace(/[^a-z0-9]/g, '');

/**
 * Joins request-level and billed rows per day and model. Bills name models coarsely ("claude-3-haiku") and
 * logs precisely ("claude-3-haiku-20240307"): a logged model joins the billed model whose key is a prefix of its own.
 */
export function reconcile(rows: ReconcileRow[], byModel: boolean): ReconcileLine[] {
  const billedKeys = [...new Set(rows.filter((r) => r.basis === 'billed').map((r) => key(r.model)))].sort((a, b) => b.length - a.length);
  const joinKey = (r: ReconcileRow): string => {
    if (!byModel) return '';
    const k = key(r.model);
    return billedKeys.find((b) => k.startsWith(b)) ?? k;
  };
  const lines = new Map<
    string,
    ReconcileLine & {
      unpriced: number;
      uncertain: number;
      loggedCache: number;
      billedCache: number;
      estimated: number;
      anyLogged: boolean;
      anyBilled: boolean;
    }
  >();
  for (const r of rows) {
    const k = `${r.day}\u0000${joinKey(r)}`;
    let l = lines.get(k);
    if (!l) {
      l = {
        day: r.day,
        model: byModel ? r.model : '(all)',
        loggedNanos: 0n,
        computedNanos: 0n,
        billedNanos: 0n,
        gapNanos: null,
        gapPct: null,
        explanations: [],
        unpriced: 0,
        uncertain: 0,
        loggedCache: 0,
        billedCache: 0,
        estimated: 0,
        anyLogged: false,
        anyBilled: false,
      };
      lines.set(k, l);
    }
    if (r.basis === 'billed') {
      l.billedNanos = (l.billedNanos ?? 0n) + r.costNanos;
      l.billedCache += r.cacheTokens;
      l.estimated += r.estimated;
      l.anyBilled = true;
      if (byModel) l.model = r.model;
    } else {
      l.loggedNanos = (l.loggedNanos ?? 0n) + r.loggedNanos;
      l.computedNanos += r.computedNanos;
      l.unpriced += r.unpricedRequests;
      l.uncertain += r.uncertainRequests;
      l.loggedCache += r.cacheTokens;
      if (r.loggedNanos > 0n) l.anyLogged = true;
    }
  }
  const out: ReconcileLine[] = [];
  for (const l of lines.values()) {
    const logged = l.anyLogged ? l.loggedNanos : null;
    const billed = l.anyBilled ? l.billedNanos : null;
    const reference = logged ?? l.computedNanos;
    const gap = billed === null ? null : (billed ?? 0n) - reference;
    const explanations: string[] = [];
    if (billed === null) explanations.push('no bill for this day yet');
    if (l.unpriced > 0) explanations.push(`${l.unpriced} logged requests unpriced`);
    if (l.uncertain > 0) explanations.push(`${l.uncertain} logged requests with an uncertain computed cost (token split guessed)`);
    if (l.billedCache > 0 && l.loggedCache === 0) explanations.push('cache tokens billed but missing from the logs');
    if (l.estimated > 0) explanations.push('bill estimated (Cost Explorer may restate it)');
    if (billed !== null && reference === 0n) explanations.push('billed usage missing from the logs');
    out.push({
      day: l.day,
      model: l.model,
      loggedNanos: logged,
      computedNanos: l.computedNanos,
      billedNanos: billed,
      gapNanos: gap,
      gapPct: gap === null || !billed ? null : Number((gap * 10000n) / billed) / 10000,
      explanations,
    });
  }
  return out.sort((a, b) => a.day - b.day || a.model.localeCompare(b.model));
}
