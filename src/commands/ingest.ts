/** `llmcost ingest [source] PATH...`: stream a source into the store, idempotently, one transaction per file. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import type { IngestSummary } from '../core/types.js';
import type { ClaudeCodeOptions } from '../ingest/claude-code/index.js';
import { parseMapFlags } from '../ingest/csv/columns.js';
import type { CsvOptions } from '../ingest/csv/index.js';
import { ACCEPT, adapterFor, detectSource } from '../ingest/index.js';
import { peek, resolveInputs } from '../ingest/input.js';
import { type IngestOptions, ingest } from '../ingest/pipeline.js';
import type { InputFile } from '../ingest/types.js';
import { ExitCode, formatLocation, UserError } from '../lib/errors.js';
import { offsetAt } from '../lib/time.js';
import { makePricer, unusedPriceWarnings } from '../pricing/load.js';
import { render } from '../render/index.js';
import { ingestJson, ingestTables } from '../render/ingest.js';
import type { Context } from './context.js';
import { registerCostExplorer } from './cost-explorer.js';
import {
  addDbOption,
  addFormatOptions,
  type CommonFlags,
  collect,
  listValues,
  openFromFlags,
  projectConfig,
  resolveFormat,
  resolveRange,
  resolveTz,
} from './options.js';

interface IngestFlags extends CommonFlags {
  dryRun?: boolean;
  skipInvalid?: boolean;
  force?: boolean;
  replace?: boolean;
  prices?: string;
  tagsAllow?: string[];
}

interface CsvFlags extends IngestFlags {
  map?: string[];
  delimiter?: string;
  cachedInInput?: boolean;
}

interface ClaudeFlags extends IngestFlags {
  user?: string;
  team?: string;
}

type Run = (fn: () => Promise<number>) => Promise<void>;

function addIngestOptions(cmd: Command): Command {
  cmd
    .option('--dry-run', 'read, check and price everything, write nothing')
    .option('--skip-invalid', 'store the valid lines and list the bad ones, instead of failing the file')
    .option('--force', 're-read files already ingested unchanged (rows already stored are still not duplicated)')
    .option('--replace', 'replace the rows earlier ingests stored from the same file path (a corrected export), rollup rebuilt')
    .option('--since <date>', 'with --replace: replace the source’s rows from this day (YYYY-MM-DD, in --tz), not by path')
    .option('--until <date>', 'with --replace: … to the end of this day; the file must hold no rows outside the range')
    .option('--tz <zone>', 'with --replace --since/--until: the zone of those days (default: the system zone)')
    .option('--prices <file>', 'user price file: overrides and additions to the catalog (see README "Prices")')
    .option('--tags-allow <keys>', 'store only tags with these keys (comma-separated; free-text tags only when named whole)', collect);
  addFormatOptions(cmd);
  return addDbOption(cmd);
}

export function registerIngest(program: Command, ctx: Context, run: Run): void {
  const ingestCmd = program
    .command('ingest')
    .description('load usage into the database; re-running adds nothing new (source detected from content, or named)')
    .argument('[paths...]', 'files, directories, or - for stdin; each file’s format is detected from its content')
    // The sources repeat ingest's own options: without this, `ingest csv F --json` would give --json to ingest.
    .enablePositionalOptions();
  addIngestOptions(ingestCmd);
  ingestCmd.addHelpText(
    'after',
    `
Sources: csv, litellm, bedrock-log, claude-code (run "llmcost ingest <source> --help").
Each file is its own transaction: a file that fails (bad lines without --skip-invalid, corrupt, source unknown)
is not stored, the other files are, and the exit code is 2. In a directory, files that are not usage data
(README.md, images, notes) are skipped with a note.
Examples:
  llmcost ingest spend-logs.jsonl.gz                  # detected: litellm
  llmcost ingest litellm /spend/logs-export.json
  llmcost ingest bedrock-log ./AWSLogs/123456789012/BedrockModelInvocationLogs/
  llmcost ingest claude-code                          # ~/.claude/projects by default`,
  );
  ingestCmd.action((paths: string[], flags: IngestFlags) =>
    run(async () => {
      if (paths.length === 0)
        throw new UserError('Give the files or directories to ingest.', {
          hint: 'Example: llmcost ingest usage.csv, or llmcost ingest litellm logs/',
        });
      return runIngest(paths, flags, ctx, 'auto', () => ({}));
    }),
  );

  const csv = ingestCmd
    .command('csv')
    .description('CSV exports with a header row; columns are recognized by common names')
    .argument('<paths...>', 'CSV files (.gz is read transparently), directories, or - for stdin')
    .option('--map <field=column>', 'say which column holds a field, e.g. --map timestamp=EventTime (repeatable)', collect)
    .option('--delimiter <char>', 'field delimiter', ',')
    .option('--cached-in-input', 'input token counts include cache reads/writes (OpenAI convention): subtract them')
    .option('--preset <name>', 'cur: an AWS Cost and Usage Report (legacy or CUR 2.0 columns), stored as the bill')
    .option('--all-services', 'with --preset cur: keep every service, not only Bedrock');
  addIngestOptions(csv);
  csv.addHelpText(
    'after',
    `
Recognized columns (case-insensitive; first match wins):
  timestamp  timestamp, date, time, created_at, start_time …   (ISO 8601, date only, epoch s/ms; no zone = UTC)
  model      model, model_id, model_name                        (required)
  tokens     input_tokens|prompt_tokens, output_tokens|completion_tokens, cache_read_tokens, cache_write_tokens
  who/what   user, team, api_key (alias, never a secret), endpoint|feature|route, provider, region, tags
  other      requests (aggregated lines), cost|spend|cost_usd (kept as the reported cost), id|request_id,
             service_tier (standard|default, batch, flex, priority) combined with batch (true/false), inference_geo

Examples:
  llmcost ingest csv usage.csv
  llmcost ingest csv export.csv.gz --map timestamp=EventTime --map user=Owner --skip-invalid
  cat usage.csv | llmcost ingest csv -`,
  );
  csv.action((paths: string[], flags: CsvFlags & { preset?: string; allServices?: boolean }) =>
    run(() => {
      if (flags.preset !== undefined) {
        if (flags.preset !== 'cur') throw new UserError(`--preset ${flags.preset}: the presets are: cur.`);
        return runIngest(paths, flags, ctx, 'cur', () => (flags.allServices ? { allServices: true } : {}));
      }
      const options: CsvOptions = { map: parseMapFlags(flags.map ?? []) };
      if (flags.delimiter) options.delimiter = flags.delimiter;
      if (flags.cachedInInput) options.cachedInInput = true;
      return runIngest(paths, flags, ctx, 'csv', () => options);
    }),
  );

  const litellm = ingestCmd
    .command('litellm')
    .description('LiteLLM proxy spend logs (LiteLLM_SpendLogs as JSON/JSONL/CSV, /spend/logs) and StandardLoggingPayload logs')
    .argument('<paths...>', 'files (.gz read transparently), directories (S3/GCS bucket layouts), or - for stdin');
  addIngestOptions(litellm);
  litellm.addHelpText(
    'after',
    `
The gateway's own cost (spend / response_cost) is kept as the reported cost; llmcost's computed cost is stored
beside it. prompt_tokens include cached tokens in LiteLLM: the cache counts (metadata.usage_object, else
response.usage) are subtracted so input, cache read and cache write are priced at their own rates. When
prompt_tokens may or may not include cache writes, the reading nearest the logged cost is kept and the computed
cost is marked uncertain. Cache hits cost $0 and count once across spend logs and callback payloads.`,
  );
  litellm.action((paths: string[], flags: IngestFlags) => run(() => runIngest(paths, flags, ctx, 'litellm', () => ({}))));

  const bedrock = ingestCmd
    .command('bedrock-log')
    .description('Amazon Bedrock model invocation logs (S3 delivery, JSON Lines / .json.gz; CloudWatch Logs exports)')
    .argument('<paths...>', 'files, directories (e.g. AWSLogs/<account>/BedrockModelInvocationLogs/), or - for stdin');
  addIngestOptions(bedrock);
  bedrock.addHelpText(
    'after',
    `
The user is the IAM principal (identity.arn, e.g. assumed-role/Role/session) unless requestMetadata has "user".
Records are priced with the Bedrock price of their model and source region.`,
  );
  bedrock.action((paths: string[], flags: IngestFlags) => run(() => runIngest(paths, flags, ctx, 'bedrock-log', () => ({}))));

  registerCostExplorer(ingestCmd, ctx, run);

  const claude = ingestCmd
    .command('claude-code')
    .description('Claude Code session transcripts (default: ~/.claude/projects and ~/.config/claude/projects)')
    .argument('[paths...]', 'files or directories (walked for *.jsonl)')
    .option('--user <name>', 'attribute this usage to a user (transcripts do not name one)')
    .option('--team <name>', 'attribute this usage to a team');
  addIngestOptions(claude);
  claude.action((paths: string[], flags: ClaudeFlags) =>
    run(() => {
      const options: ClaudeCodeOptions = {};
      if (flags.user) options.user = flags.user;
      if (flags.team) options.team = flags.team;
      return runIngest(paths.length > 0 ? paths : claudeDirs(ctx), flags, ctx, 'claude-code', () => options);
    }),
  );
}

function claudeDirs(ctx: Context): string[] {
  const dirs = [
    ...(ctx.env.claudeConfigDir ? ctx.env.claudeConfigDir.split(',').map((d) => join(d.trim(), 'projects')) : []),
    join(ctx.env.home, '.config', 'claude', 'projects'),
    join(ctx.env.home, '.claude', 'projects'),
  ].filter((d) => existsSync(d));
  if (dirs.length === 0) {
    throw new UserError('No Claude Code logs found in ~/.claude/projects or ~/.config/claude/projects.', {
      hint: 'Give the directory: llmcost ingest claude-code PATH (or set CLAUDE_CONFIG_DIR).',
    });
  }
  return dirs;
}

/**
 * Groups inputs by source (detecting each file's source when `source` is "auto") and ingests each group.
 * Every file is read, each in its own transaction: a file that fails is listed with its error and the run
 * ends with exit 2 after the others are stored. With auto-detection, a file found in a directory whose
 * source cannot be told (a README, an image) is skipped with a note; one named on the command line fails.
 */
async function runIngest(
  paths: string[],
  flags: IngestFlags,
  ctx: Context,
  source: string,
  adapterOptions: () => unknown,
): Promise<number> {
  const format = resolveFormat(flags);
  const inputs = resolveInputs(paths, ACCEPT[source]);
  if (inputs.length === 0) {
    throw new UserError(`No input files found in ${paths.join(', ')}.`, {
      hint: 'Give files, a directory that contains them, or - for stdin.',
    });
  }
  const replace = replaceOption(flags, ctx, inputs);
  const groups = new Map<string, InputFile[]>();
  const undetected = emptySummary(false);
  if (source === 'auto') {
    for (const input of inputs) {
      const nonData = input.inDirectory ? NON_DATA.exec(input.name)?.[0] : undefined;
      let detected: Awaited<ReturnType<typeof detect>>;
      try {
        detected = nonData ? undefined : await detect(input);
      } catch (err) {
        // A file that cannot be read (a dangling or looping link, a corrupt .gz) fails alone, as in ingest.
        if (!(err instanceof UserError)) throw err;
        const none = { file: input.name, source: 'unknown', read: 0, inserted: 0, duplicate: 0, rejected: 0, unpriced: 0 };
        undetected.files.push({ ...none, error: err.message });
        undetected.failures.push({ file: input.name, message: err.message, hint: err.hint });
        continue;
      }
      if (detected) {
        ctx.err(`${input.name}: detected ${detected.source}\n`);
        groups.set(detected.source, [...(groups.get(detected.source) ?? []), detected.input]);
        continue;
      }
      const none = { file: input.name, source: 'unknown', read: 0, inserted: 0, duplicate: 0, rejected: 0, unpriced: 0 };
      if (input.inDirectory) {
        const reason = nonData ? `not a usage file (${nonData.toLowerCase()})` : 'not a usage file (cannot tell which source it is from)';
        ctx.err(`${input.name}: skipped, ${reason}\n`);
        undetected.files.push({ ...none, skipped: 'unrecognized', reason });
      } else {
        const message = `${input.name}: cannot tell which source this file is from.`;
        undetected.files.push({ ...none, error: message });
        undetected.failures.push({ file: input.name, message, hint: 'Name it: llmcost ingest csv|litellm|bedrock-log|claude-code PATH.' });
      }
    }
  } else {
    groups.set(source, inputs);
  }
  const db = openFromFlags(flags, ctx, projectConfig(), 'write');
  let summary: IngestSummary;
  try {
    const summaries: IngestSummary[] = [undetected];
    const pricer = makePricer(db, flags.prices ?? projectConfig().prices, projectConfig());
    for (const [id, files] of groups) {
      const adapter = adapterFor(id);
      if (!adapter) throw new UserError(`Unknown source "${id}".`);
      summaries.push(
        await ingest(db, adapter, id, files, adapterOptions() as never, pricer, {
          ...commonOptions(flags, ctx),
          ...(replace ? { replace } : {}),
        }),
      );
    }
    for (const w of unusedPriceWarnings(pricer, 'record ingested')) ctx.err(w);
    summary = merge(summaries, inputs);
  } finally {
    if (ctx.stderrTTY) ctx.err('\r\u001b[K');
    db.close();
  }
  report(summary, format, ctx);
  if (summary.failures.length > 0) throw failedFiles(summary);
  return ExitCode.Ok;
}

/**
 * --replace: by file path, or with --since/--until every row of the source in those days (one file only: each
 * file is its own transaction, and a second file would replace the first one's rows).
 */
function replaceOption(flags: IngestFlags, ctx: Context, inputs: InputFile[]): IngestOptions['replace'] {
  const ranged = flags.since !== undefined || flags.until !== undefined;
  if (!flags.replace) {
    if (ranged) throw new UserError('--since/--until on ingest go with --replace.', { hint: 'Add --replace, or drop them.' });
    return undefined;
  }
  if (!ranged) {
    if (inputs.some((i) => i.name === '-'))
      throw new UserError('--replace by file path cannot name stdin (-).', {
        hint: 'Give the days it replaces: --replace --since D --until D.',
      });
    return 'file';
  }
  if (flags.since === undefined || flags.until === undefined)
    throw new UserError('--replace with a range needs both --since and --until.', {
      hint: 'Example: --replace --since 2026-10-05 --until 2026-10-05',
    });
  if (inputs.length !== 1)
    throw new UserError(`--replace --since/--until takes one file, got ${inputs.length}.`, {
      hint: 'Ingest one corrected export per run, or drop --since/--until to replace each file by its path.',
    });
  const tz = resolveTz(flags);
  const { since = 0, until = 0 } = resolveRange(flags, tz, ctx.now());
  // Day-only rows are dates: compared with the range's wall-clock times, as reports do.
  const wall = (ms: number): number => ms + offsetAt(ms, tz);
  return { since, until, wallSince: wall(since), wallUntil: wall(until) };
}

/** Extensions that are never usage data: skipped when met in a directory given to auto-detection. */
const NON_DATA = /\.(md|markdown|rst|adoc|html?|pdf|png|jpe?g|gif|svg|webp|ico)$/i;

async function detect(input: InputFile): Promise<{ source: string; input: InputFile } | undefined> {
  const { head, input: replay } = await peek(input, 16 * 1024);
  const source = detectSource(head);
  return source ? { source, input: replay } : undefined;
}

/** The run's one error when files were not stored: names each, with the advice of the error when there is one. */
function failedFiles(summary: IngestSummary): UserError {
  const failed = summary.failures;
  const stored = summary.files.filter((f) => f.error === undefined && f.skipped === undefined).length;
  const others = stored > 0 && !summary.dryRun ? `; the other ${stored === 1 ? 'file was' : `${stored} files were`}` : '';
  const hints = [...new Set(failed.map((f) => f.hint).filter((h) => h !== undefined))];
  const hint = hints.length > 0 ? hints.join(' ') : undefined;
  if (failed.length === 1) {
    const [f] = failed;
    return new UserError(`${f?.message} Nothing from it was stored${others}.`, hint === undefined ? {} : { hint });
  }
  const lines = failed.map((f) => `\n  ${f.message}`).join('');
  return new UserError(
    `${failed.length} of ${summary.files.length} files were not stored${others}:${lines}`,
    hint === undefined ? {} : { hint },
  );
}

function commonOptions(flags: IngestFlags, ctx: Context): IngestOptions {
  const options: IngestOptions = { now: ctx.now };
  if (flags.dryRun) options.dryRun = true;
  if (flags.skipInvalid) options.skipInvalid = true;
  if (flags.force) options.force = true;
  if (flags.tagsAllow) options.tagsAllow = new Set(listValues(flags.tagsAllow) ?? []);
  if (ctx.stderrTTY) options.onProgress = progressBar(ctx);
  return options;
}

/** Records, MB/s and ETA on stderr, redrawn at most five times a second; only on a terminal. */
function progressBar(ctx: Context): NonNullable<IngestOptions['onProgress']> {
  let start = 0;
  let file = '';
  let last = 0;
  return (p) => {
    const t = Date.now();
    if (p.file !== file) {
      file = p.file;
      start = t;
    }
    if (t - last < 200) return;
    last = t;
    const secs = Math.max((t - start) / 1000, 0.001);
    const mbps = p.bytes / 1e6 / secs;
    const eta = p.totalBytes && p.bytes > 0 ? Math.max(0, ((p.totalBytes - p.bytes) / p.bytes) * secs) : undefined;
    const pct = p.totalBytes ? ` ${Math.min(100, Math.floor((p.bytes / p.totalBytes) * 100))}%` : '';
    ctx.err(
      `\r\u001b[K${p.file}${pct}  ${p.records.toLocaleString('en-US')} records  ${mbps.toFixed(1)} MB/s${eta === undefined ? '' : `  ETA ${Math.ceil(eta)}s`}`,
    );
  };
}

function emptySummary(dryRun: boolean): IngestSummary {
  return {
    files: [],
    totals: { read: 0, inserted: 0, duplicate: 0, rejected: 0, unpriced: 0 },
    unpricedModels: [],
    uncertainCosts: [],
    issues: [],
    warnings: [],
    failures: [],
    redacted: 0,
    dryRun,
  };
}

/** One summary for the run, files in the order they were given (auto-detection groups them by source). */
function merge(list: IngestSummary[], inputs: InputFile[]): IngestSummary {
  const out = emptySummary(list.some((s) => s.dryRun));
  for (const s of list) {
    out.files.push(...s.files);
    out.issues.push(...s.issues);
    out.warnings.push(...s.warnings);
    out.failures.push(...s.failures);
    out.unpricedModels.push(...s.unpricedModels);
    out.uncertainCosts.push(...s.uncertainCosts);
    out.redacted += s.redacted;
    for (const k of Object.keys(out.totals) as (keyof IngestSummary['totals'])[]) out.totals[k] += s.totals[k];
  }
  const order = new Map<string, number>();
  inputs.forEach((input, i) => {
    if (!order.has(input.name)) order.set(input.name, i);
  });
  const rank = (file: string): number => order.get(file) ?? inputs.length;
  out.files.sort((a, b) => rank(a.file) - rank(b.file));
  out.failures.sort((a, b) => rank(a.file) - rank(b.file));
  return out;
}

function report(summary: IngestSummary, format: ReturnType<typeof resolveFormat>, ctx: Context): void {
  for (const issue of summary.issues) ctx.err(`${formatLocation(issue)}: ${issue.message}\n`);
  for (const w of summary.warnings) ctx.err(`${formatLocation(w)}: warning: ${w.message}\n`);
  ctx.out(render(format, ingestJson(summary), ingestTables(summary), { color: ctx.color }));
}
