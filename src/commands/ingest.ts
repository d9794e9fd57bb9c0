/** `llmcost ingest [source] PATH...`: stream a source into the store, idempotently, one transaction per file. */
import type { Command } from 'commander';
import type { IngestSummary } from '../core/types.js';
import { acceptsFor, adapterFor, detectSource, SOURCES } from '../ingest/index.js';
import { peek, resolveInputs } from '../ingest/input.js';
import { emptySummary, type IngestOptions, ingest } from '../ingest/pipeline.js';
import type { InputFile } from '../ingest/types.js';
import { ExitCode, formatLocation, UserError } from '../lib/errors.js';
import { offsetAt } from '../lib/time.js';
import { makePricer, unusedPriceWarnings } from '../pricing/load.js';
import { render } from '../render/index.js';
import { ingestJson, ingestTables } from '../render/ingest.js';
import type { Context } from './context.js';
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

/** The sources that have a subcommand of their own. */
const NAMED = SOURCES.flatMap((s) => (s.command ? [s.id] : []));

/** Registers `ingest` and a subcommand per source in SOURCES; returns `ingest` (registry.ts adds `ingest cost-explorer`). */
export function registerIngest(program: Command, ctx: Context, run: Run): Command {
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
Sources: ${NAMED.join(', ')} (run "llmcost ingest <source> --help").
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
      return runIngest(paths, flags, ctx, 'auto', {});
    }),
  );

  for (const source of SOURCES) {
    const c = source.command;
    if (!c) continue;
    const sub = ingestCmd.command(source.id).description(c.description).argument(c.argument.name, c.argument.description);
    for (const o of c.options ?? []) {
      if (o.repeatable) sub.option(o.flags, o.description, collect);
      else if (o.default !== undefined) sub.option(o.flags, o.description, o.default);
      else sub.option(o.flags, o.description);
    }
    addIngestOptions(sub);
    if (c.help) sub.addHelpText('after', c.help);
    sub.action((paths: string[], flags: IngestFlags & Record<string, unknown>) =>
      run(() => {
        const { source: id = source.id, options } = c.select?.(flags) ?? { options: {} };
        const given = paths.length === 0 && c.defaultPaths ? c.defaultPaths(ctx.env) : paths;
        return runIngest(given, flags, ctx, id, options);
      }),
    );
  }
  return ingestCmd;
}

/**
 * Groups inputs by source (detecting each file's source when `source` is "auto") and ingests each group.
 * Every file is read, each in its own transaction: a file that fails is listed with its error and the run
 * ends with exit 2 after the others are stored. With auto-detection, a file found in a directory whose
 * source cannot be told (a README, an image) is skipped with a note; one named on the command line fails.
 */
async function runIngest(paths: string[], flags: IngestFlags, ctx: Context, source: string, adapterOptions: unknown): Promise<number> {
  const format = resolveFormat(flags);
  const inputs = resolveInputs(paths, acceptsFor(source));
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
        undetected.failures.push({ file: input.name, message, hint: `Name it: llmcost ingest ${NAMED.join('|')} PATH.` });
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
        await ingest(db, adapter, id, files, (id === source ? adapterOptions : {}) as never, pricer, {
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
