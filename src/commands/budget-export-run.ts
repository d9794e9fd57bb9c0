/** `llmcost budget export`: what runs (loaded by the action in budget-export.ts, so `--help` loads none of it). */
import { rateLimits } from '../analysis/limits.js';
import { litellmBudgets, withRateLimits } from '../analysis/litellm-budgets.js';
import type { Context } from '../core/context.js';
import { type Config, loadConfig } from '../lib/config.js';
import { ExitCode, UserError } from '../lib/errors.js';
import { render } from '../render/index.js';
import { minuteTraffic } from '../store/queries/limits.js';
import type { ExportFlags } from './budget-export.js';
import { measuredWindow } from './calculator-common.js';
import { requireRows } from './data-guard.js';
import { openFromFlags } from './open.js';

/** `llmcost limits`' suggestions by team and by API key over the range (default the last 30 days). */
function measuredLimits(flags: ExportFlags, ctx: Context, config: Config) {
  const { tz, ...window } = measuredWindow(flags, ctx, config);
  const headroom = flags.headroom ?? 0.5;
  const db = openFromFlags(flags, ctx, config);
  try {
    requireRows(db, window, tz);
    return {
      teams: rateLimits(minuteTraffic(db, 'team', window), headroom),
      keys: rateLimits(minuteTraffic(db, 'api-key', window), headroom),
    };
  } finally {
    db.close();
  }
}

export async function exportCommand(flags: ExportFlags, ctx: Context): Promise<number> {
  if (!flags.litellm) throw new UserError('Say which gateway to export for.', { hint: 'Add --litellm (the one supported so far).' });
  const config = loadConfig(flags.config);
  if (config.budgets.length === 0 && !flags.limits)
    throw new UserError('No budgets to export.', { hint: 'Add "budgets" to llmcost.config.json, or give --config FILE.' });
  const budgets = litellmBudgets(config.budgets);
  const out = flags.limits ? withRateLimits(budgets, measuredLimits(flags, ctx, config)) : budgets;
  const payload = {
    schemaVersion: 1,
    kind: 'litellm-budgets',
    config: config.file ?? null,
    /** POST each body to the proxy's /team/update. */
    teamUpdate: out.teamUpdates,
    /** POST each body to the proxy's /key/update. */
    keyUpdate: out.keyUpdates,
    /** config.yaml litellm_settings for the proxy as a whole. */
    litellmSettings: out.litellmSettings,
    skipped: out.skipped,
    rateLimits: flags.limits
      ? { headroom: flags.headroom ?? 0.5, basis: 'ceil(busiest minute × (1 + headroom)), as llmcost limits' }
      : null,
  };
  for (const s of out.skipped) ctx.err(`llmcost: budget "${s.budget}" is not exported: ${s.reason}.\n`);
  ctx.out(render('json', payload, [], { color: false }));
  return ExitCode.Ok;
}
