/** `llmcost ingest cost-explorer`: the AWS bill for Bedrock from Cost Explorer, stored as billing rows. */
import type { Command } from 'commander';
import type { Context } from '../core/context.js';
import { addDbOption, addFormatOptions, type CommonFlags, choiceOption, collect } from './options.js';

export interface CeFlags extends CommonFlags {
  granularity?: string;
  metric?: string;
  service?: string[];
  tag?: string;
  linkedAccount?: boolean;
  region?: string;
  profile?: string;
  dryRun?: boolean;
}

const METRICS = ['UnblendedCost', 'AmortizedCost', 'NetUnblendedCost', 'BlendedCost', 'NetAmortizedCost'];

export function registerCostExplorer(ingestCmd: Command, ctx: Context, run: (fn: () => Promise<number>) => Promise<void>): void {
  const cmd = ingestCmd
    .command('cost-explorer')
    .description('the AWS bill for Bedrock from Cost Explorer (GetCostAndUsage), by service and usage type')
    .option('--since <date>', 'first day, YYYY-MM-DD (default: 30 days ago)')
    .option('--until <date>', 'last day, inclusive (default: today)')
    .addOption(
      choiceOption('--granularity <g>', 'DAILY, HOURLY (last 14 days only) or MONTHLY', ['DAILY', 'HOURLY', 'MONTHLY'], (v) =>
        v.toUpperCase(),
      ).default('DAILY'),
    )
    .addOption(choiceOption('--metric <m>', 'the Cost Explorer cost metric', METRICS).default('UnblendedCost'))
    .option(
      '--service <name>',
      'Cost Explorer SERVICE to include (repeatable; default: every service whose name contains "Bedrock")',
      collect,
    )
    .option('--tag <key>', 'group by this cost-allocation tag and USAGE_TYPE (one call per service, so each line keeps it)')
    .option('--linked-account', 'group by linked account and USAGE_TYPE (one call per service)')
    .option('--region <region>', "Cost Explorer's endpoint region", 'us-east-1')
    .option('--profile <name>', 'AWS profile (credentials come from the SDK provider chain)')
    .option('--dry-run', 'print the request that would be sent, send nothing');
  addFormatOptions(cmd);
  addDbOption(cmd);
  cmd.addHelpText(
    'after',
    `
Needs ce:GetCostAndUsage and ce:GetDimensionValues. Each call costs $0.01 (--tag and --linked-account make one call
per service). Re-ingesting a period replaces the rows stored for its services, whatever metric, granularity or
grouping they came from, so restated (estimated → final) days and regroupings never double. Days a CUR already
covers (same account) are skipped: the CUR is the finalized bill. Reports use the bill only where no request-level
usage exists, or with --basis billed.`,
  );
  cmd.action((flags: CeFlags) => run(async () => (await import('./cost-explorer-run.js')).costExplorerCommand(flags, ctx)));
}
