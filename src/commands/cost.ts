/** `llmcost cost MODEL`: the exact price of one request (or K of them), from the catalog the ingest prices with. */
import type { Command } from 'commander';
import { Option } from 'commander';
import type { Context } from '../core/context.js';
import { addDbOption, addFormatOptions, type CommonFlags, intOption } from './options.js';
export interface CostFlags extends CommonFlags {
  input?: number;
  output?: number;
  cacheRead?: number;
  cacheWrite?: number;
  text?: string;
  tier?: string;
  region?: string;
  provider?: string;
  at?: string;
  requests?: number;
  compare?: string[];
  prices?: string;
}

const TIERS = ['standard', 'batch', 'flex', 'priority'];

export function registerCost(program: Command, ctx: Context, run: (fn: () => Promise<number>) => Promise<void>): void {
  const tokens = intOption(0);
  const cmd = program
    .command('cost')
    .description('the exact price of a request on a model (and on others with --compare), from the price catalog')
    .argument('<model>', 'a model id or name, spelled as `llmcost prices MODEL` accepts it')
    .option('--input <n>', 'uncached input tokens per request', tokens)
    .option('--output <n>', 'output tokens per request', tokens)
    .option('--cache-read <n>', 'cache-read input tokens per request', tokens)
    .option('--cache-write <n>', 'cache-write input tokens per request', tokens)
    .option('--text <text>', 'estimate the input tokens from this text (an estimate by character class, not a tokenizer)')
    .addOption(new Option('--tier <tier>', 'service tier').choices(TIERS))
    .option('--region <region>', 'region whose prices apply (Bedrock regional prices, Anthropic inference_geo)')
    .option('--provider <id>', 'the provider, when the model name alone is ambiguous')
    .option('--at <date>', 'price in force on this day (YYYY-MM-DD or an ISO date-time, UTC; default: now)')
    .option('--requests <k>', 'price this many identical requests', intOption(1), 1)
    .option('--compare <models...>', 'the same usage on other models, side by side')
    .option('--prices <file>', 'user price file to include');
  addFormatOptions(cmd);
  addDbOption(cmd);
  cmd.action((model: string, flags: CostFlags) => run(async () => (await import('./cost-run.js')).costCommand(model, flags, ctx)));
}
