/** `llmcost compare-selfhost` and `llmcost unit-cost`: decision calculators on the real usage. */
import type { Command } from 'commander';
import { pricedRequests } from '../analysis/report.js';
import { buildRoadmap } from '../analysis/roadmap.js';
import { compareSelfhost, type SelfhostAssumptions, unitEconomics, type Workload } from '../analysis/selfhost.js';
import { ExitCode, UserError } from '../lib/errors.js';
import { formatUsd, nanosFromUsd } from '../lib/money.js';
import { DAY_MS, weekdayOf } from '../lib/time.js';
import { makePricer } from '../pricing/load.js';
import { render } from '../render/index.js';
import type { TableData } from '../render/types.js';
import { findGpu, GPUS, type SizeClass } from '../selfhost/gpus.js';
import type { Db } from '../store/db.js';
import { aggregateMixed } from '../store/queries/basis.js';
import { type AggregateRow, aggregate, dataRange, type UsageFilter } from '../store/queries/report.js';
import type { Context } from './context.js';
import { coverageNote, requireRows, windowCoverage } from './data-guard.js';
import {
  addDbOption,
  addFormatOptions,
  addRangeOptions,
  type CommonFlags,
  choiceOption,
  DEFAULT_SINCE,
  numberOption,
  openFromFlags,
  openIfPresent,
  projectConfig,
  resolveFormat,
  resolveRange,
  resolveTz,
  shareOption,
} from './options.js';

interface SelfhostFlags extends CommonFlags {
  gpu?: string;
  modelSize?: string;
  pricing?: string;
  gpuHourly?: number;
  throughput?: string;
  utilization?: number;
  overhead?: number;
  engineering?: number;
  onPrem?: boolean;
  purchasePrice?: number;
  amortizationMonths?: number;
  powerKw?: number;
  kwhPrice?: number;
  monthlyTokens?: number;
  inputShare?: number;
  peakFactor?: number;
  blendedPrice?: number;
  apiModel?: string;
}

type Run = (fn: () => Promise<number>) => Promise<void>;

export function registerCalculators(program: Command, ctx: Context, run: Run): void {
  const cmd = program
    .command('compare-selfhost')
    .description('would serving an open model on your own GPUs be cheaper than the API, at your volume?')
    .option('--gpu <id>', `GPU from the catalog: ${GPUS.map((g) => g.id).join(', ')}`, 'a100-80gb')
    .addOption(
      choiceOption('--model-size <class>', 'open model size class: 8b or 70b', ['8b', '70b'], (v) => v.toLowerCase()).default('8b'),
    )
    .addOption(
      choiceOption('--pricing <kind>', 'on-demand, reserved or spot (where the catalog has a sourced figure)', [
        'on-demand',
        'reserved',
        'spot',
      ]).default('on-demand'),
    )
    .option('--gpu-hourly <usd>', 'override the GPU hourly price', numberOption(0))
    .option('--throughput <prefill:decode>', 'override per-GPU tokens/s, e.g. 40000:4000')
    .option('--utilization <share>', 'share of GPU time serving tokens', shareOption(0.01, 1), 0.7)
    .option('--overhead <usd>', 'fixed monthly overhead (monitoring, ops)', numberOption(0), 500)
    .option('--engineering <usd>', 'monthly engineering cost', numberOption(0), 0)
    .option('--on-prem', 'buy the GPUs: amortize the purchase and pay power instead of an hourly price')
    .option('--purchase-price <usd>', 'price per GPU (required with --on-prem)', numberOption(1))
    .option('--amortization-months <n>', 'months to amortize the purchase over', numberOption(1), 36)
    .option('--power-kw <kw>', 'power per GPU incl. cooling share (default: the GPU board power)', numberOption(0))
    .option('--kwh-price <usd>', 'electricity price per kWh', numberOption(0), 0.12)
    .option('--monthly-tokens <n>', 'describe the workload by hand instead of reading the database', numberOption(1))
    .option('--input-share <share>', 'with --monthly-tokens: share of input tokens', shareOption(0, 1), 0.75)
    .option('--peak-factor <f>', 'with --monthly-tokens: busiest hour as a multiple of the average hour', numberOption(1), 3)
    .option('--blended-price <usd>', 'API price per 1M tokens, blended (as the seed guide computes)', numberOption(0))
    .option('--api-model <model>', 'price the workload with this API model instead of the models used');
  addRangeOptions(cmd);
  addFormatOptions(cmd);
  addDbOption(cmd);
  cmd.addHelpText(
    'after',
    `
Examples:
  llmcost compare-selfhost --since 30d --gpu h100
  llmcost compare-selfhost --monthly-tokens 100000000 --blended-price 6.25 --gpu a100-80gb --gpu-hourly 3   # the seed guide's example`,
  );
  cmd.action((flags: SelfhostFlags) => run(() => selfhostCommand(flags, ctx)));

  const roadmap = program
    .command('roadmap')
    .description('a phased optimization plan with your numbers: compounding savings per phase, stopping at the target')
    .option('--target <share>', 'reduction to plan for, e.g. 50% or 0.5', shareOption(0.01, 0.99), 0.5)
    .option('--monthly-cost <usd>', 'current monthly cost, instead of measuring it', numberOption(0));
  addRangeOptions(roadmap);
  addFormatOptions(roadmap);
  addDbOption(roadmap);
  roadmap.action((flags: CommonFlags & { target?: number; monthlyCost?: number }) => run(() => roadmapCommand(flags, ctx)));

  const unit = program
    .command('unit-cost')
    .description('cost per request and against revenue: cost/revenue ratio, gross margin, health')
    .requiredOption('--revenue <usd>', 'revenue for the same period, USD', numberOption(0));
  addRangeOptions(unit);
  addFormatOptions(unit);
  addDbOption(unit);
  unit.action((flags: CommonFlags & { revenue: number }) => run(() => unitCommand(flags, ctx)));
}

async function selfhostCommand(flags: SelfhostFlags, ctx: Context): Promise<number> {
  const format = resolveFormat(flags);
  const gpu = findGpu(flags.gpu ?? 'a100-80gb');
  if (!gpu) throw new UserError(`--gpu ${flags.gpu}: not in the catalog.`, { hint: `Use one of ${GPUS.map((g) => g.id).join(', ')}.` });
  const size = (flags.modelSize ?? '8b') as SizeClass;
  let prefill: number;
  let decode: number;
  let throughputBasis: string;
  if (flags.throughput) {
    const m = /^(\d+(?:\.\d+)?):(\d+(?:\.\d+)?)$/.exec(flags.throughput);
    if (!m) throw new UserError(`--throughput ${flags.throughput}: expected PREFILL:DECODE tokens/s, e.g. 40000:4000.`);
    prefill = Number(m[1]);
    decode = Number(m[2]);
    throughputBasis = 'given with --throughput';
  } else {
    const t = gpu.throughput[size];
    if (!t)
      throw new UserError(`${gpu.name} has no ${size} throughput in the catalog (the model does not fit, or nothing was measured).`, {
        hint: 'Choose another --gpu or --model-size, or give --throughput PREFILL:DECODE.',
      });
    prefill = t.prefillTps;
    decode = t.decodeTps;
    throughputBasis = t.basis;
  }
  const pricing = flags.pricing ?? 'on-demand';
  const catalogHourly =
    pricing === 'on-demand'
      ? gpu.hourly.onDemand
      : pricing === 'reserved'
        ? gpu.hourly.reserved
        : pricing === 'spot'
          ? gpu.hourly.spot
          : undefined;
  const hourly = flags.gpuHourly ?? catalogHourly;
  if (hourly === undefined)
    throw new UserError(`No sourced ${pricing} price for ${gpu.name}.`, {
      hint: 'Give it with --gpu-hourly USD, or use --pricing on-demand.',
    });
  const assumptions: SelfhostAssumptions = {
    gpuHourlyUsd: hourly,
    prefillTps: prefill,
    decodeTps: decode,
    utilization: flags.utilization ?? 0.7,
    overheadUsd: flags.overhead ?? 500,
    engineeringUsd: flags.engineering ?? 0,
    hoursPerMonth: 720,
  };
  if (flags.onPrem) {
    const purchase = flags.purchasePrice;
    if (purchase === undefined)
      throw new UserError('--on-prem needs --purchase-price USD per GPU (the catalog has no sourced purchase prices).');
    assumptions.onPrem = {
      purchaseUsd: purchase,
      amortizationMonths: flags.amortizationMonths ?? 36,
      powerKw: flags.powerKw ?? gpu.powerKw,
      kwhUsd: flags.kwhPrice ?? 0.12,
    };
  }

  let workload: Workload;
  let apiUsd: number;
  let workloadBasis: string;
  let unpricedRequests = 0;
  const monthly = flags.monthlyTokens;
  const blended = flags.blendedPrice;
  // A workload given by hand needs no database (only a loaded price catalog, when there is one).
  const db = monthly !== undefined ? openIfPresent(flags, ctx) : openFromFlags(flags, ctx);
  try {
    const pricer = makePricer(db, projectConfig().prices, projectConfig());
    const priceWith = (model: string, input: number, output: number): number => {
      const r = pricer.price({ model, ts: ctx.now(), input, output, cacheRead: 0, cacheWrite: 0, cacheWrite1h: 0, requests: 1000 });
      if (!r.priced) throw new UserError(`--api-model ${model}: no price in the catalog.`, { hint: 'Check the name with llmcost prices.' });
      return Number(r.nanos) / 1e9;
    };
    if (monthly !== undefined) {
      const share = flags.inputShare ?? 0.75;
      const peak = flags.peakFactor ?? 3;
      workload = {
        inputTokens: monthly * share,
        outputTokens: monthly * (1 - share),
        peakHourInputTokens: ((monthly * share) / 720) * peak,
        peakHourOutputTokens: ((monthly * (1 - share)) / 720) * peak,
      };
      workloadBasis = `given: ${monthly.toLocaleString('en-US')} tokens/month, ${Math.round(share * 100)}% input, peak hour ${peak}× the average`;
      if (blended !== undefined) apiUsd = (monthly / 1e6) * blended;
      else if (flags.apiModel) apiUsd = priceWith(flags.apiModel, workload.inputTokens, workload.outputTokens);
      else throw new UserError('With --monthly-tokens, give the API price: --blended-price USD per 1M, or --api-model MODEL.');
    } else {
      const tz = resolveTz(flags);
      const now = ctx.now();
      const range = resolveRange(flags, tz, now, DEFAULT_SINCE);
      const since = range.since ?? now - 30 * DAY_MS;
      const until = range.until ?? now;
      const filter = { since, until };
      if (!db) throw new Error('unreachable: a measured workload opens the database');
      requireRows(db, filter, tz);
      const [t] = aggregate(db, { dims: [], byDay: false, tz, filter: { ...filter, basis: 'usage' } });
      if (!t || t.requests === 0)
        throw new UserError('No request-level usage in the range to size the workload (billing rows have no tokens per hour).', {
          exitCode: ExitCode.Data,
          hint: 'Widen --since, ingest request logs, or describe the workload with --monthly-tokens.',
        });
      const span = measuredSpan(db, filter, tz, flags.since === undefined, ctx);
      // Priced with the models used, the workload is the priced usage: unpriced usage has no API price, and
      // its tokens over the priced cost would make the API look cheaper per token than it is. A given price
      // (--blended-price, --api-model) prices every token, so then the workload is all usage.
      const usedModels = blended === undefined && !flags.apiModel;
      unpricedRequests = t.unpricedRequests;
      if (usedModels && t.unpricedRequests === t.requests)
        throw new UserError(
          `All ${t.requests.toLocaleString('en-US')} requests in the range are unpriced: there is no API cost to compare with.`,
          {
            exitCode: ExitCode.Data,
            hint: 'Give the API price with --blended-price or --api-model, or price the models with --prices FILE.',
          },
        );
      const dims: ['provider', 'model'] | [] = usedModels ? ['provider', 'model'] : [];
      const priced = (r: AggregateRow): number => (!usedModels || r.requests === 0 ? 1 : pricedRequests(r) / r.requests);
      const tokens = (rows: AggregateRow[]): { input: number; output: number } => {
        let input = 0;
        let output = 0;
        for (const r of rows) {
          input += (r.inputTokens + r.cacheReadTokens + r.cacheWriteTokens) * priced(r);
          output += r.outputTokens * priced(r);
        }
        return { input, output };
      };
      const byHour = new Map<number, AggregateRow[]>();
      for (const h of aggregate(db, { dims, byDay: true, hourly: true, tz, filter: { ...filter, basis: 'usage' } }))
        byHour.set(h.day ?? 0, [...(byHour.get(h.day ?? 0) ?? []), h]);
      let peakIn = 0;
      let peakOut = 0;
      for (const rows of byHour.values()) {
        const h = tokens(rows);
        if (h.input + h.output > peakIn + peakOut) {
          peakIn = h.input;
          peakOut = h.output;
        }
      }
      const all = tokens(aggregate(db, { dims, byDay: false, tz, filter: { ...filter, basis: 'usage' } }));
      const factor = 30 / span.days;
      workload = {
        inputTokens: all.input * factor,
        outputTokens: all.output * factor,
        peakHourInputTokens: peakIn,
        peakHourOutputTokens: peakOut,
      };
      workloadBasis = `measured: ${span.text}, scaled to 30 days; busiest hour as measured`;
      if (blended !== undefined) apiUsd = ((workload.inputTokens + workload.outputTokens) / 1e6) * blended;
      else if (flags.apiModel) apiUsd = priceWith(flags.apiModel, workload.inputTokens, workload.outputTokens);
      else {
        apiUsd = (Number(t.costNanos) / 1e9) * factor;
        workloadBasis += ' (API cost: what the models used cost, at their real input, output and cache prices; unpriced usage excluded)';
        if (t.unpricedRequests > 0)
          workloadBasis += `; ${t.unpricedRequests.toLocaleString('en-US')} unpriced requests (no API price) are left out of the workload too`;
      }
    }
  } finally {
    db?.close();
  }
  const result = compareSelfhost(workload, apiUsd, assumptions);
  const payload = {
    schemaVersion: 1,
    kind: 'compare-selfhost',
    workload: { ...roundWorkload(workload), basis: workloadBasis },
    unpricedRequests,
    assumptions: {
      gpu: gpu.id,
      gpuName: gpu.name,
      modelSize: size,
      pricing,
      gpuHourlyUsd: assumptions.gpuHourlyUsd,
      gpuHourlySource: flags.gpuHourly ? 'given with --gpu-hourly' : gpu.hourly.source,
      prefillTps: prefill,
      decodeTps: decode,
      throughputBasis,
      utilization: assumptions.utilization,
      overheadUsd: assumptions.overheadUsd,
      engineeringUsd: assumptions.engineeringUsd,
      hoursPerMonth: assumptions.hoursPerMonth,
      onPrem: assumptions.onPrem ?? null,
    },
    result,
  };
  ctx.out(render(format, payload, selfhostTables(payload), { color: ctx.color }));
  return ExitCode.Ok;
}

function roundWorkload(w: Workload): Workload {
  return {
    inputTokens: Math.round(w.inputTokens),
    outputTokens: Math.round(w.outputTokens),
    peakHourInputTokens: Math.round(w.peakHourInputTokens),
    peakHourOutputTokens: Math.round(w.peakHourOutputTokens),
  };
}

const usd = (x: number): string => formatUsd(nanosFromUsd(x), { decimals: 2 });
const tok = (x: number): string =>
  x >= 1e9 ? `${(x / 1e9).toFixed(2)}B` : x >= 1e6 ? `${(x / 1e6).toFixed(1)}M` : Math.round(x).toLocaleString('en-US');

function selfhostTables(p: {
  workload: Workload & { basis: string };
  assumptions: Record<string, unknown> & { gpuName: string; throughputBasis: string; gpuHourlySource: string };
  result: ReturnType<typeof compareSelfhost>;
}): TableData[] {
  const r = p.result;
  const a = p.assumptions;
  const summary: TableData = {
    title: 'Self-host vs API, per 30-day month',
    columns: [
      { key: 'k', header: 'Item', kind: 'text' },
      { key: 'v', header: 'Value', kind: 'text' },
    ],
    rows: [
      {
        k: 'Workload',
        v: `${tok(p.workload.inputTokens)} input + ${tok(p.workload.outputTokens)} output tokens; busiest hour ${tok(p.workload.peakHourInputTokens + p.workload.peakHourOutputTokens)}`,
      },
      { k: 'API cost', v: usd(r.apiMonthlyUsd) },
      { k: `GPUs (${a.gpuName})`, v: `${r.gpus.needed} (volume needs ${r.gpus.forVolume}, peak hour needs ${r.gpus.forPeak})` },
      {
        k: 'Self-host cost',
        v: `${usd(r.selfhost.totalUsd)} = GPUs ${usd(r.selfhost.gpuUsd)}${r.selfhost.powerUsd ? ` + power ${usd(r.selfhost.powerUsd)}` : ''} + overhead ${usd(r.selfhost.overheadUsd)}${r.selfhost.engineeringUsd ? ` + engineering ${usd(r.selfhost.engineeringUsd)}` : ''}`,
      },
      { k: 'Cheaper', v: `${r.cheaper === 'api' ? 'API' : 'self-host'}, by ${usd(r.savingsUsd)} (${r.savingsPct}%)` },
      { k: 'Break-even volume', v: r.breakEvenTokens === null ? 'never at these prices' : `${tok(r.breakEvenTokens)} tokens/month` },
      ...(r.paybackMonths !== null ? [{ k: 'Payback (on-prem)', v: `${r.paybackMonths} months` }] : []),
    ],
    notes: [
      `Workload: ${p.workload.basis}.`,
      `GPU price ${usd(Number(a.gpuHourlyUsd))}/h (${a.pricing}): ${a.gpuHourlySource}.`,
      `Throughput ${Number(a.prefillTps).toLocaleString('en-US')} prefill / ${Number(a.decodeTps).toLocaleString('en-US')} decode tokens/s per GPU (${a.modelSize}): ${a.throughputBasis}.`,
      `Utilization ${Math.round(Number(a.utilization) * 100)}%, ${a.hoursPerMonth} h/month; GPUs are whole and cover both the month's volume and the busiest hour.`,
    ],
  };
  const utils = r.sensitivity[0]?.rows.map((x) => x.utilization) ?? [];
  const sensitivity: TableData = {
    title: 'Sensitivity: cheaper option by volume × utilization (self-host cost / API cost)',
    columns: [
      { key: 'volume', header: 'Tokens/month', kind: 'text' },
      ...utils.map((u) => ({ key: `u${u}`, header: `util ${Math.round(u * 100)}%`, kind: 'text' as const })),
    ],
    rows: r.sensitivity.map((s) => ({
      volume: `${tok(s.tokens)} (×${s.volumeFactor})`,
      ...Object.fromEntries(
        s.rows.map((x) => [`u${x.utilization}`, `${x.cheaper === 'api' ? 'API' : 'SELF'} ${usd(x.selfhostUsd)} / ${usd(x.apiUsd)}`]),
      ),
    })),
  };
  return [summary, sensitivity];
}

/**
 * The days a measured figure covers: the data's own first and last day inside the window. A default
 * window that the data only partly fills is said (on stderr) and scaled by the days it holds, never as if
 * it were whole.
 */
function measuredSpan(
  db: Db,
  filter: UsageFilter & { since: number; until: number },
  tz: string,
  defaulted: boolean,
  ctx: Context,
): { first: string; last: string; days: number; partial: boolean; text: string } {
  const c = windowCoverage(db, filter, tz);
  if (!c) throw new Error('unreachable: measuredSpan after requireRows');
  if (defaulted && c.partial) ctx.err(`llmcost: ${coverageNote(c, 'the last 30 days')}\n`);
  return {
    first: c.firstDay,
    last: c.lastDay,
    days: c.spanDays,
    partial: c.partial,
    text: `${c.firstDay} to ${c.lastDay} (${c.spanDays} day${c.spanDays === 1 ? '' : 's'} with data${c.partial ? `, of a ${c.windowDays}-day window` : ''})`,
  };
}

async function unitCommand(flags: CommonFlags & { revenue: number }, ctx: Context): Promise<number> {
  const format = resolveFormat(flags);
  const revenue = flags.revenue ?? 0;
  const tz = resolveTz(flags);
  const now = ctx.now();
  const range = resolveRange(flags, tz, now, DEFAULT_SINCE);
  const db = openFromFlags(flags, ctx);
  try {
    const until = range.until ?? now;
    const since = range.since ?? until - 30 * DAY_MS;
    requireRows(db, { since, until }, tz);
    const span = measuredSpan(db, { since, until }, tz, flags.since === undefined, ctx);
    const [t] = aggregateMixed(db, { dims: [], byDay: false, tz, filter: { since, until } }).rows;
    const r = unitEconomics(
      Number(t?.costNanos ?? 0n) / 1e9,
      { priced: t ? pricedRequests(t) : 0, unpriced: t?.unpricedRequests ?? 0 },
      revenue,
      Number(t?.billedNanos ?? 0n) / 1e9,
    );
    const payload = {
      schemaVersion: 1,
      kind: 'unit-cost',
      range: { since: range.since ?? null, until: range.until ?? now },
      measured: { firstDay: span.first, lastDay: span.last, days: span.days, partial: span.partial },
      ...r,
    };
    const unpriced = r.unpricedRequests.toLocaleString('en-US');
    const table: TableData = {
      title: 'Unit economics',
      columns: [
        { key: 'k', header: 'Metric', kind: 'text' },
        { key: 'v', header: 'Value', kind: 'text' },
        { key: 't', header: 'Target', kind: 'text' },
      ],
      rows: [
        { k: 'API cost', v: usd(r.costUsd), t: '' },
        { k: 'Requests', v: `${r.requests.toLocaleString('en-US')}${r.unpricedRequests > 0 ? ` (${unpriced} unpriced)` : ''}`, t: '' },
        {
          k: 'Cost per request',
          v:
            r.costPerRequestUsd === null
              ? '—'
              : `$${r.costPerRequestUsd}${r.unpricedRequests > 0 ? ` (over the ${r.pricedRequests.toLocaleString('en-US')} priced requests)` : ''}`,
          t: '',
        },
        { k: 'Cost / revenue', v: r.costToRevenue === null ? '' : `${(r.costToRevenue * 100).toFixed(1)}%`, t: '20–30%' },
        { k: 'Gross margin', v: r.grossMargin === null ? '' : `${(r.grossMargin * 100).toFixed(1)}%`, t: '≥ 70%' },
        { k: 'Health', v: r.health ?? '', t: 'healthy ≥ 70%, acceptable ≥ 50%' },
      ],
      notes: [
        `Measured ${span.text}.`,
        ...(r.unpricedRequests > 0 ? [`${unpriced} unpriced requests are not in the cost, nor in the cost per request.`] : []),
      ],
    };
    ctx.out(render(format, payload, [table], { color: ctx.color }));
    return ExitCode.Ok;
  } finally {
    db.close();
  }
}

/** The cheaper model of the same provider that short-output traffic could be routed to. */
const CHEAPER: Record<string, { model: string; when: RegExp }> = {
  anthropic: { model: 'claude-3-5-haiku-20241022', when: /opus|sonnet/ },
  openai: { model: 'gpt-4o-mini', when: /^(gpt-4o|gpt-4-turbo|gpt-4|o1|o3|gpt-5)(-\d|$)/ },
  google: { model: 'gemini-1.5-flash', when: /pro/ },
  aws: { model: 'us.anthropic.claude-3-5-haiku-20241022-v1:0', when: /opus|sonnet|llama3-70b|llama3-1-70b|nova-pro|nova-premier/ },
};

const ACTION_TEXT: Record<string, string> = {
  MAX_TOKENS_LIMITS: 'Set max_tokens per endpoint from its real output lengths',
  PROMPT_TRIMMING: 'Trim system prompts and retrieved context',
  BASIC_MODEL_ROUTING: 'Route short, simple requests to a cheaper model of the same provider',
  PROVIDER_PROMPT_CACHING: "Use the provider's prompt caching for repeated context",
  EXACT_MATCH_CACHE: 'Cache identical requests in the gateway',
  SEMANTIC_CACHE: 'Cache semantically similar requests',
  CASCADE_ROUTING: 'Cascade: try the cheap model first, escalate on low confidence',
  BATCH_PROCESSING: 'Move non-interactive traffic to batch APIs (50% off)',
  BUDGET_AUTOMATION: 'Gate spend in CI: llmcost budget check --fail-on forecast',
  SELF_HOST_OPEN_MODEL: 'Serve an open model on your own GPUs (see llmcost compare-selfhost)',
};

async function roadmapCommand(flags: CommonFlags & { target?: number; monthlyCost?: number }, ctx: Context): Promise<number> {
  const format = resolveFormat(flags);
  const target = flags.target ?? 0.5;
  const tz = resolveTz(flags);
  const now = ctx.now();
  const range = resolveRange(flags, tz, now, DEFAULT_SINCE);
  const since = range.since ?? now - 30 * DAY_MS;
  const until = range.until ?? now;
  const filter = { since, until };
  const byHand = flags.monthlyCost;
  // A cost given by hand needs no database; one is read (when present) only for measured evidence.
  const db = byHand !== undefined ? openIfPresent(flags, ctx) : openFromFlags(flags, ctx);
  let monthly = byHand ?? 0;
  let measured: { routingSavingsUsd?: number; cacheReadShare?: number; offHoursShare?: number } = {};
  let unpricedRequests = 0;
  try {
    if (db && byHand === undefined) requireRows(db, filter, tz);
    const span = db && dataRange(db, filter, tz) ? measuredSpan(db, filter, tz, flags.since === undefined, ctx) : undefined;
    const factor = span ? 30 / span.days : 1;
    const [t] = db ? aggregateMixed(db, { dims: [], byDay: false, tz, filter }).rows : [];
    unpricedRequests = t?.unpricedRequests ?? 0;
    if (byHand === undefined) monthly = (Number(t?.costNanos ?? 0n) / 1e9) * factor;
    if (db && t && t.requests > 0) {
      const input = t.inputTokens + t.cacheReadTokens + t.cacheWriteTokens;
      const pricer = makePricer(db, projectConfig().prices, projectConfig());
      let routing = 0;
      for (const r of aggregate(db, { dims: ['endpoint', 'provider', 'model'], byDay: false, tz, filter })) {
        const [, provider = '', model = ''] = r.keys;
        const alt = CHEAPER[provider];
        if (!alt || !alt.when.test(model) || pricedRequests(r) <= 0 || r.costNanos === 0n || r.outputTokens / r.requests > 500) continue;
        const price = pricer.price({
          provider,
          model: alt.model,
          ts: until - 1,
          input: r.inputTokens,
          output: r.outputTokens,
          cacheRead: r.cacheReadTokens,
          cacheWrite: r.cacheWriteTokens,
          cacheWrite1h: 0,
          requests: r.requests,
        });
        if (!price.priced) continue;
        // The row's cost covers its priced requests only: compare with that share of the alternative's price.
        const altNanos = (price.nanos * BigInt(pricedRequests(r))) / BigInt(r.requests);
        if (altNanos * 3n < r.costNanos) routing += Number(r.costNanos - altNanos) / 1e9;
      }
      let off = 0n;
      let all = 0n;
      for (const h of aggregate(db, { dims: [], byDay: true, hourly: true, tz, filter })) {
        const hour = h.day ?? 0;
        const hod = ((hour % 24) + 24) % 24;
        const weekday = weekdayOf(Math.floor(hour / 24));
        all += h.costNanos;
        if (hod < 8 || hod >= 20 || weekday >= 5) off += h.costNanos;
      }
      measured = {
        routingSavingsUsd: routing * factor,
        cacheReadShare: input > 0 ? t.cacheReadTokens / input : 0,
        ...(all > 0n ? { offHoursShare: Number((off * 10000n) / all) / 10000 } : {}),
      };
    }
  } finally {
    db?.close();
  }
  const plan = buildRoadmap({ monthlyCostUsd: monthly, target, ...measured });
  const payload = {
    schemaVersion: 1,
    kind: 'roadmap',
    monthlyCostUsd: Math.round(monthly * 100) / 100,
    target,
    measured,
    unpricedRequests,
    ...plan,
  };
  const rows = plan.phases.flatMap((p) =>
    p.actions.map((a, i) => ({
      phase: i === 0 ? `${p.phase}. ${p.code}` : '',
      action: ACTION_TEXT[a.code] ?? a.code,
      effort: a.effort,
      timeline: a.timeline,
      savings: `${Math.round(a.savings.estimate * 100)}% (${Math.round(a.savings.low * 100)}-${Math.round(a.savings.high * 100)}%)`,
      basis: a.basis === 'measured' ? `measured: ${a.evidence ?? ''}` : 'assumed',
      phaseUsd: i === 0 ? `-${usd(p.savingsUsd)}/mo → ${usd(p.costAfterUsd)}` : '',
    })),
  );
  const table: TableData = {
    title: `Optimization roadmap: ${usd(monthly)}/month → target ${usd(plan.targetCostUsd)} (-${Math.round(target * 100)}%)`,
    columns: [
      { key: 'phase', header: 'Phase', kind: 'text' },
      { key: 'action', header: 'Action', kind: 'text' },
      { key: 'effort', header: 'Effort', kind: 'text' },
      { key: 'timeline', header: 'Timeline', kind: 'text' },
      { key: 'savings', header: 'Savings (range)', kind: 'text' },
      { key: 'basis', header: 'Basis', kind: 'text' },
      { key: 'phaseUsd', header: 'Phase result', kind: 'text' },
    ],
    rows,
    notes: [
      `Savings compound: each phase acts on the cost the earlier phases leave. ${plan.reached ? `The target is reached after phase ${plan.phases.length}` : 'The target is not reached by these phases'}: ${usd(plan.finalCostUsd)}/month.`,
      ...(unpricedRequests > 0 && flags.monthlyCost === undefined
        ? [
            `${unpricedRequests.toLocaleString('en-US')} unpriced requests in the range are not in the monthly cost (their cost is unknown).`,
          ]
        : []),
    ],
  };
  ctx.out(render(format, payload, [table], { color: ctx.color }));
  return ExitCode.Ok;
}
