/**
 * Every command, by name, with what `llmcost --help` lists about it and how to load it. Start-up imports only
 * the module of the command that runs: `llmcost --help` lists the stubs below and loads no command module
 * (no table renderer or cli-table3, no store, no catalog). registry.test.ts keeps the stubs equal to the real registrations.
 */
import type { Command } from 'commander';
import type { Context } from '../core/context.js';

export type Run = (fn: () => Promise<number>) => Promise<void>;
type Register = (program: Command, ctx: Context, run: Run) => void;

interface CommandEntry {
  name: string;
  /** The positional argument as the command declares it, for the listing. */
  argument?: string;
  description: string;
  load: () => Promise<Register>;
}

/** In the order of `llmcost --help`. */
export const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'demo',
    description: 'load the bundled demo data (61 days, 24 users, 4 teams) into a fresh database and show the main reports',
    load: () => import('./demo.js').then((m) => m.registerDemo),
  },
  {
    name: 'ingest',
    argument: '[paths...]',
    description: 'load usage into the database; re-running adds nothing new (source detected from content, or named)',
    // The file sources' subcommands come from src/ingest/index.ts; Cost Explorer, a remote source, has a module of its own.
    load: async () => {
      const [{ registerIngest }, { registerCostExplorer }] = await Promise.all([import('./ingest.js'), import('./cost-explorer.js')]);
      return (program, ctx, run) => registerCostExplorer(registerIngest(program, ctx, run), ctx, run);
    },
  },
  {
    name: 'report',
    description: 'cost and usage by day / week / month and by user, team, model, provider, endpoint',
    load: () => import('./report.js').then((m) => m.registerReport),
  },
  {
    name: 'dashboard',
    argument: '[file]',
    description: 'write the HTML cost report: one self-contained file with charts and their tables (report --html FILE)',
    load: () => import('./dashboard.js').then((m) => m.registerDashboard),
  },
  {
    name: 'prices',
    argument: '[model]',
    description: 'list the price catalog, or show how one model is priced',
    load: () => import('./prices.js').then((m) => m.registerPrices),
  },
  {
    name: 'cost',
    argument: '<model>',
    description: 'the exact price of a request on a model (and on others with --compare), from the price catalog',
    load: () => import('./cost.js').then((m) => m.registerCost),
  },
  {
    name: 'reprice',
    description: 're-price stored usage with the current catalog and your price file; the bill (Cost Explorer, CUR) is kept',
    load: () => import('./reprice.js').then((m) => m.registerReprice),
  },
  {
    name: 'pareto',
    description: 'rank cost drivers: shares, cumulative share, the 80 % line, concentration, peak hour, biggest movers',
    load: () => import('./pareto.js').then((m) => m.registerPareto),
  },
  {
    name: 'health',
    description: 'gateway health beside cost: failures, cache hits and the cost they avoided, prompt-cache share, latency p50/p95',
    load: () => import('./health.js').then((m) => m.registerHealth),
  },
  {
    name: 'anomalies',
    description: 'find cost spikes, drops, new spenders and level shifts, and name what drove each',
    load: () => import('./anomalies.js').then((m) => m.registerAnomalies),
  },
  {
    name: 'forecast',
    description: 'month-end (or --horizon) spend forecast, weekday- and trend-aware, with 80 % and 95 % intervals',
    load: () => import('./forecast.js').then((m) => m.registerForecast),
  },
  {
    name: 'budget',
    description: 'budgets with pace and forecasts; `budget check` gates CI with exit codes',
    load: () => import('./budget.js').then((m) => m.registerBudget),
  },
  {
    name: 'limits',
    description: 'rate limits from observed traffic: busiest minutes per key, team or model, and suggested rpm/tpm limits',
    load: () => import('./limits.js').then((m) => m.registerLimits),
  },
  {
    name: 'compare-selfhost',
    description: 'would serving an open model on your own GPUs be cheaper than the API, at your volume?',
    load: () => import('./compare-selfhost.js').then((m) => m.registerCompareSelfhost),
  },
  {
    name: 'roadmap',
    description: 'a phased optimization plan with your numbers: compounding savings per phase, stopping at the target',
    load: () => import('./roadmap.js').then((m) => m.registerRoadmap),
  },
  {
    name: 'whatif',
    description: 'what a change would do to a month of stored usage: routing, a cascade, shorter prompts, output caps, caching, batch',
    load: () => import('./whatif.js').then((m) => m.registerWhatif),
  },
  {
    name: 'unit-cost',
    description: 'cost per request and against revenue: cost/revenue ratio, gross margin, health',
    load: () => import('./unit-cost.js').then((m) => m.registerUnitCost),
  },
  {
    name: 'prompt',
    argument: '[prompt]',
    description: 'send one prompt through Amazon Bedrock; print the answer, its tokens and its exact cost, and record it',
    load: () => import('./prompt.js').then((m) => m.registerPrompt),
  },
  {
    name: 'reconcile',
    description: 'logged vs computed vs billed cost per day (and model): the gap and what explains it',
    load: () => import('./reconcile.js').then((m) => m.registerReconcile),
  },
  {
    name: 'db',
    description: 'the database itself: upgrade its schema after installing a newer llmcost',
    load: () => import('./db.js').then((m) => m.registerDb),
  },
];

/**
 * The command `argv` runs (its first word that is not a global flag; after `help`, the word after it), or
 * undefined for `--help`, `--version` and unknown words.
 */
function commandOf(argv: readonly string[]): CommandEntry | undefined {
  const words = argv.filter((a) => !a.startsWith('-'));
  const name = words[0] === 'help' ? words[1] : words[0];
  return COMMANDS.find((c) => c.name === name);
}

/** Registers the command `argv` runs, for real; otherwise a stub of every command, for the listing and its errors. */
export async function registerCommands(program: Command, ctx: Context, run: Run, argv: readonly string[]): Promise<void> {
  const entry = commandOf(argv);
  if (entry) {
    (await entry.load())(program, ctx, run);
    return;
  }
  for (const c of COMMANDS) {
    const cmd = program.command(c.name).description(c.description);
    if (c.argument) cmd.argument(c.argument);
  }
}
