/**
 * `llmcost ingest langfuse`: what runs (loaded by the subcommand's action, so `--help` loads none of it). Every
 * page of generations and of their traces is fetched first, then stored through the ingest pipeline in one
 * transaction with its ingest run, whose recorded time (the newest start time read) is the cursor: no
 * transaction is held across a network call.
 */
import { Readable } from 'node:stream';
import type { Context } from '../core/context.js';
import { FieldError, type Obj, str } from '../ingest/fields.js';
import { cursorPage, generationRecord, generationV2Record, listPage, type TraceInfo, traceInfo } from '../ingest/langfuse/parse.js';
import { emptySummary, ingest } from '../ingest/pipeline.js';
import type { IngestAdapter, InputFile, ParsedItem, UsageRecord } from '../ingest/types.js';
import { DataError, ExitCode, UserError } from '../lib/errors.js';
import { getJson, HttpError } from '../lib/http.js';
import { DAY_MS } from '../lib/time.js';
import { makePricer, unusedPriceWarnings } from '../pricing/load.js';
import { render } from '../render/index.js';
import type { Db } from '../store/db.js';
import { sourceCursor } from '../store/queries/usage.js';
import type { IngestFlags } from './ingest.js';
import { commonOptions, report } from './ingest-run.js';
import { openFromFlags, openIfPresent, projectConfig, resolveTz } from './open.js';
import { resolveFormat, resolveRange, spanOption } from './options.js';

const SOURCE = 'langfuse';
const PUBLIC_ENV = 'LANGFUSE_PUBLIC_KEY';
const SECRET_ENV = 'LANGFUSE_SECRET_KEY';
const DEFAULT_HOST = 'https://cloud.langfuse.com';
/** Langfuse ingests asynchronously (SDKs batch and flush, the server queues): a generation can appear after later ones. */
const DEFAULT_OVERLAP_MS = 2 * 3_600_000;
const DEFAULT_SINCE_MS = 30 * DAY_MS;
/** A generation's trace usually starts before it: traces are listed from this far before the first generation. */
const TRACE_LOOKBACK_MS = DAY_MS;
/** Langfuse's v1 lists answer at most 100 items a page. */
const MAX_PAGE = 100;

interface LangfuseFlags extends IngestFlags {
  overlap?: string;
  endpointUrl?: string;
  pageSize?: string;
}

const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

function flagsOf(raw: Record<string, unknown>): LangfuseFlags {
  const f: LangfuseFlags = {};
  for (const k of ['db', 'format', 'since', 'until', 'tz', 'endpointUrl', 'prices', 'overlap', 'pageSize'] as const) {
    const v = text(raw[k]);
    if (v !== undefined) f[k] = v;
  }
  if (raw.json === true) f.json = true;
  if (raw.dryRun === true) f.dryRun = true;
  return f;
}

function overlapOf(v: string | undefined): number {
  if (v === undefined) return DEFAULT_OVERLAP_MS;
  if (v.trim() === '0') return 0;
  try {
    return spanOption(v);
  } catch {
    throw new UserError(`--overlap ${JSON.stringify(v)} is not a span.`, { hint: 'Use hours or days: 2h, 1d (or 0).' });
  }
}

/** The host: --endpoint-url, else LLMCOST_LANGFUSE_ENDPOINT_URL, else LANGFUSE_HOST, else Langfuse Cloud; no trailing slash. */
function hostOf(flags: LangfuseFlags, ctx: Context): string {
  const from =
    flags.endpointUrl !== undefined
      ? { value: flags.endpointUrl, name: '--endpoint-url' }
      : ['LLMCOST_LANGFUSE_ENDPOINT_URL', 'LANGFUSE_HOST']
          .map((n) => ({ value: ctx.env.lookup(n), name: n }))
          .find((e) => e.value !== undefined);
  const url = (from?.value ?? DEFAULT_HOST).replace(/\/+$/, '');
  if (!/^https?:\/\/[^/\s]+/.test(url)) {
    throw new UserError(`${from?.name} ${from?.value}: expected an http(s) URL, e.g. ${DEFAULT_HOST}.`);
  }
  return url;
}

function pageSizeOf(v: string | undefined): number {
  if (v === undefined) return MAX_PAGE;
  const n = /^\d+$/.test(v.trim()) ? Number(v) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < 1 || n > MAX_PAGE) {
    throw new UserError(`--page-size ${JSON.stringify(v)} is not a number of items from 1 to ${MAX_PAGE}.`, {
      hint: `The default is ${MAX_PAGE}.`,
    });
  }
  return n;
}

const iso = (ms: number): string => new Date(ms).toISOString();
const query = (pairs: [string, string][]): string => new URLSearchParams(pairs).toString();
const observationsUrl = (host: string, since: number, until: number, limit: number, page: number): string =>
  `${host}/api/public/observations?${query([
    ['type', 'GENERATION'],
    ['fromStartTime', iso(since)],
    ['toStartTime', iso(until)],
    ['limit', String(limit)],
    ['page', String(page)],
  ])}`;
/** Langfuse v4's observations (Langfuse Cloud removed the v1 lists on 2026-11-16): the trace's fields come with each. */
const observationsV2Url = (host: string, since: number, until: number, limit: number, cursor?: string): string =>
  `${host}/api/public/v2/observations?${query([
    ['type', 'GENERATION'],
    ['fromStartTime', iso(since)],
    ['toStartTime', iso(until)],
    ['fields', 'core,basic,usage,model,trace_context'],
    ['limit', String(limit)],
    ...(cursor === undefined ? [] : [['cursor', cursor] as [string, string]]),
  ])}`;
const tracesUrl = (host: string, since: number, until: number, limit: number, page: number): string =>
  `${host}/api/public/traces?${query([
    ['fromTimestamp', iso(since - TRACE_LOOKBACK_MS)],
    ['toTimestamp', iso(until)],
    ['fields', 'core'],
    ['limit', String(limit)],
    ['page', String(page)],
  ])}`;

export async function runLangfuse(raw: Record<string, unknown>, ctx: Context): Promise<number> {
  const flags = flagsOf(raw);
  const format = resolveFormat(flags);
  const now = ctx.now();
  const overlap = overlapOf(flags.overlap);
  const limit = pageSizeOf(flags.pageSize);
  const range = resolveRange(flags, resolveTz(flags), now);
  const host = hostOf(flags, ctx);
  const pk = ctx.env.lookup(PUBLIC_ENV);
  const sk = ctx.env.lookup(SECRET_ENV);
  if (!flags.dryRun && (pk === undefined || sk === undefined)) {
    const missing = [pk === undefined ? PUBLIC_ENV : '', sk === undefined ? SECRET_ENV : ''].filter(Boolean).join(' and ');
    throw new UserError(`langfuse needs ${PUBLIC_ENV} and ${SECRET_ENV}: ${missing} not set.`, {
      hint: `Set ${PUBLIC_ENV} (pk-lf-…) and ${SECRET_ENV} (sk-lf-…) to a project's API keys (Langfuse → Project settings → API keys). Use --dry-run to see the requests without keys.`,
    });
  }
  const identity = `${host}/api/public/observations?type=GENERATION`;
  const db = flags.dryRun ? openQuietly(flags, ctx) : openFromFlags(flags, ctx, projectConfig(), 'write');
  try {
    const cursor = db ? sourceCursor(db, SOURCE, identity) : undefined;
    const since = range.since ?? (cursor !== undefined ? cursor - overlap : now - DEFAULT_SINCE_MS);
    const until = range.until ?? now;
    if (until <= since) {
      throw new UserError(`Nothing to read: ${iso(since)} (the start) is not before ${iso(until)}.`, { hint: 'Give an earlier --since.' });
    }
    if (flags.dryRun) {
      ctx.out(
        render(
          'json',
          {
            schemaVersion: 1,
            kind: 'langfuse-request',
            range: { start: iso(since), end: iso(until) },
            endpointUrl: host,
            // The keys' place, never their values.
            headers: { authorization: `Basic base64($${PUBLIC_ENV}:$${SECRET_ENV})` },
            requests: [
              { method: 'GET', kind: 'generations', url: observationsV2Url(host, since, until, limit) },
              { method: 'GET', kind: 'generations-v1', url: observationsUrl(host, since, until, limit, 1) },
              { method: 'GET', kind: 'traces', url: tracesUrl(host, since, until, limit, 1) },
            ],
            pagination:
              'v2 is repeated with &cursor=<meta.cursor> while the answer has one; a server without v2 (404) is read with the v1 lists, each repeated with page=2, 3, … up to meta.totalPages; a trace not listed is read with GET /api/public/traces/{id}?fields=core',
          },
          [],
          { color: false },
        ),
      );
      return ExitCode.Ok;
    }
    if (!db) throw new Error('database not open');
    ctx.err(
      `llmcost: langfuse: reading generations from ${iso(since)}${
        range.since !== undefined ? ' (--since)' : cursor !== undefined ? ` (the cursor ${iso(cursor)} less the overlap)` : ' (30 days ago)'
      } to ${iso(until)}\n`,
    );
    const http = client(host, pk ?? '', sk ?? '', ctx);
    const v2 = await cursorPages(http, (c) => observationsV2Url(host, since, until, limit, c), '/api/public/v2/observations');
    const items: ParsedItem[] =
      v2 !== undefined
        ? v2.map((o, i) => generationItem(o, () => generationV2Record(o), host, i + 1))
        : await readV1(http, host, since, until, limit);
    const newest = items.reduce((m, it) => ('record' in it ? Math.max(m, it.record.ts) : m), Number.NEGATIVE_INFINITY);
    if (!Number.isFinite(newest)) {
      const empty = emptySummary(false);
      empty.issues.push(...items.flatMap((it) => ('issue' in it ? [it.issue] : [])));
      report(empty, format, ctx);
      return ExitCode.Ok;
    }
    const pricer = makePricer(db, flags.prices ?? projectConfig().prices, projectConfig());
    const input: InputFile = { name: `langfuse ${host}`, identity, open: () => Readable.from([]), mtimeMs: Math.min(newest, until) };
    const summary = await ingest(db, pageAdapter, SOURCE, [input], { items }, pricer, { ...commonOptions(flags, ctx), skipInvalid: true });
    for (const w of unusedPriceWarnings(pricer, 'record ingested')) ctx.err(w);
    if (ctx.stderrTTY) ctx.err('\r\u001b[K');
    report(summary, format, ctx);
    const f = summary.failures[0];
    if (f)
      throw new UserError(`${f.message} Nothing was stored; the cursor stays where it was.`, f.hint === undefined ? {} : { hint: f.hint });
    return ExitCode.Ok;
  } finally {
    db?.close();
  }
}

/** The v1 lists (Langfuse v3 and self-hosted before v4): generations, then their traces for user, name and tags. */
async function readV1(http: Client, host: string, since: number, until: number, limit: number): Promise<ParsedItem[]> {
  const observations = await pages(http, (p) => observationsUrl(host, since, until, limit, p), '/api/public/observations');
  const traces = new Map<string, TraceInfo>();
  if (observations.length > 0) {
    for (const t of await pages(http, (p) => tracesUrl(host, since, until, limit, p), '/api/public/traces')) {
      const { id, info } = readField(() => traceInfo(t), '/api/public/traces');
      traces.set(id, info);
    }
    // A trace that started before the listed window: read on its own (a deleted trace is left out).
    const missing = [...new Set(observations.map((o) => str(o.traceId)).filter((id): id is string => id !== undefined))].filter(
      (id) => !traces.has(id),
    );
    for (const id of missing) {
      const where = `/api/public/traces/${id}`;
      const body = await http.get(`${host}/api/public/traces/${encodeURIComponent(id)}?fields=core`, where, true);
      if (body !== undefined) traces.set(id, readField(() => traceInfo(body as Obj), where).info);
    }
  }
  return observations.map((o, i) => {
    const traceId = str(o.traceId);
    return generationItem(o, () => generationRecord(o, traceId === undefined ? undefined : traces.get(traceId)), host, i + 1);
  });
}

/** Every page of the v2 list (following meta.cursor); undefined when the server has no v2 endpoint (404). */
async function cursorPages(http: Client, url: (cursor?: string) => string, path: string): Promise<Obj[] | undefined> {
  const out: Obj[] = [];
  let cursor: string | undefined;
  let n = 0;
  do {
    const where = `${path}${n > 0 ? ` (page ${n + 1})` : ''}`;
    const body = await http.get(url(cursor), where, n === 0);
    if (body === undefined) return undefined;
    const p = readField(() => cursorPage(body), where);
    out.push(...p.data);
    if (p.cursor !== undefined && p.cursor === cursor) {
      throw new DataError(`Langfuse answered ${where} with the same cursor again.`, 'Nothing was stored; try again later.');
    }
    cursor = p.cursor;
    n++;
  } while (cursor !== undefined);
  return out;
}

/** An adapter over generations already read: the pipeline's reader for them. */
const pageAdapter: IngestAdapter<{ items: ParsedItem[] }> = {
  id: SOURCE,
  description: 'generations read from the Langfuse public API',
  accepts: () => false,
  async *read(_input, options) {
    yield options.items;
  },
};

function generationItem(o: Obj, read: () => UsageRecord, host: string, n: number): ParsedItem {
  try {
    return { record: read(), line: n };
  } catch (err) {
    if (!(err instanceof FieldError)) throw err;
    return {
      issue: {
        file: `langfuse ${host}: observation ${JSON.stringify(str(o.id) ?? '?')}`,
        line: n,
        item: n,
        field: err.field,
        fieldKind: 'field',
        message: err.message,
      },
    };
  }
}

/** The database for --dry-run's default --since, when there is one that opens as it is; a dry run writes nothing. */
function openQuietly(flags: LangfuseFlags, ctx: Context): Db | undefined {
  try {
    return openIfPresent(flags, ctx);
  } catch {
    return undefined;
  }
}

/** A page's shape checked; an answer llmcost cannot read stops the run (exit 3) before anything is stored. */
function readField<T>(fn: () => T, where: string): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof FieldError) {
      throw new DataError(
        `Langfuse answered ${where} with data llmcost cannot read: ${err.field}: ${err.message}`,
        'Nothing was stored. If the API changed, please report it.',
      );
    }
    throw err;
  }
}

interface Client {
  /** GET a JSON document; `notFoundOk`: a 404 is undefined rather than an error. */
  get(url: string, where: string, notFoundOk?: boolean): Promise<unknown>;
}

function client(host: string, pk: string, sk: string, ctx: Context): Client {
  const authorization = `Basic ${Buffer.from(`${pk}:${sk}`).toString('base64')}`;
  return {
    async get(url, where, notFoundOk = false) {
      try {
        return await getJson(url, {
          headers: { authorization },
          onRetry: (r) =>
            ctx.err(
              `llmcost: langfuse: ${where}: ${r.status === undefined ? r.reason : `HTTP ${r.status}`}; retrying in ${Math.ceil(r.waitMs / 1000)} s (attempt ${r.attempt + 1} of ${r.attempts}).\n`,
            ),
        });
      } catch (err) {
        if (notFoundOk && err instanceof HttpError && err.status === 404) return undefined;
        throw remoteError(host, where, [pk, sk, authorization], err);
      }
    },
  };
}

/** Every page of a v1 list (page 1 up to meta.totalPages). */
async function pages(http: Client, url: (page: number) => string, path: string): Promise<Obj[]> {
  const out: Obj[] = [];
  for (let page = 1, total = 1; page <= total; page++) {
    const where = `${path}${page > 1 ? ` (page ${page})` : ''}`;
    const body = await http.get(url(page), where);
    const p = readField(() => listPage(body), where);
    out.push(...p.data);
    total = p.totalPages;
  }
  return out;
}

/** A failed request in words the user can act on; neither key is ever part of it. */
function remoteError(host: string, where: string, secrets: string[], err: unknown): UserError {
  if (!(err instanceof HttpError)) throw err;
  const scrub = (s: string): string => secrets.reduce((acc, k) => (k ? acc.split(k).join('<redacted>') : acc), s);
  let detail = '';
  try {
    const body: unknown = JSON.parse(err.body);
    const message = body !== null && typeof body === 'object' && 'message' in body ? body.message : undefined;
    if (typeof message === 'string') detail = `: ${scrub(message).slice(0, 200)}`;
  } catch {}
  if (err.status === 401 || err.status === 403) {
    return new UserError(`Langfuse (${host}) refused ${PUBLIC_ENV}/${SECRET_ENV} for ${where} (HTTP ${err.status}${detail}).`, {
      exitCode: ExitCode.Remote,
      hint: `Set ${PUBLIC_ENV} and ${SECRET_ENV} to the API keys of the project, and LANGFUSE_HOST to its host (EU ${DEFAULT_HOST}, US https://us.cloud.langfuse.com, or yours).`,
    });
  }
  return new UserError(`Langfuse (${host}) ${where} failed: ${scrub(err.message)}${detail}.`, {
    exitCode: ExitCode.Remote,
    hint: 'Nothing was stored. Run again later: generations already stored are not duplicated.',
  });
}
