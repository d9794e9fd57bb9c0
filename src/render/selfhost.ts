/** The tables of `llmcost compare-selfhost`: the monthly comparison and its sensitivity grid. */
import type { compareSelfhost, Workload } from '../analysis/selfhost.js';
import type { TableData } from './types.js';

const usd = (x: number): string => `$${x.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
const tok = (x: number): string =>
  x >= 1e9 ? `${(x / 1e9).toFixed(2)}B` : x >= 1e6 ? `${(x / 1e6).toFixed(1)}M` : Math.round(x).toLocaleString('en-US');

/** Bought GPUs: the purchase and power the monthly cost is made of, instead of an hourly price. */
function onPremNote(o: unknown): string | undefined {
  if (typeof o !== 'object' || o === null) return undefined;
  const p = o as { purchaseUsd: number; amortizationMonths: number; powerKw: number; kwhUsd: number };
  return `GPUs bought (--on-prem): ${usd(p.purchaseUsd)} each, amortized over ${p.amortizationMonths} months; power ${p.powerKw} kW per GPU at ${usd(p.kwhUsd)}/kWh.`;
}

export function selfhostTables(p: {
  workload: Workload & { basis: string };
  assumptions: Record<string, unknown> & { gpuName: string; throughputBasis: string; gpuHourlySource: string | null };
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
      onPremNote(a.onPrem) ?? `GPU price ${usd(Number(a.gpuHourlyUsd))}/h (${a.pricing}): ${a.gpuHourlySource}.`,
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
