/** `llmcost reprice`: re-price stored request-level rows with the current catalog and your prices. */
import type { Command } from 'commander';
import { reprice } from '../ingest/reprice.js';
import { ExitCode } from '../lib/errors.js';
import { makePricer, unusedPriceWarnings } from '../pricing/load.js';
import { render } from '../render/index.js';
import { repriceJson, repriceTables } from '../render/reprice.js';
import type { Context } from './context.js';
import {
  addDbOption,
  addFormatOptions,
  addRangeOptions,
  type CommonFlags,
  collect,
  listValues,
  openFromFlags,
  projectConfig,
  resolveFormat,
  resolveRange,
  resolveTz,
} from './options.js';

interface RepriceFlags extends CommonFlags {
  prices?: string;
  model?: string[];
  dryRun?: boolean;
}

export function registerReprice(program: Command, ctx: Context, run: (fn: () => Promise<number>) => Promise<void>): void {
  const cmd = program
    .command('reprice')
    .description('re-price stored usage with the current catalog and your price file; the bill (Cost Explorer, CUR) is kept')
    .option('--prices <file>', 'user price file: overrides and additions to the catalog (see README "Prices")')
    .option('--model <model>', 'only this model, normalized or as logged (repeatable)', collect)
    .option('--dry-run', 'show what would change, write nothing');
  addRangeOptions(cmd);
  addFormatOptions(cmd);
  addDbOption(cmd);
  cmd.addHelpText(
    'after',
    `
Examples:
  llmcost reprice --prices prices.json --dry-run     # what the price file would change
  llmcost reprice --prices prices.json
  llmcost prices update data.json && llmcost reprice --since 2026-10-01`,
  );
  cmd.action((flags: RepriceFlags) => run(() => repriceCommand(flags, ctx)));
}

async function repriceCommand(flags: RepriceFlags, ctx: Context): Promise<number> {
  const format = resolveFormat(flags);
  const tz = resolveTz(flags);
  const range = resolveRange(flags, tz, ctx.now());
  const models = listValues(flags.model);
  const pricesFile = flags.prices ?? projectConfig().prices;
  // A dry run only reads; a real one writes prices and the rollup.
  const db = openFromFlags(flags, ctx, undefined, flags.dryRun ? 'read' : 'write');
  try {
    const pricer = makePricer(db, pricesFile, projectConfig());
    const summary = reprice(db, pricer, { ...range, model: models, dryRun: flags.dryRun === true });
    for (const w of unusedPriceWarnings(pricer, 'stored row repriced')) ctx.err(w);
    const { kind, version } = pricer.catalog.source;
    const view = { catalog: { kind, version }, pricesFile, tz, range, models };
    ctx.out(render(format, repriceJson(summary, view), repriceTables(summary, view, format === 'csv'), { color: ctx.color }));
    return ExitCode.Ok;
  } finally {
    db.close();
  }
}
