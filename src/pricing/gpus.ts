/**
 * GPU catalog for `compare-selfhost`. Every figure carries its source; estimates say so. Override any of
 * them with --gpu-hourly, --throughput, --purchase-price, --power-kw.
 *
 * Throughput is per GPU, split into prefill (input tokens/s) and decode (output tokens/s). The public
 * measurements report a mixed workload's simultaneous input and output rates (in, out); llmcost splits them
 * with one stated assumption, prefill per token = 1/10 of decode time (prefill is compute-bound and
 * batched): in/P + out/D = 1 with P = 10·D gives D = out + in/10 and P = 10·D.
 * GPUs without a measurement are scaled from the A100 80 GB by memory bandwidth (decode is
 * bandwidth-bound; NVIDIA datasheet bandwidths), and marked as estimates.
 */

export type SizeClass = '8b' | '70b';

export interface Throughput {
  prefillTps: number;
  decodeTps: number;
  basis: string;
}

export interface Gpu {
  id: string;
  name: string;
  memoryGb: number;
  /** NVIDIA datasheet memory bandwidth, TB/s. */
  bandwidthTbs: number;
  /** Board power, kW (datasheet TDP). */
  powerKw: number;
  hourly: { onDemand: number; reserved?: number; source: string };
  throughput: Partial<Record<SizeClass, Throughput>>;
}

const split = (inRate: number, outRate: number): { prefillTps: number; decodeTps: number } => {
  const decode = outRate + inRate / 10;
  return { prefillTps: Math.round(decode * 10), decodeTps: Math.round(decode) };
};

// Measurements (shared/PRICING.md §6.1):
// - Llama 3 8B, vLLM 0.6.0, 1×H100, ShareGPT at QPS=∞: ≈37 req/s × (202 in, 179 out) ⇒ 7,474 in/s, 6,623 out/s (vLLM blog 2024-09-05).
// - Llama 3 8B, vLLM 0.6.0, 1×A100: ≈19 req/s ⇒ 3,838 in/s, 3,401 out/s (vLLM blog appendix A100_8B).
// - Llama 3 8B, vLLM 0.4.3, 1×A10G (g5.2xlarge), 550 in / 150 out at concurrency 64: 301 out/s ⇒ 1,104 in/s (llmperf write-up).
// - Llama 3 70B, vLLM 0.6.0, 4×H100, ShareGPT: ≈17 req/s ⇒ 3,434 in/s, 3,043 out/s, i.e. per GPU 859 / 761 (vLLM blog).
const H100_8B = split(7474, 6623);
const A100_8B = split(3838, 3401);
const A10G_8B = split(1104, 301);
const H100_70B = split(859, 761);

const scaled = (base: { prefillTps: number; decodeTps: number }, factor: number, from: string): Throughput => ({
  prefillTps: Math.round(base.prefillTps * factor),
  decodeTps: Math.round(base.decodeTps * factor),
  basis: `estimate: ${from} scaled by memory bandwidth (×${factor.toFixed(2)})`,
});

export const GPUS: Gpu[] = [
  {
    id: 't4',
    name: 'NVIDIA T4 16 GB',
    memoryGb: 16,
    bandwidthTbs: 0.32,
    powerKw: 0.07,
    hourly: {
      onDemand: 0.526,
      source: 'AWS g4dn.xlarge on-demand us-east-1 as commonly listed; not verified against a stored source — override with --gpu-hourly',
    },
    throughput: { '8b': scaled(A100_8B, 0.32 / 2.04, 'A100 80 GB, Llama 3 8B') },
  },
  {
    id: 'a10g',
    name: 'NVIDIA A10G 24 GB',
    memoryGb: 24,
    bandwidthTbs: 0.6,
    powerKw: 0.15,
    hourly: { onDemand: 1.006, source: 'AWS g5.xlarge on-demand us-east-1, June 2026 (factualminds.com EC2 pricing)' },
    throughput: { '8b': { ...A10G_8B, basis: 'measured: Llama 3 8B, vLLM 0.4.3, 550 in / 150 out, concurrency 64 (llmperf)' } },
  },
  {
    id: 'l4',
    name: 'NVIDIA L4 24 GB',
    memoryGb: 24,
    bandwidthTbs: 0.3,
    powerKw: 0.072,
    hourly: { onDemand: 0.8048, source: 'AWS g6.xlarge on-demand us-east-1 (public catalog tables)' },
    throughput: { '8b': scaled(A100_8B, 0.3 / 2.04, 'A100 80 GB, Llama 3 8B') },
  },
  {
    id: 'l40s',
    name: 'NVIDIA L40S 48 GB',
    memoryGb: 48,
    bandwidthTbs: 0.864,
    powerKw: 0.35,
    hourly: { onDemand: 1.861, source: 'AWS g6e.xlarge on-demand us-east-1 (public catalog table)' },
    throughput: { '8b': scaled(A100_8B, 0.864 / 2.04, 'A100 80 GB, Llama 3 8B') },
  },
  {
    id: 'a100-40gb',
    name: 'NVIDIA A100 40 GB',
    memoryGb: 40,
    bandwidthTbs: 1.555,
    powerKw: 0.4,
    hourly: { onDemand: 2.745, source: 'AWS p4d.24xlarge $21.957642/h ÷ 8 GPUs (datareceipts hyperscalers.json, 2026-11-09)' },
    throughput: { '8b': scaled(A100_8B, 1.555 / 2.04, 'A100 80 GB, Llama 3 8B') },
  },
  {
    id: 'a100-80gb',
    name: 'NVIDIA A100 80 GB',
    memoryGb: 80,
    bandwidthTbs: 2.04,
    powerKw: 0.4,
    hourly: { onDemand: 3.431, source: 'AWS p4de.24xlarge $27.44705/h ÷ 8 GPUs (datareceipts hyperscalers.json, 2026-11-09)' },
    throughput: {
      '8b': { ...A100_8B, basis: 'measured: Llama 3 8B, vLLM 0.6.0, ShareGPT, QPS=∞ (vLLM blog 2024-09-05)' },
      '70b': scaled(H100_70B, 2.04 / 3.35, 'H100, Llama 3 70B (4-GPU tensor parallel, per GPU)'),
    },
  },
  {
    id: 'h100',
    name: 'NVIDIA H100 80 GB SXM',
    memoryGb: 80,
    bandwidthTbs: 3.35,
    powerKw: 0.7,
    hourly: {
      onDemand: 6.88,
      reserved: 4.916,
      source:
        'on-demand: AWS p5.48xlarge $55.04/h ÷ 8 (datareceipts, 2026-11-09); reserved: EC2 Capacity Block p5.48xlarge $39.33/h ÷ 8 (AWS page, late 2024)',
    },
    throughput: {
      '8b': { ...H100_8B, basis: 'measured: Llama 3 8B, vLLM 0.6.0, ShareGPT, QPS=∞ (vLLM blog 2024-09-05)' },
      '70b': { ...H100_70B, basis: 'measured: Llama 3 70B, vLLM 0.6.0, 4×H100, ShareGPT (vLLM blog), per GPU' },
    },
  },
  {
    id: 'h200',
    name: 'NVIDIA H200 141 GB',
    memoryGb: 141,
    bandwidthTbs: 4.8,
    powerKw: 0.7,
    hourly: { onDemand: 7.912, source: 'AWS p5en.48xlarge $63.296/h ÷ 8 (dstack PR #4110, 2026-08-06; Price List API)' },
    throughput: {
      '8b': scaled(H100_8B, 4.8 / 3.35, 'H100, Llama 3 8B'),
      '70b': scaled(H100_70B, 4.8 / 3.35, 'H100, Llama 3 70B'),
    },
  },
];

export function findGpu(id: string): Gpu | undefined {
  const key = id
    .toLowerCase()
    .replace(/[\s_]/g, '-')
    .replace(/-?80g(b)?$/, '-80gb')
    .replace(/-?40g(b)?$/, '-40gb');
  return GPUS.find((g) => g.id === key) ?? (key === 'a100' ? GPUS.find((g) => g.id === 'a100-80gb') : undefined);
}
