/** `llmcost health`: what runs (loaded by the action in health.ts, so `--help` loads none of it). */
import { buildHealth, emptyInput, type HealthInput } from '../analysis/health.js';
import type { Context } from '../core/context.js';
import type { ColumnDimension } from '../core/types.js';
import { DataError, ExitCode } from '../lib/errors.js';
import { DAY_MS } from '../lib/time.js';
import { makePricer } from '../pricing/load.js';
import type { Pricer } from '../pricing/pricer.js';
import { type HealthJson, healthJson, healthTable } from '../render/health.js';
import { render } from '../render/index.js';
import type { Db } from '../store/db.js';
import { cacheHitTokens, healthSums } from '../store/queries/health.js';
import { aggregate, type UsageFilter } from '../store/queries/report.js';
import { requireRows } from './data-guard.js';
import type { HealthFlags } from './health.js';
import { openFromFlags, projectConfig, resolveTz } from './open.js';
import { resolveFormat, resolveRange } from './options.js';
import { scopeFilter } from './report-common.js';
import { storeFilter } from './store-filter.js';

/**
 * Per group: cost and tokens of the request logs (bills left out: they hold no requests), health sums, the
 * gateway cache hits priced as if served, and cache reads priced at the input price minus the cache-read price.
 */
export function healthInputs(db: Db, pricer: Pricer, filter: UsageFilter, tz: string, by: ColumnDimension | undefined): HealthInput[] {
  const usage: UsageFilter = { ...filter, basis: 'usage' };
  const groups = new Map<string, HealthInput & { latency: Map<number, number> }>();
  const group = (key: string) => {
    let g = groups.get(key);
    if (!g) {
      g = { ...emptyInput(key), latency: new Map() };
      groups.set(key, g);
    }
    return g;
  };
  const dims: ColumnDimension[] = [...new Set<ColumnDimension>([...(by ? [by] : []), 'provider', 'model'])];
  for (const r of aggregate(db, { dims, byDay: true, tz, filter: usage })) {
    const g = group(by ? (r.keys[0] ?? '') : '');
    g.requests += r.requests;
    g.costNanos += r.costNanos;
    g.inputTokens += r.inputTokens;
    g.cacheReadTokens += r.cacheReadTokens;
    g.cacheWriteTokens += r.cacheWriteTokens;
    if (r.cacheReadTokens > 0) {
      const provider = r.keys[dims.indexOf('provider')] ?? '';
      const model = r.keys[dims.indexOf('model')] ?? '';
      const at = { provider, model, ts: (r.day ?? 0) * DAY_MS, output: 0, cacheWrite: 0, cacheWrite1h: 0, requests: r.requests };
      const fresh = pricer.price({ ...at, input: r.cacheReadTokens, cacheRead: 0 });
      const cached = pricer.price({ ...at, input: 0, cacheRead: r.cacheReadTokens });
      if (fresh.priced && cached.priced) g.promptCacheSavedNanos += fresh.nanos - cached.nanos;
    }
  }
  for (const s of healthSums(db, usage, tz, by)) {
    const g = group(s.key);
    g.statusKnown += s.statusKnown;
    g.failures += s.failures;
    g.cacheKnown += s.cacheKnown;
    g.cacheHits += s.cacheHits;
    for (const [b, c] of s.latency) g.latency.set(b, (g.latency.get(b) ?? 0) + c);
  }
  for (const h of cacheHitTokens(db, usage, tz, by)) {
    const g = group(h.key);
    const p = pricer.price({
      provider: h.provider,
      model: h.model,
      region: h.region ?? undefined,
      serviceTier: h.serviceTier,
      ts: h.day * DAY_MS,
      input: h.inputTokens,
      output: h.outputTokens,
      cacheRead: h.cacheReadTokens,
      cacheWrite: h.cacheWriteTokens,
      cacheWrite1h: h.cacheWrite1hTokens,
      requests: h.requests,
    });
    if (p.priced) g.cacheAvoidedNanos += p.nanos;
    else g.cacheAvoidedUnpriced += h.requests;
  }
  return [...groups.values()];
}

/**
 * The figures of `health` over a filter: what the command prints and what the HTML report shows. Throws a
 * DataError when the range holds only bills (no request logs to judge).
 */
export function healthPayload(
  db: Db,
  filter: UsageFilter,
  tz: string,
  by: ColumnDimension | undefined,
  range: { since?: number; until?: number },
): HealthJson {
  const pricer = makePricer(db, projectConfig().prices, projectConfig());
  const inputs = healthInputs(db, pricer, filter, tz, by);
  if (inputs.every((g) => g.requests === 0))
    throw new DataError(
      'No request logs in the range, only bills (Cost Explorer, CUR): gateway health needs request-level logs.',
      'Ingest the gateway or provider logs (LiteLLM, Bedrock invocation logs, CSV) for this range.',
    );
  return healthJson(buildHealth(inputs), { by, tz, range });
}

export async function healthCommand(flags: HealthFlags, ctx: Context): Promise<number> {
  const format = resolveFormat(flags);
  const tz = resolveTz(flags);
  const by = flags.by === undefined ? undefined : ((flags.by === 'key' ? 'api-key' : flags.by) as ColumnDimension);
  const range = resolveRange(flags, tz, ctx.now());
  const given = scopeFilter(flags, range);
  const db = openFromFlags(flags, ctx);
  try {
    // A scope that matches nothing, or no rows in range, is exit 3 (data-guard.ts), never a row of zeros.
    requireRows(db, given, tz);
    const json = healthPayload(db, storeFilter(given), tz, by, range);
    ctx.out(render(format, json, [healthTable(json, format === 'table' || format === 'markdown')], { color: ctx.color }));
    return ExitCode.Ok;
  } finally {
    db.close();
  }
}
