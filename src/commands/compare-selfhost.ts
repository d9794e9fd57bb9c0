/** `llmcost compare-selfhost`: would serving an open model on your own GPUs be cheaper than the API, at your volume? */
import type { Command } from 'commander';
import type { Context } from '../core/context.js';
import { GPUS } from '../pricing/gpus.js';
import type { Run } from './calculator-common.js';
import { addDbOption, addFormatOptions, addRangeOptions, type CommonFlags, choiceOption, numberOption, shareOption } from './options.js';

export interface SelfhostFlags extends CommonFlags {
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

export function registerCompareSelfhost(program: Command, ctx: Context, run: Run): void {
  const cmd = program
    .command('compare-selfhost')
    .description('would serving an open model on your own GPUs be cheaper than the API, at your volume?')
    .option('--gpu <id>', `GPU from the catalog: ${GPUS.map((g) => g.id).join(', ')}`, 'a100-80gb')
    .addOption(
      choiceOption('--model-size <class>', 'open model size class: 8b or 70b', ['8b', '70b'], (v) => v.toLowerCase()).default('8b'),
    )
    .addOption(
      // No spot figure has a stored source (see the GPU catalog): spot is not offered rather than guessed.
      choiceOption('--pricing <kind>', 'on-demand, or reserved where the catalog has a sourced figure', ['on-demand', 'reserved']).default(
        'on-demand',
      ),
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
    .option(
      '--input-share <share>',
      'with --monthly-tokens: share of input tokens (default: measured from the database with --api-model, else 0.75 as the seed guide)',
      shareOption(0, 1),
    )
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
  cmd.action((flags: SelfhostFlags) => run(async () => (await import('./compare-selfhost-run.js')).selfhostCommand(flags, ctx)));
}
