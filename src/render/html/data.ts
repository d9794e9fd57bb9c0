/** What the HTML report embeds: the JSON payloads of the commands it shows, gathered once by commands/html-run.ts. */
import type { AnomaliesJson } from '../anomalies.js';
import type { BudgetCheckJson } from '../budget.js';
import type { ForecastJson } from '../forecast.js';
import type { HealthJson } from '../health.js';
import type { ParetoJson } from '../pareto.js';
import type { ReconcileJson } from '../reconcile.js';
import type { ReportJson, TotalsJson } from '../report.js';

/** The dimensions the report ranks with a Pareto curve, in the order the page shows them. */
export const PARETO_DIMENSIONS = ['team', 'user', 'model', 'endpoint'] as const;
type ParetoDimension = (typeof PARETO_DIMENSIONS)[number];

/** One budget's spend so far, day by day (cumulative), for its burn-down chart; its figures are in `budgets`. */
export interface BurnDown {
  name: string;
  /** Local days of the period, from its first day to its last. */
  days: string[];
  /** Cumulative spend at the end of each day up to today; shorter than `days` while the period runs. */
  cumulativeNanos: bigint[];
}

export interface HtmlReportData {
  schemaVersion: 1;
  kind: 'html-report';
  generatedAt: string;
  timezone: string;
  /** The range as instants, and as the local days it covers (lastDay included). */
  range: { since: string; until: string; firstDay: string; lastDay: string };
  /** The filters as given (--user, --team, …); empty when the report covers everything. */
  filters: Record<string, string[]>;
  /** `report --json` over the range: the headline spend, the unpriced models. */
  report: ReportJson;
  /** The same over the span of equal length just before the range. */
  previous: { range: { since: string; until: string; firstDay: string; lastDay: string }; totals: TotalsJson };
  /** `report --daily --by …` (model unless --by): the stacked daily chart. */
  stacked: ReportJson;
  pareto: Partial<Record<ParetoDimension, ParetoJson>>;
  anomalies: AnomaliesJson | null;
  forecast: ForecastJson | null;
  budgets: BudgetCheckJson | null;
  burnDown: BurnDown[];
  reconcile: ReconcileJson | null;
  /** `health --by model --json` over the range; null when the data carries no failure, cache or latency figure. */
  health: HealthJson | null;
  /** Why a section has no figures (no budgets in the config, too little history, no bill), by section id. */
  notes: Record<string, string>;
}
