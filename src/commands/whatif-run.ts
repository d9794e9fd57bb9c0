/** `llmcost whatif`: what runs (loaded by the action in whatif.ts, so `--help` loads none of it). */
import {
  batchScenario,
  cacheHitScenario,
  cascadeScenario,
  maxOutputScenario,
  monthly,
  parseCascade,
  promptCacheScenario,
  promptTokensScenario,
  routeScenario,
  type Scenario,
  type ScenarioTerm,
  trimInputScenario,
  type WhatifRow,
} from '../analysis/whatif.js';
import type { Context } from '../core/context.js';
import { DataError, ExitCode, UserError } from '../lib/errors.js';
import { formatUsd, type Nanos, nanosToDecimal } from '../lib/money.js';
import { makePricer } from '../pricing/load.js';
import { parseModel } from '../pricing/normalize.js';
import type { Pricer } from '../pricing/pricer.js';
import { render } from '../render/index.js';
import type { TableData } from '../render/types.js';
import { whatifRows } from '../store/queries/whatif.js';
import { measuredSpan, measuredWindow } from './calculator-common.js';
import { requireRows } from './data-guard.js';
import { lookupModel } from './model-lookup.js';
import { openFromFlags, projectConfig } from './open.js';
import { listValues, resolveFormat, shareText } from './options.js';
import { priceAsWith } from './price-as.js';
import type { WhatifFlags } from './whatif.js';

/**
 * The rows that are `model`'s traffic: its name (normalized or as logged), or priced as its catalog entry
 * (claude-3-opus-20240229 rows for claude-3-opus).
 */
function trafficOf(pricer: Pricer, model: string): (r: WhatifRow) => boolean {
  const name = parseModel(model).model;
  const entry = pricer.resolve(undefined, model)?.model;
  return (r) =>
    r.model === name ||
    r.modelRaw.toLowerCase() === model.toLowerCase() ||
    (entry !== undefined && pricer.resolve(r.provider || undefined, r.modelRaw)?.model === entry);
}

interface Planned {
  scenario: Scenario;
  params: Record<string, unknown>;
  title: string;
}

function plan(flags: WhatifFlags, rows: readonly WhatifRow[], pricer: Pricer): Planned[] {
  const priceAs = priceAsWith(pricer);
  const out: Planned[] = [];
  if (flags.route !== undefined) {
    const eq = flags.route.indexOf('=');
    const from = flags.route.slice(0, eq).trim();
    const to = flags.route.slice(eq + 1).trim();
    lookupModel(pricer, undefined, to);
    const matches = trafficOf(pricer, from);
    if (!rows.some(matches))
      throw new DataError(
        `--route: no priced usage of "${from}" in the range.`,
        'Check the name with `llmcost report --by model` and the range with --since/--until.',
      );
    const share = flags.share ?? 1;
    out.push({
      scenario: routeScenario(rows, matches, to, share, priceAs),
      params: { from, to, share },
      title: `Route ${shareText(share)} of ${from} to ${to}`,
    });
  }
  if (flags.cascade !== undefined) {
    const steps = parseCascade(flags.cascade);
    if (typeof steps === 'string')
      throw new UserError(`--cascade "${flags.cascade}": ${steps}.`, { hint: 'Example: --cascade "gpt-4o-mini:0.6,gpt-4o:0.25,o1:0.15".' });
    for (const s of steps) lookupModel(pricer, undefined, s.model);
    out.push({
      scenario: cascadeScenario(rows, steps, priceAs),
      params: { steps },
      title: `Cascade ${steps.map((s) => `${s.model} ${Math.round(s.share * 10000) / 100}%`).join(', ')}`,
    });
  }
  if (flags.trimInput !== undefined)
    out.push({
      scenario: trimInputScenario(rows, flags.trimInput, priceAs),
      params: { share: flags.trimInput },
      title: `Prompts ${shareText(flags.trimInput)} shorter`,
    });
  if (flags.promptTokens !== undefined) {
    const { from, to } = flags.promptTokens;
    out.push({
      scenario: promptTokensScenario(rows, from, to, priceAs),
      params: { from, to },
      title: `Prompt ${from} → ${to} tokens per request`,
    });
  }
  if (flags.maxOutput !== undefined) {
    const cap = flags.maxOutput;
    out.push({
      scenario: maxOutputScenario(rows, cap, priceAs),
      params: { maxOutput: typeof cap === 'number' ? cap : `p${Math.round(cap.percentile * 100)}` },
      title:
        typeof cap === 'number'
          ? `max_tokens ${cap} on every endpoint`
          : `max_tokens at each endpoint's p${Math.round(cap.percentile * 100)} output length`,
    });
  }
  if (flags.cacheHitRate !== undefined)
    out.push({
      scenario: cacheHitScenario(rows, flags.cacheHitRate),
      params: { rate: flags.cacheHitRate },
      title: `Gateway cache answering ${shareText(flags.cacheHitRate)} of requests`,
    });
  if (flags.promptCache !== undefined)
    out.push({
      scenario: promptCacheScenario(rows, flags.promptCache, priceAs),
      params: { share: flags.promptCache },
      title: `Prompt caching of a ${shareText(flags.promptCache)} repeated prefix`,
    });
  if (flags.batchShare !== undefined)
    out.push({
      scenario: batchScenario(rows, flags.batchShare, priceAs),
      params: { share: flags.batchShare },
      title: `${shareText(flags.batchShare)} of standard traffic at batch prices`,
    });
  return out;
}

/** The flag errors that need no data: checked before the database is opened or the window described. */
function checkFlags(flags: WhatifFlags): void {
  const given = [
    flags.route,
    flags.cascade,
    flags.trimInput,
    flags.promptTokens,
    flags.maxOutput,
    flags.cacheHitRate,
    flags.promptCache,
    flags.batchShare,
  ];
  if (flags.share !== undefined && flags.route === undefined)
    throw new UserError('--share goes with --route.', { hint: 'Add --route FROM=TO.' });
  if (given.every((v) => v === undefined))
    throw new UserError('No scenario given.', {
      hint: 'Give one or more of --route, --cascade, --trim-input, --prompt-tokens, --max-output, --cache-hit-rate, --prompt-cache, --batch-share.',
    });
  if (flags.route !== undefined) {
    const eq = flags.route.indexOf('=');
    if (eq <= 0 || flags.route.slice(0, eq).trim() === '' || flags.route.slice(eq + 1).trim() === '')
      throw new UserError(`--route "${flags.route}": expected FROM=TO, e.g. claude-3-opus=claude-3-5-haiku.`);
  }
}

/** A JSON money pair: `<name>Nanos` (exact integer) and `<name>Usd` (its decimal string). */
const money = (name: string, n: Nanos): Record<string, Nanos | string> => ({ [`${name}Nanos`]: n, [`${name}Usd`]: nanosToDecimal(n) });
const $ = (n: Nanos): string => formatUsd(n);
const n0 = (n: number): string => n.toLocaleString('en-US');
const pct = (x: number): string => `${Math.round(x * 1000) / 10}%`;

/** The arithmetic of one term, in words. */
function termLine(code: Scenario['code'], t: ScenarioTerm, to: string): string {
  const saved = t.beforeNanos - t.afterNanos;
  switch (code) {
    case 'ROUTE':
    case 'BATCH':
      return `${t.label}: ${$(t.beforeNanos)} − ${t.share} × ${$(t.beforeNanos)} + ${t.share} × ${$(t.fullNanos ?? 0n)} ${code === 'ROUTE' ? `on ${to}` : 'at batch prices'} = ${$(t.afterNanos)}`;
    case 'CASCADE':
      return `${t.share} × ${$(t.fullNanos ?? 0n)} (all traffic on ${t.label}) = ${$(t.afterNanos)}`;
    case 'TRIM_INPUT':
    case 'PROMPT_TOKENS':
      return `${t.label}: ${n0(t.tokens ?? 0)} input tokens fewer, priced on the model = −${$(saved)}`;
    case 'MAX_OUTPUT':
      return `${t.label}: output per request p50 ${n0(t.p50 ?? 0)}, p95 ${n0(t.p95 ?? 0)}; cap ${n0(t.cap ?? 0)}: ${n0(t.tokens ?? 0)} output tokens over it = −${$(saved)}`;
    case 'CACHE_HIT':
      return `${t.label}: ${$(t.beforeNanos)} × (1 − ${t.share}) = ${$(t.afterNanos)}`;
    case 'PROMPT_CACHE':
      return `${t.label}: ${n0(t.tokens ?? 0)} input tokens at the cache-read price instead of the input price = −${$(saved)}`;
  }
}

export async function whatifCommand(flags: WhatifFlags, ctx: Context): Promise<number> {
  const format = resolveFormat(flags);
  checkFlags(flags);
  const { tz, since, until } = measuredWindow(flags, ctx);
  const filter = { since, until };
  const db = openFromFlags(flags, ctx);
  let planned: Planned[];
  let days: number;
  let spanText: string;
  let baseline: Nanos;
  try {
    requireRows(db, filter, tz);
    const span = measuredSpan(db, filter, tz, flags.since === undefined, ctx);
    days = span.days;
    spanText = span.text;
    let rows = whatifRows(db, filter);
    if (rows.length === 0)
      throw new DataError(
        'No priced request-level usage in the range: nothing to change.',
        'Billing rows (Cost Explorer, CUR) carry no tokens; ingest request logs, or price the unpriced models (llmcost reprice --prices FILE).',
      );
    const pricer = makePricer(db, flags.prices, projectConfig());
    const models = listValues(flags.model);
    if (models) {
      const wanted = models.map((name) => trafficOf(pricer, name));
      rows = rows.filter((r) => wanted.some((w) => w(r)));
      if (rows.length === 0)
        throw new DataError(`No priced usage of ${models.join(', ')} in the range.`, 'Check the names with `llmcost report --by model`.');
    }
    baseline = rows.reduce((s, r) => s + r.costNanos, 0n);
    planned = plan(flags, rows, pricer);
  } finally {
    db.close();
  }
  const m = (n: Nanos): Nanos => monthly(n, days);
  const payload = {
    schemaVersion: 1,
    kind: 'whatif',
    range: { since: new Date(since).toISOString(), until: new Date(until).toISOString(), days },
    baseline: { ...money('cost', baseline), ...money('monthly', m(baseline)) },
    scenarios: planned.map(({ scenario: s, params }) => ({
      code: s.code,
      params,
      ...money('before', s.beforeNanos),
      ...money('after', s.afterNanos),
      ...money('saved', s.savedNanos),
      savedShare: s.savedShare,
      ...money('monthlyBefore', m(s.beforeNanos)),
      ...money('monthlyAfter', m(s.afterNanos)),
      ...money('monthlySaved', m(s.beforeNanos) - m(s.afterNanos)),
      skippedRequests: s.skippedRequests,
      terms: s.terms.map((t) => ({
        ...t,
        ...(t.fullNanos === undefined ? {} : money('full', t.fullNanos)),
        ...money('before', t.beforeNanos),
        ...money('after', t.afterNanos),
      })),
    })),
  };
  const tables: TableData[] = planned.map(({ scenario: s, params, title }) => {
    const monthlyBefore = m(s.beforeNanos);
    const monthlyAfter = m(s.afterNanos);
    const sumLine =
      s.code === 'CASCADE'
        ? [
            `After: ${s.terms.map((t) => $(t.afterNanos)).join(' + ')} + the rest ${$(s.beforeNanos - s.terms.reduce((x, t) => x + t.beforeNanos, 0n))} = ${$(s.afterNanos)}`,
          ]
        : [];
    return {
      title: `${title}: ${$(monthlyBefore)}/month → ${$(monthlyAfter)}/month (saves ${$(monthlyBefore - monthlyAfter)}, ${pct(s.savedShare)})`,
      columns: [
        { key: 'label', header: s.code === 'MAX_OUTPUT' ? 'Endpoint' : s.code === 'CASCADE' ? 'Step' : 'Model', kind: 'text' },
        { key: 'requests', header: 'Requests', kind: 'int' },
        { key: 'before', header: 'Before', kind: 'text' },
        { key: 'after', header: 'After', kind: 'text' },
      ],
      rows: s.terms.map((t) => ({ label: t.label, requests: t.requests, before: $(t.beforeNanos), after: $(t.afterNanos) })),
      notes: [
        ...s.terms.map((t) => termLine(s.code, t, String(params.to ?? ''))),
        ...sumLine,
        `In the range (${spanText}): ${$(s.beforeNanos)} → ${$(s.afterNanos)}; a month is that × 30 / ${days}: ${$(monthlyBefore)} → ${$(monthlyAfter)}.`,
        ...(s.skippedRequests > 0 ? [`${n0(s.skippedRequests)} requests have no price under this change and are left as they are.`] : []),
        ...(s.code === 'MAX_OUTPUT'
          ? ['An upper bound: answers cut at the cap may need a retry. Aggregated log lines count at their average output per request.']
          : []),
        ...(s.code === 'PROMPT_CACHE' ? ['Cache writes (1.25× input at Anthropic, once per cache lifetime) are not counted.'] : []),
      ],
    };
  });
  ctx.out(render(format, payload, tables, ctx.view));
  return ExitCode.Ok;
}
