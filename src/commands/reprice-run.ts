/** `llmcost reprice`: what runs (loaded by the action in reprice.ts, so `--help` loads none of it). */

import type { Context } from '../core/context.js';
import { reprice } from '../ingest/reprice.js';
import { ExitCode } from '../lib/errors.js';
import { makePricer, unusedPriceWarnings } from '../pricing/load.js';
import { render } from '../render/index.js';
import { repriceJson, repriceTables } from '../render/reprice.js';
import { openFromFlags, projectConfig, resolveTz } from './open.js';
import { listValues, resolveFormat, resolveRange } from './options.js';
import type { RepriceFlags } from './reprice.js';

export async function repriceCommand(flags: RepriceFlags, ctx: Context): Promise<number> {
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
    ctx.out(render(format, repriceJson(summary, view), repriceTables(summary, view, format === 'csv'), ctx.view));
    return ExitCode.Ok;
  } finally {
    db.close();
  }
}
