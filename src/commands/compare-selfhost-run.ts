/** `llmcost compare-selfhost`: what runs (loaded by the action in compare-selfhost.ts, so `--help` loads none of it). */
import { pricedRequests } from '../analysis/report.js';
import { compareSelfhost, type SelfhostAssumptions, type Workload } from '../analysis/selfhost.js';
import type { Context } from '../core/context.js';
import { ExitCode, UserError } from '../lib/errors.js';
import { findGpu, GPUS, type SizeClass } from '../pricing/gpus.js';
import { makePricer } from '../pricing/load.js';
import { render } from '../render/index.js';
import { selfhostTables } from '../render/selfhost.js';
import type { Db } from '../store/db.js';
import { type AggregateRow, aggregate } from '../store/queries/report.js';
import { calculatorCsvTable, measuredSpan, measuredWindow, moneyJson } from './calculator-common.js';
import type { SelfhostFlags } from './compare-selfhost.js';
import { requireRows } from './data-guard.js';
import { lookupModel } from './model-lookup.js';
import { openFromFlags, openIfPresent, projectConfig } from './open.js';
import { resolveFormat } from './options.js';

export async function selfhostCommand(flags: SelfhostFlags, ctx: Context): Promise<number> {
  const format = resolveFormat(flags);
  const gpu = findGpu(flags.gpu ?? 'a100-80gb');
  if (!gpu) throw new UserError(`--gpu ${flags.gpu}: not in the catalog.`, { hint: `Use one of ${GPUS.map((g) => g.id).join(', ')}.` });
  const size = (flags.modelSize ?? '8b').toLowerCase() as SizeClass;
  if (size !== '8b' && size !== '70b') throw new UserError(`--model-size ${flags.modelSize}: expected 8b or 70b.`);
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
  const catalogHourly = pricing === 'on-demand' ? gpu.hourly.onDemand : pricing === 'reserved' ? gpu.hourly.reserved : undefined;
  // Bought GPUs have no hourly price: the purchase is amortized instead.
  const hourly = flags.onPrem ? 0 : (flags.gpuHourly ?? catalogHourly);
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
    // --api-model resolves as `llmcost prices MODEL` does; a name it cannot price exits 3.
    if (flags.apiModel) lookupModel(pricer, undefined, flags.apiModel);
    const priceWith = (model: string, input: number, output: number): number => {
      const r = pricer.price({ model, ts: ctx.now(), input, output, cacheRead: 0, cacheWrite: 0, cacheWrite1h: 0, requests: 1000 });
      if (!r.priced)
        throw new UserError(`--api-model ${model}: the catalog entry lacks an input or output price.`, {
          exitCode: ExitCode.Data,
          hint: 'Check it with `llmcost prices MODEL`, or add the price in a price file.',
        });
      return Number(r.nanos) / 1e9;
    };
    if (monthly !== undefined) {
      let share: number;
      let shareBasis: string;
      if (flags.inputShare !== undefined) {
        share = flags.inputShare;
        shareBasis = 'given';
      } else if (flags.apiModel) {
        // Priced on a model, the input/output mix decides the price: measure it rather than assume the guide's 75%.
        const measured = db ? inputShareOf(db, flags, ctx) : undefined;
        if (!measured)
          throw new UserError(
            '--api-model with --monthly-tokens needs the share of input tokens, and there is no usage to measure it from.',
            {
              hint: 'Give --input-share (e.g. 0.75), or ingest usage (and widen --since) so it is measured.',
            },
          );
        share = measured.share;
        shareBasis = `measured: ${measured.text}`;
      } else {
        share = 0.75;
        shareBasis = "the seed guide's assumption; --input-share to change it";
      }
      const peak = flags.peakFactor ?? 3;
      workload = {
        inputTokens: monthly * share,
        outputTokens: monthly * (1 - share),
        peakHourInputTokens: ((monthly * share) / 720) * peak,
        peakHourOutputTokens: ((monthly * (1 - share)) / 720) * peak,
      };
      workloadBasis = `given: ${monthly.toLocaleString('en-US')} tokens/month, ${Math.round(share * 1000) / 10}% input (${shareBasis}), peak hour ${peak}× the average`;
      if (blended !== undefined) apiUsd = (monthly / 1e6) * blended;
      else if (flags.apiModel) apiUsd = priceWith(flags.apiModel, workload.inputTokens, workload.outputTokens);
      else throw new UserError('With --monthly-tokens, give the API price: --blended-price USD per 1M, or --api-model MODEL.');
    } else {
      const { tz, since, until } = measuredWindow(flags, ctx);
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
      pricing: flags.onPrem ? 'on-prem' : pricing,
      gpuHourlyUsd: flags.onPrem ? null : assumptions.gpuHourlyUsd,
      gpuHourlySource: flags.onPrem ? null : flags.gpuHourly ? 'given with --gpu-hourly' : gpu.hourly.source,
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
  const data = moneyJson(payload);
  ctx.out(render(format, data, format === 'csv' ? [calculatorCsvTable(data)] : selfhostTables(payload), ctx.view));
  return ExitCode.Ok;
}

/** The input share of the request-level usage in the range (input counts cached tokens), when there is any. */
function inputShareOf(db: Db, flags: SelfhostFlags, ctx: Context): { share: number; text: string } | undefined {
  const { tz, since, until } = measuredWindow(flags, ctx);
  const filter = { since, until, basis: 'usage' as const };
  const [t] = aggregate(db, { dims: [], byDay: false, tz, filter });
  if (!t) return undefined;
  const input = t.inputTokens + t.cacheReadTokens + t.cacheWriteTokens;
  if (input + t.outputTokens === 0) return undefined;
  return {
    share: input / (input + t.outputTokens),
    text: `${input.toLocaleString('en-US')} input and ${t.outputTokens.toLocaleString('en-US')} output tokens from ${new Date(filter.since).toISOString().slice(0, 10)} on`,
  };
}

function roundWorkload(w: Workload): Workload {
  return {
    inputTokens: Math.round(w.inputTokens),
    outputTokens: Math.round(w.outputTokens),
    peakHourInputTokens: Math.round(w.peakHourInputTokens),
    peakHourOutputTokens: Math.round(w.peakHourOutputTokens),
  };
}
