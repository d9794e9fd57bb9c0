/**
 * Self-hosting vs API break-even. Pure: workload and assumptions in, costs out. Every assumption is a
 * named input and is echoed in the result. USD here are estimates (floats rounded to cents), not ledger
 * money; the API cost of a measured workload comes in exact from the store.
 */

export interface Workload {
  /** Per 30-day month. Input includes cached tokens: a self-hosted server prefills them too. */
  inputTokens: number;
  outputTokens: number;
  /** Tokens in the busiest hour. */
  peakHourInputTokens: number;
  peakHourOutputTokens: number;
}

export interface SelfhostAssumptions {
  gpuHourlyUsd: number;
  prefillTps: number;
  decodeTps: number;
  /** Share of GPU time that serves tokens (batching gaps, headroom). */
  utilization: number;
  overheadUsd: number;
  engineeringUsd: number;
  hoursPerMonth: number;
  onPrem?: { purchaseUsd: number; amortizationMonths: number; powerKw: number; kwhUsd: number } | undefined;
}

export interface SelfhostResult {
  apiMonthlyUsd: number;
  gpus: { forVolume: number; forPeak: number; needed: number };
  selfhost: { gpuUsd: number; powerUsd: number; overheadUsd: number; engineeringUsd: number; totalUsd: number };
  cheaper: 'api' | 'self-host';
  savingsUsd: number;
  /** Savings as a fraction of the dearer option's cost (0.765), to 4 decimals. */
  savingsShare: number;
  /** Deprecated: the same as a percentage (76.5); use savingsShare. */
  savingsPct: number;
  /** Tokens per month at which self-hosting starts to pay, at this workload's mix and API price; null if never. */
  breakEvenTokens: number | null;
  paybackMonths: number | null;
  sensitivity: {
    volumeFactor: number;
    tokens: number;
    rows: { utilization: number; gpus: number; selfhostUsd: number; apiUsd: number; cheaper: 'api' | 'self-host' }[];
  }[];
}

const cents = (x: number): number => Math.round(x * 100) / 100;

/** GPU-seconds a month's volume needs, and per busiest hour. */
function need(w: Workload, a: SelfhostAssumptions): { volume: number; peak: number } {
  return {
    volume: w.inputTokens / a.prefillTps + w.outputTokens / a.decodeTps,
    peak: w.peakHourInputTokens / a.prefillTps + w.peakHourOutputTokens / a.decodeTps,
  };
}

/** Whole GPUs, enough for the month's volume and for the peak hour, at the target utilization; at least one. */
export function gpusNeeded(w: Workload, a: SelfhostAssumptions): { forVolume: number; forPeak: number; needed: number } {
  const n = need(w, a);
  const forVolume = Math.ceil(n.volume / (a.hoursPerMonth * 3600 * a.utilization) - 1e-9);
  const forPeak = Math.ceil(n.peak / (3600 * a.utilization) - 1e-9);
  return { forVolume, forPeak, needed: Math.max(1, forVolume, forPeak) };
}

function selfhostCost(gpus: number, a: SelfhostAssumptions): SelfhostResult['selfhost'] {
  const hours = a.hoursPerMonth;
  const gpuUsd = a.onPrem ? (gpus * a.onPrem.purchaseUsd) / a.onPrem.amortizationMonths : gpus * a.gpuHourlyUsd * hours;
  const powerUsd = a.onPrem ? gpus * a.onPrem.powerKw * hours * a.onPrem.kwhUsd : 0;
  return {
    gpuUsd: cents(gpuUsd),
    powerUsd: cents(powerUsd),
    overheadUsd: a.overheadUsd,
    engineeringUsd: a.engineeringUsd,
    totalUsd: cents(gpuUsd + powerUsd + a.overheadUsd + a.engineeringUsd),
  };
}

const scale = (w: Workload, f: number): Workload => ({
  inputTokens: w.inputTokens * f,
  outputTokens: w.outputTokens * f,
  peakHourInputTokens: w.peakHourInputTokens * f,
  peakHourOutputTokens: w.peakHourOutputTokens * f,
});

/**
 * The smallest monthly volume (same mix, same peak ratio) at which self-hosting costs no more than the API.
 * Self-host cost is a step function of the GPU count, so each count g is tried in turn: break-even is
 * cost(g) / API price per token if that volume still fits on g GPUs.
 */
export function breakEven(w: Workload, apiUsd: number, a: SelfhostAssumptions): number | null {
  const tokens = w.inputTokens + w.outputTokens;
  if (tokens <= 0 || apiUsd <= 0) return null;
  const perToken = apiUsd / tokens;
  const n = need(w, a);
  const perGpuShare = Math.max(n.volume / (a.hoursPerMonth * 3600 * a.utilization), n.peak / (3600 * a.utilization));
  for (let g = 1; g <= 100_000; g++) {
    const maxTokens = perGpuShare > 0 ? (g / perGpuShare) * tokens : Number.POSITIVE_INFINITY;
    const candidate = selfhostCost(g, a).totalUsd / perToken;
    if (candidate <= maxTokens) return Math.round(candidate);
    // Per-GPU capacity is worth less at API prices than a GPU costs: adding GPUs never catches up.
    if (g > 1 && (selfhostCost(g, a).totalUsd - selfhostCost(g - 1, a).totalUsd) / perToken > maxTokens / g) return null;
  }
  return null;
}

export function compareSelfhost(w: Workload, apiMonthlyUsd: number, a: SelfhostAssumptions): SelfhostResult {
  const gpus = gpusNeeded(w, a);
  const selfhost = selfhostCost(gpus.needed, a);
  const cheaper = selfhost.totalUsd < apiMonthlyUsd ? 'self-host' : 'api';
  const savingsUsd = cents(Math.abs(apiMonthlyUsd - selfhost.totalUsd));
  const base = Math.max(apiMonthlyUsd, selfhost.totalUsd);
  let paybackMonths: number | null = null;
  if (a.onPrem) {
    const opex = selfhost.powerUsd + a.overheadUsd + a.engineeringUsd;
    const monthlyGain = apiMonthlyUsd - opex;
    paybackMonths = monthlyGain > 0 ? Math.round(((gpus.needed * a.onPrem.purchaseUsd) / monthlyGain) * 10) / 10 : null;
  }
  const sensitivity = [0.1, 0.25, 0.5, 1, 2, 4, 10].map((f) => ({
    volumeFactor: f,
    tokens: Math.round((w.inputTokens + w.outputTokens) * f),
    rows: [0.4, 0.55, 0.7, 0.85].map((u) => {
      const au = { ...a, utilization: u };
      const g = gpusNeeded(scale(w, f), au).needed;
      const s = selfhostCost(g, au).totalUsd;
      const api = cents(apiMonthlyUsd * f);
      return { utilization: u, gpus: g, selfhostUsd: s, apiUsd: api, cheaper: s < api ? ('self-host' as const) : ('api' as const) };
    }),
  }));
  return {
    apiMonthlyUsd: cents(apiMonthlyUsd),
    gpus,
    selfhost,
    cheaper,
    savingsUsd,
    savingsShare: base > 0 ? Math.round((savingsUsd / base) * 10000) / 10000 : 0,
    savingsPct: base > 0 ? Math.round((savingsUsd / base) * 1000) / 10 : 0,
    breakEvenTokens: breakEven(w, apiMonthlyUsd, a),
    paybackMonths,
    sensitivity,
  };
}
