/**
 * `llmcost ingest openai-usage | anthropic-usage`: what runs (loaded by the subcommand's action, so `--help` loads
 * none of it). Every page is fetched first, then usage lines and billing lines are stored, each source in its own
 * transaction: no transaction is held across a network call.
 */

import type { Context } from '../core/context.js';
import { FieldError, isObj } from '../ingest/fields.js';
import { checkRecord } from '../ingest/limits.js';
import type { OrgApi, PlannedRequest } from '../ingest/org-usage/api.js';
import { dedupeKey, toRow } from '../ingest/pipeline.js';
import type { UsageRecord } from '../ingest/types.js';
import { DataError, ExitCode, UserError } from '../lib/errors.js';
import { getJson, HttpError } from '../lib/http.js';
import { formatUsd, nanosToDecimal } from '../lib/money.js';
import { DAY_MS, dayNumber, dayNumberToIso } from '../lib/time.js';
import { makePricer, unusedPriceWarnings } from '../pricing/load.js';
import type { Pricer } from '../pricing/pricer.js';
import { render } from '../render/index.js';
import type { Db } from '../store/db.js';
import { type LineChanges, lastLineDay, storeLines } from '../store/queries/org-usage.js';
import type { UsageRow } from '../store/queries/usage.js';
import { withIngestRun } from '../store/transactions.js';
import { openFromFlags, openIfPresent, projectConfig } from './open.js';
import { type CommonFlags, resolveFormat } from './options.js';

interface OrgFlags extends CommonFlags {
  org?: string;
  includeToday?: boolean;
  endpointUrl?: string;
  prices?: string;
  dryRun?: boolean;
}

const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

function flagsOf(raw: Record<string, unknown>): OrgFlags {
  const f: OrgFlags = {};
  for (const k of ['db', 'format', 'since', 'until', 'endpointUrl', 'prices', 'org'] as const) {
    const v = text(raw[k]);
    if (v !== undefined) f[k] = v;
  }
  if (f.org !== undefined && !/^[\w.-]{1,64}$/.test(f.org)) {
    throw new UserError(`--org ${f.org}: expected a short label (letters, digits, ".", "_", "-").`, { hint: 'Example: --org acme-prod' });
  }
  if (raw.json === true) f.json = true;
  if (raw.includeToday === true) f.includeToday = true;
  if (raw.dryRun === true) f.dryRun = true;
  return f;
}

/** A YYYY-MM-DD flag as the UTC midnight of that day. */
function dayFlag(value: string, flag: string): number {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) {
    throw new UserError(`${flag} ${value}: expected a date YYYY-MM-DD (a UTC day).`);
  }
  return dayNumber(value) * DAY_MS;
}

const isoDay = (ms: number): string => dayNumberToIso(Math.floor(ms / DAY_MS));

/** The endpoint URL: --endpoint-url, else the API's environment variable, else the real API; without a trailing slash. */
function endpointOf(api: OrgApi, flags: OrgFlags, ctx: Context): string {
  const given = flags.endpointUrl ?? ctx.env.lookup(api.endpointEnv);
  const url = (given ?? api.defaultEndpoint).replace(/\/+$/, '');
  if (!/^https?:\/\/[^/\s]+/.test(url)) {
    const from = flags.endpointUrl !== undefined ? '--endpoint-url' : api.endpointEnv;
    throw new UserError(`${from} ${given}: expected an http(s) URL, e.g. ${api.defaultEndpoint}.`);
  }
  return url;
}

const urlOf = (endpoint: string, req: PlannedRequest, page?: string): string =>
  `${endpoint}${req.path}?${new URLSearchParams([...req.query, ...(page === undefined ? [] : [['page', page] as [string, string]])])}`;

export async function runOrgUsage(api: OrgApi, raw: Record<string, unknown>, ctx: Context): Promise<number> {
  const flags = flagsOf(raw);
  const format = resolveFormat(flags);
  const now = ctx.now();
  const today = Math.floor(now / DAY_MS) * DAY_MS;
  // Today's bucket is still growing: read only when asked, and replaced by the next run that reads it.
  const newest = flags.includeToday ? today : today - DAY_MS;
  let last = flags.until === undefined ? newest : dayFlag(flags.until, '--until');
  if (last > newest) {
    const why = last > today ? 'is after today' : 'is today, whose bucket is still growing';
    const more = flags.includeToday ? '' : ' (--include-today reads today too)';
    ctx.err(`llmcost: ${api.source}: --until ${flags.until} ${why}: reading to ${isoDay(newest)}${more}.\n`);
    last = newest;
  }
  const endpoint = endpointOf(api, flags, ctx);
  const key = flags.dryRun ? undefined : ctx.env.lookup(api.keyEnv);
  if (!flags.dryRun && key === undefined) {
    throw new UserError(`${api.source} needs ${api.keyEnv}: no admin key is set.`, {
      hint: `Set ${api.keyEnv} to ${api.keyKind}. Use --dry-run to see the requests without a key.`,
    });
  }
  const db = flags.dryRun ? openQuietly(flags, ctx) : openFromFlags(flags, ctx, projectConfig(), 'write');
  try {
    // By default a scheduled run continues where the last one stopped: that day is read again (it may have grown).
    const stored = db ? lastLineDay(db, api.source, flags.org) : undefined;
    // (Never after the last day to read: today's lines stored by an --include-today run wait for a run that reads today.)
    const since = flags.since !== undefined ? dayFlag(flags.since, '--since') : Math.min(stored ?? today - 30 * DAY_MS, last);
    if (since > last) {
      throw new UserError(`--since ${isoDay(since)} is after the last day to read, ${isoDay(last)}.`, {
        hint: flags.includeToday ? 'Give an earlier --since.' : "Give an earlier --since, or add --include-today to read today's bucket.",
      });
    }
    const until = last + DAY_MS;
    const requests = api.requests(since, until);
    if (flags.dryRun) {
      ctx.out(render('json', dryRunPayload(api, endpoint, since, last, requests), [], { color: false }));
      return ExitCode.Ok;
    }
    const fetched = await fetchAll(api, endpoint, key ?? '', requests, ctx);
    if (flags.org !== undefined) for (const r of [...fetched.usage, ...fetched.cost]) labelOrg(r, flags.org);
    if (!db) throw new Error('database not open');
    const pricer = makePricer(db, flags.prices ?? projectConfig().prices, projectConfig());
    const where = { since, until, org: flags.org, endpoint, now };
    const usage = await store(db, api.source, where, fetched.usage, pricer);
    const billing = await store(db, api.billingSource, where, fetched.cost, pricer);
    for (const w of unusedPriceWarnings(pricer, 'line ingested')) ctx.err(w);
    for (const p of [...usage.rejected, ...billing.rejected]) ctx.err(`llmcost: ${api.source}: ${p}\n`);
    if (fetched.otherCurrency > 0) {
      ctx.err(`llmcost: ${api.source}: ${fetched.otherCurrency} cost line(s) not in USD were not stored.\n`);
    }
    if (usage.unpriced.size > 0) {
      ctx.err(
        `llmcost: ${api.source}: no catalog price for ${[...usage.unpriced].sort().join(', ')}: those lines are stored unpriced (add them to a price file, see README "Prices").\n`,
      );
    }
    report(api, { since, last, endpoint, calls: fetched.calls, retries: fetched.retries, usage, billing }, format, ctx);
    return ExitCode.Ok;
  } finally {
    db?.close();
  }
}

/** `--org`: the line's identity and tags name the organization, so two organizations' lines never replace each other. */
function labelOrg(r: UsageRecord, org: string): void {
  const id = r.sourceId ?? '';
  const cut = id.indexOf('|');
  r.sourceId = cut === -1 ? `${id}|org=${org}|` : `${id.slice(0, cut)}|org=${org}${id.slice(cut)}`;
  r.tags = [...(r.tags ?? []), `org:${org}`];
}

/** The database for --dry-run's default --since, when there is one that opens as it is; a dry run writes nothing. */
function openQuietly(flags: OrgFlags, ctx: Context): Db | undefined {
  try {
    return openIfPresent(flags, ctx);
  } catch {
    return undefined;
  }
}

function dryRunPayload(api: OrgApi, endpoint: string, since: number, last: number, requests: PlannedRequest[]): unknown {
  return {
    schemaVersion: 1,
    kind: `${api.source}-request`,
    range: { start: isoDay(since), end: isoDay(last) },
    endpointUrl: endpoint,
    // The key's place, never its value.
    headers: api.headers(`$${api.keyEnv}`),
    requests: requests.map((r) => ({ method: 'GET', kind: r.kind, url: urlOf(endpoint, r) })),
    pagination: 'each request is repeated with &page=<next_page> while the answer has has_more: true',
  };
}

interface Fetched {
  usage: UsageRecord[];
  cost: UsageRecord[];
  otherCurrency: number;
  calls: number;
  retries: number;
}

/** Every page of every request, in order; a failure names the request (without the key) and exits 4. */
async function fetchAll(api: OrgApi, endpoint: string, key: string, requests: PlannedRequest[], ctx: Context): Promise<Fetched> {
  const out: Fetched = { usage: [], cost: [], otherCurrency: 0, calls: 0, retries: 0 };
  for (const req of requests) {
    let page: string | undefined;
    let n = 0;
    do {
      const url = urlOf(endpoint, req, page);
      const where = `${req.path}${n > 0 ? ` (page ${n + 1})` : ''}`;
      let body: unknown;
      out.calls++;
      try {
        body = await getJson(url, {
          headers: api.headers(key),
          onRetry: (r) => {
            out.retries++;
            ctx.err(
              `llmcost: ${api.source}: ${where}: ${r.status === undefined ? r.reason : `HTTP ${r.status}`}; retrying in ${Math.ceil(r.waitMs / 1000)} s (attempt ${r.attempt + 1} of ${r.attempts}).\n`,
            );
          },
        });
      } catch (err) {
        throw remoteError(api, where, key, err);
      }
      let lines: ReturnType<OrgApi['lines']>;
      let next: string | undefined;
      try {
        const buckets = api.buckets(body, where);
        lines = api.lines(req, buckets, where);
        next = buckets.next;
      } catch (err) {
        if (err instanceof FieldError) {
          throw new DataError(
            `${api.name} answered ${where} with data llmcost cannot read: ${err.field}: ${err.message}`,
            'Nothing was stored. If the API changed, please report it.',
          );
        }
        throw err;
      }
      (req.kind === 'cost' ? out.cost : out.usage).push(...lines.records);
      out.otherCurrency += lines.otherCurrency;
      if (next !== undefined && next === page) {
        throw new DataError(`${api.name} answered ${where} with the same next_page cursor again.`, 'Nothing was stored; try again later.');
      }
      page = next;
      n++;
    } while (page !== undefined);
  }
  return out;
}

/** The message of an API error body (`{"error": {"message": …}}` as both APIs write it), cut short; '' when there is none. */
function errorText(body: string, scrub: (s: string) => string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return '';
  }
  const error = isObj(parsed) ? parsed.error : undefined;
  const message = isObj(error) ? error.message : error;
  return typeof message === 'string' ? `: ${scrub(message).slice(0, 200)}` : '';
}

/** A failed request in words the user can act on; the key is never part of it. */
function remoteError(api: OrgApi, where: string, key: string, err: unknown): UserError {
  if (!(err instanceof HttpError)) throw err;
  const scrub = (s: string): string => (key ? s.split(key).join('<redacted>') : s);
  const detail = errorText(err.body, scrub);
  if (err.status === 401 || err.status === 403) {
    return new UserError(`${api.name} refused ${api.keyEnv} for ${where} (HTTP ${err.status}${detail}).`, {
      exitCode: ExitCode.Remote,
      hint: `Set ${api.keyEnv} to ${api.keyKind}; a project or user API key cannot read organization usage.`,
    });
  }
  return new UserError(`${api.name} ${where} failed: ${scrub(err.message)}${detail}.`, {
    exitCode: ExitCode.Remote,
    hint: 'Nothing was stored. Run again later: days already stored are not duplicated.',
  });
}

interface Stored extends LineChanges {
  source: string;
  lines: number;
  costNanos: bigint;
  unpricedLines: number;
  unpriced: Set<string>;
  rejected: string[];
}

/** One source's lines for the days [since, until), in one transaction with its ingest run. */
async function store(
  db: Db,
  source: string,
  { since, until, org, endpoint, now }: { since: number; until: number; org: string | undefined; endpoint: string; now: number },
  records: UsageRecord[],
  pricer: Pricer,
): Promise<Stored> {
  const out: Stored = {
    source,
    lines: 0,
    costNanos: 0n,
    unpricedLines: 0,
    unpriced: new Set(),
    rejected: [],
    inserted: 0,
    updated: 0,
    unchanged: 0,
    removed: 0,
  };
  const file = `${endpoint}${org === undefined ? '' : ` org=${org}`} ${isoDay(since)}..${isoDay(until - DAY_MS)}`;
  await withIngestRun(db, { source, file, now: () => now }, (runId) => {
    const rows: UsageRow[] = [];
    for (const r of records) {
      const bad = checkRecord(r, now);
      if (bad) {
        out.rejected.push(`${r.sourceId ?? ''}: ${bad.field}: ${bad.message}`);
        continue;
      }
      const row = toRow(r, source, runId, pricer, dedupeKey(source, r, 0));
      if (row.computedCostNanos === null && row.costBasis !== 'billed') {
        out.unpricedLines++;
        out.unpriced.add(row.modelRaw);
      }
      out.costNanos += row.costNanos ?? 0n;
      rows.push(row);
    }
    out.lines = rows.length;
    Object.assign(out, storeLines(db, source, org, since, until, rows));
    return {
      value: undefined,
      counts: {
        read: records.length,
        inserted: out.inserted + out.updated,
        duplicate: out.unchanged,
        rejected: out.rejected.length,
        unpriced: out.unpricedLines,
      },
    };
  });
  return out;
}

function report(
  api: OrgApi,
  r: { since: number; last: number; endpoint: string; calls: number; retries: number; usage: Stored; billing: Stored },
  format: ReturnType<typeof resolveFormat>,
  ctx: Context,
): void {
  const part = (s: Stored, money: 'computed' | 'billed') => ({
    source: s.source,
    lines: s.lines,
    inserted: s.inserted,
    updated: s.updated,
    unchanged: s.unchanged,
    removed: s.removed,
    rejected: s.rejected.length,
    ...(money === 'computed' ? { unpricedLines: s.unpricedLines, unpricedModels: [...s.unpriced].sort() } : {}),
    [`${money}Nanos`]: s.costNanos,
    [`${money}Usd`]: nanosToDecimal(s.costNanos),
  });
  const payload = {
    schemaVersion: 1,
    kind: `${api.source}-ingest`,
    provider: api.provider,
    range: { start: isoDay(r.since), end: isoDay(r.last) },
    apiCalls: r.calls,
    retries: r.retries,
    usage: part(r.usage, 'computed'),
    billing: part(r.billing, 'billed'),
  };
  const changes = (s: Stored): string =>
    `${s.lines} lines: ${s.inserted} new, ${s.updated} replaced, ${s.unchanged} unchanged, ${s.removed} removed`;
  const rows = [
    { item: 'Usage lines', value: changes(r.usage) },
    {
      item: 'Computed cost',
      value: `${formatUsd(r.usage.costNanos)}${r.usage.unpricedLines > 0 ? ` (${r.usage.unpricedLines} lines unpriced)` : ''}`,
    },
    { item: 'Billing lines', value: changes(r.billing) },
    { item: 'Billed', value: formatUsd(r.billing.costNanos) },
    { item: 'API calls', value: `${r.calls} pages${r.retries > 0 ? `, ${r.retries} retries` : ''}` },
  ];
  ctx.out(
    render(
      format,
      payload,
      [
        {
          title: `${api.name} organization usage ${isoDay(r.since)}..${isoDay(r.last)} (UTC days)`,
          columns: [
            { key: 'item', header: 'Item', kind: 'text' },
            { key: 'value', header: 'Value', kind: 'text' },
          ],
          rows,
        },
      ],
      ctx.view,
    ),
  );
}
