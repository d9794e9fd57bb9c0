/** `llmcost ingest <source> FILE...`: stream a source into the store, idempotently, one transaction per file. */
import type { Command } from 'commander';
import { parseMapFlags } from '../ingest/csv/columns.js';
import { csvAdapter } from '../ingest/csv/index.js';
import { resolveInputs } from '../ingest/input.js';
import { IngestError, type IngestSummary, ingest } from '../ingest/pipeline.js';
import { ExitCode, formatLocation, UserError } from '../lib/errors.js';
import { makePricer } from '../pricing/load.js';
import { render } from '../render/index.js';
import { ingestJson, ingestTables } from '../render/ingest.js';
import type { Context } from './context.js';
import { addDbOption, addFormatOptions, type CommonFlags, collect, openFromFlags, resolveFormat } from './options.js';

interface IngestFlags extends CommonFlags {
  dryRun?: boolean;
  skipInvalid?: boolean;
  force?: boolean;
  prices?: string;
}

interface CsvFlags extends IngestFlags {
  map?: string[];
  delimiter?: string;
  cachedInInput?: boolean;
}

function addIngestOptions(cmd: Command): Command {
  cmd
    .option('--dry-run', 'read, check and price everything, write nothing')
    .option('--skip-invalid', 'store the valid lines and list the bad ones, instead of failing the file')
    .option('--force', 're-read files that were already ingested unchanged (rows already stored are still not duplicated)')
    .option('--prices <file>', 'user price file: overrides and additions to the catalog (see README "Prices")');
  addFormatOptions(cmd);
  return addDbOption(cmd);
}

export function registerIngest(program: Command, ctx: Context, run: (fn: () => Promise<number>) => Promise<void>): void {
  const ingestCmd = program.command('ingest').description('load usage into the database (re-running adds nothing new)');
  const csv = ingestCmd
    .command('csv')
    .description('CSV exports with a header row; columns are recognized by common names')
    .argument('<files...>', 'CSV files (.gz is read transparently), directories, or - for stdin')
    .option('--map <field=column>', 'say which column holds a field, e.g. --map timestamp=EventTime (repeatable)', collect)
    .option('--delimiter <char>', 'field delimiter', ',')
    .option('--cached-in-input', 'input token counts include cache reads/writes (OpenAI convention): subtract them');
  addIngestOptions(csv);
  csv.addHelpText(
    'after',
    `
Recognized columns (case-insensitive; first match wins):
  timestamp  timestamp, date, time, created_at, start_time …   (ISO 8601, date only, epoch s/ms; no zone = UTC)
  model      model, model_id, model_name                        (required)
  tokens     input_tokens|prompt_tokens, output_tokens|completion_tokens, cache_read_tokens, cache_write_tokens
  who/what   user, team, api_key (alias, never a secret), endpoint|feature|route, provider, region, tags
  other      requests (aggregated lines), cost|spend|cost_usd (kept as the reported cost), id|request_id, service_tier

Examples:
  llmcost ingest csv usage.csv
  llmcost ingest csv export.csv.gz --map timestamp=EventTime --map user=Owner --skip-invalid
  cat usage.csv | llmcost ingest csv -`,
  );
  csv.action((files: string[], flags: CsvFlags) =>
    run(() => {
      const options = {
        map: parseMapFlags(flags.map ?? []),
        ...(flags.delimiter ? { delimiter: flags.delimiter } : {}),
        ...(flags.cachedInInput ? { cachedInInput: true } : {}),
      };
      return runIngest(
        files,
        flags,
        ctx,
        (db, inputs, common) => ingest(db, csvAdapter, 'csv', inputs, options, makePricer(db, flags.prices), common),
        (n) => /\.(csv|tsv|txt)(\.gz)?$/i.test(n),
      );
    }),
  );
}

type Runner = (
  db: ReturnType<typeof openFromFlags>,
  inputs: ReturnType<typeof resolveInputs>,
  common: Parameters<typeof ingest>[6],
) => Promise<IngestSummary>;

export async function runIngest(
  files: string[],
  flags: IngestFlags,
  ctx: Context,
  runner: Runner,
  accept?: (name: string) => boolean,
): Promise<number> {
  const format = resolveFormat(flags);
  const inputs = resolveInputs(files, accept);
  if (inputs.length === 0)
    throw new UserError(`No input files found in ${files.join(', ')}.`, {
      hint: 'Give files, a directory that contains them, or - for stdin.',
    });
  const db = openFromFlags(flags, ctx);
  try {
    let lastDraw = 0;
    const summary = await runner(db, inputs, {
      ...(flags.dryRun ? { dryRun: true } : {}),
      ...(flags.skipInvalid ? { skipInvalid: true } : {}),
      ...(flags.force ? { force: true } : {}),
      now: ctx.now,
      ...(ctx.stderrTTY
        ? {
            onProgress: ({ file, records }: { file: string; records: number }) => {
              const t = Date.now();
              if (t - lastDraw < 200) return;
              lastDraw = t;
              ctx.err(`\r\u001b[K${file}: ${records.toLocaleString('en-US')} records…`);
            },
          }
        : {}),
    });
    if (ctx.stderrTTY) ctx.err('\r\u001b[K');
    report(summary, format, ctx);
    return ExitCode.Ok;
  } catch (err) {
    if (err instanceof IngestError) {
      if (ctx.stderrTTY) ctx.err('\r\u001b[K');
      report(err.summary, format, ctx);
    }
    throw err;
  } finally {
    db.close();
  }
}

function report(summary: IngestSummary, format: ReturnType<typeof resolveFormat>, ctx: Context): void {
  for (const issue of summary.issues) {
    ctx.err(
      `${formatLocation({ file: issue.file, line: issue.line, ...(issue.field !== undefined ? { field: issue.field } : {}) })}: ${issue.message}\n`,
    );
  }
  ctx.out(render(format, ingestJson(summary), ingestTables(summary), { color: ctx.color }));
}
