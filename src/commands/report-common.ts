/** What report, pareto and anomalies share: the `--by` dimensions and the bill days of a basis plan. */
import { UserError } from '../lib/errors.js';
import { dayNumberToIso } from '../lib/time.js';
import type { BasisPlan } from '../store/queries/basis.js';
import { DIMENSIONS, type Dimension } from '../store/queries/report.js';

/** The days each provider's figures came from the bill instead of request logs (ISO dates). */
export function billedDaysJson(plan: BasisPlan): { provider: string; days: string[] }[] {
  return plan.billed.map((b) => ({ provider: b.provider, days: b.days.map(dayNumberToIso) }));
}

export function parseDims(values: string[] | undefined): Dimension[] {
  const dims: Dimension[] = [];
  for (const v of values ?? []) {
    const d = v.toLowerCase().replace('_', '-');
    if (!(d in DIMENSIONS)) {
      throw new UserError(`--by ${v}: unknown dimension.`, { hint: `Use one of ${Object.keys(DIMENSIONS).join(', ')}.` });
    }
    if (!dims.includes(d as Dimension)) dims.push(d as Dimension);
  }
  return dims;
}
