/** `llmcost ingest cost-explorer`: the AWS bill for Bedrock from Cost Explorer, stored as billing rows. */
import type { Command } from 'commander';
import { type BillingQuery, billingRecords, queryPrefix } from '../ingest/cost-explorer/parse.js';
import { dedupeKey, toRow } from '../ingest/pipeline.js';
import { ExitCode, UserError } from '../lib/errors.js';
import { nanosToDecimal } from '../lib/money.js';
import { dayNumber, dayNumberToIso, localDate } from '../lib/time.js';
import { makePricer } from '../pricing/load.js';
import { render } from '../render/index.js';
import { finishRun, rebuildRollupRange, startRun, UsageWriter } from '../store/queries/usage.js';
import type { Context } from './context.js';
import { addDbOption, addFormatOptions, type CommonFlags, collect, openFromFlags, projectConfig, resolveFormat } from './options.js';

interface CeFlags extends CommonFlags {
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
    .option('--granularity <g>', 'DAILY, HOURLY (last 14 days only) or MONTHLY', 'DAILY')
    .option('--metric <m>', METRICS.join('|'), 'UnblendedCost')
    .option(
      '--service <name>',
      'Cost Explorer SERVICE to include (repeatable; default: every service whose name contains "Bedrock")',
      collect,
    )
    .option('--tag <key>', 'also group by this cost-allocation tag (instead of SERVICE)')
    .option('--linked-account', 'also group by linked account (instead of SERVICE)')
    .option('--region <region>', "Cost Explorer's endpoint region", 'us-east-1')
    .option('--profile <name>', 'AWS profile (credentials come from the SDK provider chain)')
    .option('--dry-run', 'print the request that would be sent, send nothing');
  addFormatOptions(cmd);
  addDbOption(cmd);
  cmd.addHelpText(
    'after',
    `
Needs ce:GetCostAndUsage and ce:GetDimensionValues. Each call costs $0.01. Re-ingesting a period replaces its rows
for the same metric, granularity and grouping, so Cost Explorer's restated (estimated → final) days never double.
Reports use the bill only where no request-level usage exists, or with --basis billed.`,
  );
  cmd.action((flags: CeFlags) => run(() => costExplorerCommand(flags, ctx)));
}

function day(text: string | undefined, fallback: string, flag: string): string {
  if (text === undefined) return fallback;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) throw new UserError(`${flag} ${text}: expected a date YYYY-MM-DD.`);
  return text;
}

function explain(err: unknown): UserError {
  const e = err as Error & { name?: string };
  const name = e.name ?? '';
  const message = e.message ?? String(err);
  if (name === 'CredentialsProviderError' || /Could not load credentials/i.test(message)) {
    return new UserError(`No AWS credentials: ${message}`, {
      exitCode: ExitCode.Remote,
      hint: 'Set AWS_PROFILE (or --profile), AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or sign in with aws sso login.',
    });
  }
  if (name === 'AccessDeniedException') {
    return new UserError(`Access denied by Cost Explorer: ${message}`, {
      exitCode: ExitCode.Remote,
      hint: 'Grant ce:GetCostAndUsage and ce:GetDimensionValues to this principal (in the payer account for consolidated billing).',
    });
  }
  if (name === 'DataUnavailableException') {
    return new UserError(`Cost Explorer has no data for this account: ${message}`, {
      exitCode: ExitCode.Remote,
      hint: 'Enable Cost Explorer in the Billing console; data appears within 24 hours.',
    });
  }
  if (name === 'LimitExceededException' || name === 'ThrottlingException') {
    return new UserError(`Cost Explorer throttled the request after retries: ${message}`, {
      exitCode: ExitCode.Remote,
      hint: 'Retry later.',
    });
  }
  if (name === 'BillExpirationException' || /historical data|beyond/i.test(message)) {
    return new UserError(`Cost Explorer cannot return this range: ${message}`, {
      hint: 'Cost Explorer keeps 14 months (HOURLY: 14 days); narrow --since.',
    });
  }
  return new UserError(`Cost Explorer call failed (${name || 'error'}): ${message}`, { exitCode: ExitCode.Remote });
}

async function costExplorerCommand(flags: CeFlags, ctx: Context): Promise<number> {
  const format = resolveFormat(flags);
  const now = ctx.now();
  const today = dayNumber(localDate(now, 'UTC'));
  const start = day(flags.since, dayNumberToIso(today - 30), '--since');
  const lastDay = day(flags.until, dayNumberToIso(today), '--until');
  const end = dayNumberToIso(dayNumber(lastDay) + 1); // Cost Explorer's End is exclusive
  if (end <= start) throw new UserError(`--until ${lastDay} is before --since ${start}.`);
  const granularity = (flags.granularity ?? 'DAILY').toUpperCase();
  if (!['DAILY', 'HOURLY', 'MONTHLY'].includes(granularity))
    throw new UserError(`--granularity ${flags.granularity}: expected DAILY, HOURLY or MONTHLY.`);
  if (granularity === 'HOURLY' && dayNumber(end) - dayNumber(start) > 14) {
    throw new UserError('HOURLY data covers at most the last 14 days.', { hint: 'Narrow --since, or use DAILY.' });
  }
  const metric = flags.metric ?? 'UnblendedCost';
  if (!METRICS.includes(metric)) throw new UserError(`--metric ${metric}: expected one of ${METRICS.join(', ')}.`);
  const second = flags.tag
    ? { Type: 'TAG' as const, Key: flags.tag }
    : flags.linkedAccount
      ? { Type: 'DIMENSION' as const, Key: 'LINKED_ACCOUNT' }
      : { Type: 'DIMENSION' as const, Key: 'SERVICE' };
  const groupBy = [second, { Type: 'DIMENSION' as const, Key: 'USAGE_TYPE' }];
  const query: BillingQuery = { metric, granularity, groupBy: groupBy.map((g) => (g.Type === 'TAG' ? `TAG:${g.Key}` : g.Key)) };
  const period = granularity === 'HOURLY' ? { Start: `${start}T00:00:00Z`, End: `${end}T00:00:00Z` } : { Start: start, End: end };
  const request = (services: string[]) => ({
    TimePeriod: period,
    Granularity: granularity as 'DAILY' | 'HOURLY' | 'MONTHLY',
    Metrics: [metric, 'UsageQuantity'],
    Filter: { Dimensions: { Key: 'SERVICE' as const, Values: services } },
    GroupBy: groupBy,
  });
  if (flags.dryRun) {
    const services = flags.service ?? ['<every SERVICE containing "Bedrock", from GetDimensionValues(SERVICE, SearchString "Bedrock")>'];
    ctx.out(
      render(
        'json',
        {
          schemaVersion: 1,
          kind: 'cost-explorer-request',
          region: flags.region ?? 'us-east-1',
          operation: 'GetCostAndUsage',
          request: request(services),
        },
        [],
        { color: false },
      ),
    );
    return ExitCode.Ok;
  }
  const sdk = await import('@aws-sdk/client-cost-explorer');
  const ce = await import('../aws/cost-explorer.js');
  const client = new sdk.CostExplorerClient({
    region: flags.region ?? 'us-east-1',
    maxAttempts: 5,
    ...(flags.profile ? { profile: flags.profile } : {}),
  });
  let services: string[];
  let results: Awaited<ReturnType<typeof ce.getCostAndUsage>>;
  try {
    services = flags.service ?? (await ce.bedrockServices(client, start, end));
    results = services.length > 0 ? await ce.getCostAndUsage(client, request(services)) : [];
  } catch (err) {
    throw explain(err);
  } finally {
    client.destroy();
  }
  const records = billingRecords(results, query);
  const since = Date.parse(`${start}T00:00:00Z`);
  const until = Date.parse(`${end}T00:00:00Z`);
  const db = openFromFlags(flags, ctx, projectConfig(), 'write');
  let replaced = 0;
  let billedNanos = 0n;
  try {
    const pricer = makePricer(db, projectConfig().prices);
    db.exec('BEGIN IMMEDIATE');
    try {
      // Restated days replace earlier rows of the same query instead of adding to them.
      replaced = db
        .prepare("DELETE FROM usage WHERE source = 'cost-explorer' AND ts >= ? AND ts < ? AND substr(source_id, 1, ?) = ?")
        .run(since, until, queryPrefix(query).length, queryPrefix(query)).changes;
      const runId = startRun(db, 'cost-explorer', `GetCostAndUsage ${start}..${lastDay}`, undefined, undefined, now);
      const writer = new UsageWriter(db);
      for (const r of records) {
        writer.write(toRow(r, 'cost-explorer', runId, pricer, dedupeKey('cost-explorer', r, 0)));
        billedNanos += r.reportedCostNanos ?? 0n;
      }
      writer.discard(); // the range's rollup is rebuilt from the rows below
      rebuildRollupRange(db, 'cost-explorer', since, until);
      finishRun(db, runId, 'ok', { read: records.length, inserted: records.length, duplicate: 0, rejected: 0, unpriced: 0 }, now);
      db.exec('COMMIT');
    } catch (err) {
      if (db.inTransaction) db.exec('ROLLBACK');
      throw err;
    }
  } finally {
    db.close();
  }
  const estimatedDays = results.filter((r) => r.Estimated).map((r) => r.TimePeriod?.Start ?? '');
  const payload = {
    schemaVersion: 1,
    kind: 'cost-explorer-ingest',
    range: { start, end },
    granularity,
    metric,
    services,
    periods: results.length,
    rows: records.length,
    replaced,
    billedNanos,
    billedUsd: nanosToDecimal(billedNanos),
    estimatedPeriods: estimatedDays,
  };
  ctx.out(
    render(
      format,
      payload,
      [
        {
          title: `Cost Explorer ${start}..${lastDay} (${granularity}, ${metric})`,
          columns: [
            { key: 'k', header: 'Item', kind: 'text' },
            { key: 'v', header: 'Value', kind: 'text' },
          ],
          rows: [
            { k: 'Services', v: services.join(', ') || '(no Bedrock spend found)' },
            { k: 'Billing rows stored', v: `${records.length} (${replaced} earlier rows of this range replaced)` },
            { k: 'Billed', v: `$${nanosToDecimal(billedNanos)}` },
            { k: 'Estimated periods', v: estimatedDays.join(', ') || 'none' },
          ],
        },
      ],
      { color: ctx.color },
    ),
  );
  return ExitCode.Ok;
}
