/** `llmcost ingest`: what runs (loaded by the action in ingest.ts, so `--help` loads none of it). */

import type { Context } from '../core/context.js';
import type { IngestSummary } from '../core/types.js';
import { acceptsFor, adapterFor, detectSource } from '../ingest/index.js';
import { peek, resolveInputs } from '../ingest/input.js';
import { emptySummary, type IngestOptions, ingest, noRows } from '../ingest/pipeline.js';
import type { InputFile } from '../ingest/types.js';
import { ExitCode, formatLocation, UserError } from '../lib/errors.js';
import { offsetAt } from '../lib/time.js';
import { makePricer, unusedPriceWarnings } from '../pricing/load.js';
import { render } from '../render/index.js';
import { ingestJson, ingestTables } from '../render/ingest.js';
import { FILE_SOURCES, type IngestFlags } from './ingest.js';

import { openFromFlags, projectConfig, resolveTz } from './open.js';
import { listValues, resolveFormat, resolveRange } from './options.js';

/**
 * Groups inputs by source (detecting each file's source when `source` is "auto") and ingests each group.
 * Every file is read, each in its own transaction: a file that fails is listed with its error and the run
 * ends with exit 2 after the others are stored. With auto-detection, a file found in a directory whose
 * source cannot be told (a README, an image) is skipped with a note; one named on the command line fails.
 */
export async function runIngest(
  paths: string[],
  flags: IngestFlags,
  ctx: Context,
  source: string,
  adapterOptions: unknown,
): Promise<number> {
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
        const none = noRows(input.name, 'unknown');
        undetected.files.push({ ...none, error: err.message });
        undetected.failures.push({ file: input.name, message: err.message, hint: err.hint });
        continue;
      }
      if (detected) {
        ctx.err(`${input.name}: detected ${detected.source}\n`);
        groups.set(detected.source, [...(groups.get(detected.source) ?? []), detected.input]);
        continue;
      }
      const none = noRows(input.name, 'unknown');
      if (input.inDirectory) {
        const reason = nonData ? `not a usage file (${nonData.toLowerCase()})` : 'not a usage file (cannot tell which source it is from)';
        ctx.err(`${input.name}: skipped, ${reason}\n`);
        undetected.files.push({ ...none, skipped: 'unrecognized', reason });
      } else {
        const message = `${input.name}: cannot tell which source this file is from.`;
        undetected.files.push({ ...none, error: message });
        undetected.failures.push({ file: input.name, message, hint: `Name it: llmcost ingest ${FILE_SOURCES.join('|')} PATH.` });
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

export function commonOptions(flags: IngestFlags, ctx: Context): IngestOptions {
  const options: IngestOptions = { now: ctx.now, worker: ctx.env.ingestWorker };
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

export function report(summary: IngestSummary, format: ReturnType<typeof resolveFormat>, ctx: Context): void {
  for (const issue of summary.issues) ctx.err(`${formatLocation(issue)}: ${issue.message}\n`);
  for (const w of summary.warnings) ctx.err(`${formatLocation(w)}: warning: ${w.message}\n`);
  ctx.out(render(format, ingestJson(summary), ingestTables(summary), ctx.view));
}
