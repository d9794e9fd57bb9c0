/** `llmcost prices [MODEL]` lists the catalog or shows one model's dated prices; `prices update FILE` refreshes it. */
import type { Command } from 'commander';
import type { Context } from '../core/context.js';
import { CONFIG_FILE } from '../lib/config.js';
import { addDbOption, addFormatOptions, type CommonFlags } from './options.js';

export interface PricesFlags extends CommonFlags {
  provider?: string;
  prices?: string;
}

export interface MapProfilesFlags extends CommonFlags {
  region?: string;
  profile?: string;
  write?: boolean;
  config?: string;
}

export function registerPrices(program: Command, ctx: Context, run: (fn: () => Promise<number>) => Promise<void>): void {
  const cmd = program
    .command('prices')
    .description('list the price catalog, or show how one model is priced')
    .argument('[model]', 'a model id as it appears in your logs, e.g. us.anthropic.claude-3-haiku-20240307-v1:0')
    .option('--provider <id>', 'only this provider (anthropic, openai, aws, google, azure, …)')
    .option('--prices <file>', 'user price file to include');
  addFormatOptions(cmd);
  addDbOption(cmd);
  cmd.action((model: string | undefined, flags: PricesFlags) =>
    run(async () => (await import('./prices-run.js')).pricesCommand(model, flags, ctx)),
  );

  const update = cmd
    .command('update')
    .description(
      'load a newer catalog from a file: genai-prices data.json (v2), a LiteLLM model_prices_and_context_window.json, or an llmcost catalog JSON',
    )
    .argument('<file>', 'the catalog file');
  addDbOption(update);
  update.action((file: string, flags: PricesFlags) => run(async () => (await import('./prices-run.js')).updateCommand(file, flags, ctx)));

  const profiles = cmd
    .command('map-profiles')
    .description('map Bedrock application inference profiles to their models (bedrock:ListInferenceProfiles), for pricing')
    .option('--region <region>', 'AWS region of the profiles (default: AWS_REGION, else us-east-1)')
    .option('--profile <name>', 'AWS named profile')
    .option('--write', 'merge the mapping into the config file\'s "inferenceProfiles"')
    .option('--config <file>', `config file to write (default: ./${CONFIG_FILE})`);
  addFormatOptions(profiles);
  // --json and --format are also options of `prices`: read them wherever they were given.
  profiles.action((_flags: MapProfilesFlags, command: Command) =>
    run(async () => (await import('./prices-run.js')).mapProfilesCommand(command.optsWithGlobals(), ctx)),
  );
}
