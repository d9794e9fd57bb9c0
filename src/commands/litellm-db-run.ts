/**
 * `llmcost ingest litellm --database-url …`: reads LiteLLM's PostgreSQL page by page into the ingest pipeline the
 * files go through. Each page is fetched first, then stored in its own SQLite transaction with its ingest run,
 * whose recorded time is the cursor: no transaction is held across a network call, and a run stopped midway
 * keeps the pages it stored and goes on from there next time.
 */
import { Readable } from 'node:stream';
import type { Context } from '../core/context.js';
import type { IngestSummary } from '../core/types.js';
import type { Obj } from '../ingest/fields.js';
import {
  type Connection,
  checkDatabaseUrl,
  connect,
  DAILY_TABLES,
  type DailyFrom,
  dailyReader,
  explain,
  libpqUrl,
  SPEND_LOGS,
  spendLogReader,
} from '../ingest/litellm/postgres.js';
import { dailyItem, spendLogItem } from '../ingest/litellm/rows.js';
import { emptySummary, type IngestOptions, ingest, noRows } from '../ingest/pipeline.js';
import type { IngestAdapter, InputFile, ParsedItem } from '../ingest/types.js';
import { ExitCode, UserError } from '../lib/errors.js';
import { DAY_MS, parseTimestamp } from '../lib/time.js';
import { makePricer, unusedPriceWarnings } from '../pricing/load.js';
import { sourceCursor } from '../store/queries/usage.js';
import type { IngestFlags } from './ingest.js';
import { commonOptions, report } from './ingest-run.js';
import { openFromFlags, projectConfig, resolveTz } from './open.js';
import { resolveFormat, resolveRange } from './options.js';

export interface LitellmDbFlags extends IngestFlags {
  databaseUrl?: string;
  from?: string;
  overlap?: string;
  pageSize?: string;
}

/** Rows LiteLLM writes late: spend logs are queued and written in batches, and a long streaming call's row carries its start. */
const DEFAULT_OVERLAP_MS = 2 * 3_600_000;
const DEFAULT_PAGE = 5000;
/** Daily rows are stored by day and replaced when re-read (today's row grows until the day ends). */
const DAILY_SOURCE = 'litellm-daily';

/** An adapter over rows already read: the pipeline's reader for one page. */
const pageAdapter: IngestAdapter<{ items: ParsedItem[] }> = {
  id: 'litellm',
  description: 'rows read from LiteLLM’s PostgreSQL',
  accepts: () => false,
  async *read(_input, options) {
    yield options.items;
  },
};

export async function runLitellmDb(paths: string[], flags: LitellmDbFlags, ctx: Context): Promise<number> {
  const format = resolveFormat(flags);
  if (paths.length > 0) {
    throw new UserError('Give files or --database-url, not both.', { hint: 'Run one ingest for the files and another for the database.' });
  }
  const given = flags.databaseUrl !== undefined ? { url: flags.databaseUrl, from: '--database-url' } : ctx.env.litellmDatabaseUrl;
  if (!given) throw new UserError('No database URL.', { hint: 'Pass --database-url, or set LITELLM_DATABASE_URL.' });
  if (flags.replace) {
    throw new UserError('--replace goes with files, not --database-url.', {
      hint: 'A database is read incrementally and its rows are identified by request_id; re-read days with --since.',
    });
  }
  const from = fromOption(flags.from);
  const overlap = flags.overlap === undefined ? DEFAULT_OVERLAP_MS : spanMs(flags.overlap);
  const pageSize = flags.pageSize === undefined ? DEFAULT_PAGE : pageSizeOption(flags.pageSize);
  const range = resolveRange(flags, resolveTz(flags), ctx.now());
  checkDatabaseUrl(given.url, given.from);

  const conn = await connect(libpqUrl(given.url, ctx.env.pgSsl));
  try {
    return from === 'spend-logs'
      ? await spendLogs(conn, flags, ctx, format, { ...range, overlap, pageSize })
      : await daily(conn, from, flags, ctx, format, { ...range, overlap, pageSize });
  } finally {
    await conn.client.end().catch(() => {});
  }
}

interface Plan {
  since?: number;
  until?: number;
  overlap: number;
  pageSize: number;
}

/** PostgreSQL's TIMESTAMP text for an instant (LiteLLM's times are UTC without a zone). */
const pgTime = (ms: number): string => new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
const iso = (ms: number): string => new Date(ms).toISOString();

async function spendLogs(
  conn: Connection,
  flags: LitellmDbFlags,
  ctx: Context,
  format: ReturnType<typeof resolveFormat>,
  plan: Plan,
): Promise<number> {
  const reader = await spendLogReader(conn);
  for (const t of reader.skipped) {
    ctx.err(`${conn.label}: "${t}" cannot be read (missing or no SELECT): rows are not enriched from it.\n`);
  }
  const identity = `${conn.identity} "${SPEND_LOGS}"`;
  const db = openFromFlags(flags, ctx, projectConfig(), 'write');
  const pages: IngestSummary[] = [];
  let failed: IngestSummary | undefined;
  try {
    const cursor = sourceCursor(db, 'litellm', identity);
    const start = plan.since ?? (cursor === undefined ? undefined : cursor - plan.overlap);
    ctx.err(
      `${conn.label}: reading "${SPEND_LOGS}" ${
        plan.since !== undefined
          ? `from ${iso(plan.since)} (--since)`
          : cursor !== undefined
            ? `from ${iso(cursor - plan.overlap)} (the cursor ${iso(cursor)} less the ${spanText(plan.overlap)} overlap)`
            : 'from its first row'
      }${plan.until !== undefined ? ` to ${iso(plan.until)}` : ''}\n`,
    );
    const pricer = makePricer(db, flags.prices ?? projectConfig().prices, projectConfig());
    const options = commonOptions(flags, ctx);
    let after = { startTime: start === undefined ? '-infinity' : pgTime(start), requestId: '' };
    const until = plan.until === undefined ? undefined : pgTime(plan.until);
    let n = 0;
    for (;;) {
      const rows = await reader.page(after, plan.pageSize, until);
      const last = rows.at(-1);
      if (!last) break;
      const items = rows.map((r) => spendLogItem(r as Obj, conn.label, ++n));
      const lastTime = String(last.startTime);
      const summary = await storePage(db, items, conn.label, identity, parseTimestamp(lastTime) ?? 0, pricer, options, 'litellm');
      pages.push(summary);
      if (summary.failures.length > 0) {
        failed = summary;
        break;
      }
      after = { startTime: lastTime, requestId: String(last.request_id) };
      if (rows.length < plan.pageSize) break;
    }
    for (const w of unusedPriceWarnings(pricer, 'record ingested')) ctx.err(w);
  } catch (err) {
    throw explain(err, conn.label);
  } finally {
    if (ctx.stderrTTY) ctx.err('\r\u001b[K');
    db.close();
  }
  return finish(pages, failed, 'litellm', conn.label, format, ctx, flags.dryRun === true);
}

/**
 * `--from daily…`: every row of the range is read first, then stored in one transaction that replaces the rows
 * earlier runs stored from that table for those days (a day's row grows until the day ends, and is re-read).
 */
async function daily(
  conn: Connection,
  from: DailyFrom,
  flags: LitellmDbFlags,
  ctx: Context,
  format: ReturnType<typeof resolveFormat>,
  plan: Plan,
): Promise<number> {
  const reader = await dailyReader(conn, from);
  for (const t of reader.skipped) {
    ctx.err(`${conn.label}: "${t}" cannot be read (missing or no SELECT): rows are not enriched from it.\n`);
  }
  const identity = `${conn.identity} "${reader.table}"`;
  const db = openFromFlags(flags, ctx, projectConfig(), 'write');
  let summary: IngestSummary;
  try {
    const cursor = sourceCursor(db, DAILY_SOURCE, identity);
    // Whole days: from the day of --since, else the day of the cursor (the last day read) less the overlap: with
    // the default 2h, the day before it too (LiteLLM adds a late request to its day's row after midnight).
    const back = cursor === undefined ? undefined : cursor - plan.overlap;
    const since = plan.since ?? back;
    const first = since === undefined ? undefined : Math.floor(since / DAY_MS) * DAY_MS;
    const until = plan.until === undefined ? undefined : Math.ceil(plan.until / DAY_MS) * DAY_MS;
    ctx.err(
      `${conn.label}: reading "${reader.table}" (one line per day, ${reader.entity}, key, model and endpoint: no request times, ` +
        `status, end users, regions or request tags) ${first === undefined ? 'from its first day' : `from ${iso(first).slice(0, 10)}`}` +
        `${until === undefined ? '' : ` to ${iso(until - DAY_MS).slice(0, 10)}`}; stored as source ${DAILY_SOURCE}, replacing the same days.\n`,
    );
    const rows: Obj[] = [];
    let after = { date: first === undefined ? '' : iso(first).slice(0, 10), id: '' };
    const untilDate = until === undefined ? undefined : iso(until).slice(0, 10);
    for (;;) {
      const page = await reader.page(after, plan.pageSize, untilDate);
      const last = page.at(-1);
      if (!last) break;
      rows.push(...(page as Obj[]));
      after = { date: String(last.date), id: String(last.id) };
      if (page.length < plan.pageSize) break;
    }
    const pricer = makePricer(db, flags.prices ?? projectConfig().prices, projectConfig());
    const lastDay = rows.length === 0 ? undefined : Date.parse(`${String(rows.at(-1)?.date)}T00:00:00Z`);
    if (lastDay === undefined || Number.isNaN(lastDay)) {
      summary = emptySummary(flags.dryRun === true);
    } else {
      const lo = first ?? Date.parse(`${String(rows[0]?.date)}T00:00:00Z`);
      const hi = until ?? lastDay + DAY_MS;
      const items = rows.map((r, i) => dailyItem(r, reader.table, DAILY_TABLES[from].entity, conn.label, i + 1));
      const replace = { since: lo, until: hi, wallSince: lo, wallUntil: hi };
      summary = await storePage(db, items, conn.label, identity, lastDay, pricer, { ...commonOptions(flags, ctx), replace }, DAILY_SOURCE);
    }
    for (const w of unusedPriceWarnings(pricer, 'record ingested')) ctx.err(w);
  } catch (err) {
    throw explain(err, conn.label);
  } finally {
    if (ctx.stderrTTY) ctx.err('\r\u001b[K');
    db.close();
  }
  const failed = summary.failures.length > 0 ? summary : undefined;
  return finish([summary], failed, DAILY_SOURCE, conn.label, format, ctx, flags.dryRun === true);
}

/** One page through the pipeline, as one input in one transaction; its run records `cursorMs` as the cursor. */
function storePage(
  db: Parameters<typeof ingest>[0],
  items: ParsedItem[],
  label: string,
  identity: string,
  cursorMs: number,
  pricer: Parameters<typeof ingest>[5],
  options: IngestOptions,
  source: string,
): Promise<IngestSummary> {
  const input: InputFile = { name: label, identity, open: () => Readable.from([]), mtimeMs: cursorMs };
  return ingest(db, pageAdapter, source, [input], { items }, pricer, options);
}

/** The pages as one line of the summary (the database), rendered; a page that failed stops the run with exit 2. */
function finish(
  pages: IngestSummary[],
  failed: IngestSummary | undefined,
  source: string,
  label: string,
  format: ReturnType<typeof resolveFormat>,
  ctx: Context,
  dryRun: boolean,
): number {
  const out = emptySummary(dryRun);
  const line = noRows(label, source);
  const extra: { updated?: number; replaced?: number; redacted?: number; warnings?: number; error?: string } = {};
  const unpriced = new Map<string, IngestSummary['unpricedModels'][number]>();
  const uncertain = new Map<string, IngestSummary['uncertainCosts'][number]>();
  for (const p of pages) {
    for (const f of p.files) {
      line.read += f.read;
      line.inserted += f.inserted;
      line.duplicate += f.duplicate;
      line.rejected += f.rejected;
      line.unpriced += f.unpriced;
      for (const k of ['updated', 'replaced', 'redacted', 'warnings'] as const) {
        const v = f[k];
        if (v !== undefined) extra[k] = (extra[k] ?? 0) + v;
      }
      if (f.error !== undefined) extra.error = f.error;
    }
    out.issues.push(...p.issues);
    out.warnings.push(...p.warnings);
    out.redacted += p.redacted;
    for (const u of p.unpricedModels) {
      const key = `${u.provider}\u0000${u.model}`;
      const t = unpriced.get(key);
      if (t) {
        t.records += u.records;
        t.withReportedCost += u.withReportedCost;
      } else unpriced.set(key, { ...u });
    }
    for (const u of p.uncertainCosts) {
      const key = `${u.reason}\u0000${u.reading}\u0000${u.settledBy}`;
      const t = uncertain.get(key);
      if (t) t.records += u.records;
      else uncertain.set(key, { ...u });
    }
  }
  out.files.push({ ...line, ...extra });
  out.totals = { read: line.read, inserted: line.inserted, duplicate: line.duplicate, rejected: line.rejected, unpriced: line.unpriced };
  out.unpricedModels = [...unpriced.values()].sort((a, b) => b.records - a.records);
  out.uncertainCosts = [...uncertain.values()].sort((a, b) => b.records - a.records);
  report(out, format, ctx);
  if (!failed) return ExitCode.Ok;
  const f = failed.failures[0];
  const stored = pages.length - 1;
  throw new UserError(
    `${f?.message} That page was not stored${stored > 0 ? ` (the ${stored} page${stored === 1 ? '' : 's'} before it were)` : ''}; the cursor stays before it.`,
    f?.hint === undefined ? {} : { hint: f.hint },
  );
}

function fromOption(v: string | undefined): 'spend-logs' | DailyFrom {
  if (v === undefined || v === 'spend-logs') return 'spend-logs';
  if (v === 'daily') return 'daily-user';
  if (v in DAILY_TABLES) return v as DailyFrom;
  throw new UserError(`--from ${JSON.stringify(v)} is not a table llmcost reads.`, {
    hint: 'Use spend-logs (each request), daily (= daily-user), daily-team or daily-tag.',
  });
}

/** --overlap: 0, or minutes, hours or days (30m, 2h, 1d). */
function spanMs(v: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([mhd])$/.exec(v.trim());
  if (v.trim() === '0') return 0;
  if (!m) throw new UserError(`--overlap ${JSON.stringify(v)} is not a span.`, { hint: 'Use minutes, hours or days: 30m, 2h, 1d (or 0).' });
  return Math.round(Number(m[1]) * (m[2] === 'm' ? 60_000 : m[2] === 'h' ? 3_600_000 : DAY_MS));
}

const spanText = (ms: number): string =>
  ms % DAY_MS === 0 && ms > 0 ? `${ms / DAY_MS}d` : ms % 3_600_000 === 0 ? `${ms / 3_600_000}h` : `${ms / 60_000}m`;

function pageSizeOption(v: string): number {
  const n = /^\d+$/.test(v.trim()) ? Number(v) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < 1 || n > 100_000) {
    throw new UserError(`--page-size ${JSON.stringify(v)} is not a number of rows from 1 to 100000.`, { hint: 'The default is 5000.' });
  }
  return n;
}
