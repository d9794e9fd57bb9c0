/** `llmcost demo`: what runs (loaded by the action in demo.ts, so `--help` loads none of it). */
import { accessSync, constants, existsSync, lstatSync, mkdirSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildReport } from '../analysis/report.js';
import type { Context } from '../core/context.js';
import { csvAdapter } from '../ingest/csv/index.js';
import { resolveInputs } from '../ingest/input.js';
import { ingest } from '../ingest/pipeline.js';
import { loadConfig } from '../lib/config.js';
import { ExitCode, UserError } from '../lib/errors.js';
import { formatUsd } from '../lib/money.js';
import { dayNumber } from '../lib/time.js';
import { makePricer } from '../pricing/load.js';
import { render } from '../render/index.js';
import { AVERAGE_NOTE, reportJson, reportTable } from '../render/report.js';
import { type Db, openDb } from '../store/db.js';
import { sqlitePath } from '../store/location.js';
import { isDemoDatabase } from '../store/queries/demo.js';
import { aggregate, type Dimension, type UsageFilter, unpricedModels } from '../store/queries/report.js';
import type { DemoFlags } from './demo.js';
import { resolveFormat } from './options.js';

const DEMO_FILE = fileURLToPath(new URL('../../fixtures/demo/usage.csv', import.meta.url));
const DEMO_CONFIG = fileURLToPath(new URL('../../fixtures/demo/llmcost.config.json', import.meta.url));
/** The demo report's clock: mid-October of the demo data, so budgets and the forecast have a month to run. */
const DEMO_NOW = '2026-10-20T18:00:00Z';

export async function demoCommand(flags: DemoFlags, ctx: Context): Promise<number> {
  const format = resolveFormat(flags);
  if (flags.html !== undefined && (flags.format !== undefined || flags.json))
    throw new UserError('--html writes an HTML file: --format and --json do not apply to it.', { hint: 'Drop one of them.' });
  const path = flags.db === undefined ? join(ctx.env.cacheHome, 'demo.db') : sqlitePath(flags.db);
  clearDemoPath(path);
  const db = openDb(path);
  try {
    const summary = await ingest(db, csvAdapter, 'csv', resolveInputs([DEMO_FILE]), {}, makePricer(db, undefined), { now: ctx.now });
    if (flags.html !== undefined) {
      const file = typeof flags.html === 'string' ? flags.html : join(dirname(path), `${basename(path).replace(/\.db$/, '')}.html`);
      ctx.out(await demoHtml(db, file));
      return ExitCode.Ok;
    }
    const tz = 'UTC';
    const filter: UsageFilter = {};
    const unpriced = unpricedModels(db, filter);
    const section = (dims: Dimension[], period: 'daily' | 'weekly' | 'monthly' | undefined, title: string, top?: number) => {
      const rows = aggregate(db, { dims, byDay: period !== undefined, tz, filter });
      const report = buildReport(rows, { period, dims });
      if (top !== undefined) report.rows = report.rows.slice(0, top);
      return { report, table: reportTable(report, title, []) };
    };
    const weekly = section([], 'weekly', 'Weekly cost');
    const teams = section(['team'], undefined, 'Cost by team');
    const models = section(['provider', 'model'], undefined, 'Cost by model');
    const users = section(['user', 'team'], undefined, 'Top 10 users', 10);
    const days = section([], 'daily', 'Daily');
    const top = [...days.report.rows].sort((a, b) => (b.costNanos > a.costNanos ? 1 : b.costNanos < a.costNanos ? -1 : 0)).slice(0, 3);
    models.table.notes = [
      ...(models.table.notes ?? []),
      `Costliest days: ${top.map((d) => `${d.period} ${formatUsd(d.costNanos)}`).join(', ')}.`,
      ...(unpriced.length
        ? [
            `Unpriced: ${unpriced.map((u) => `${u.provider}/${u.model} (${u.requests.toLocaleString('en-US')} requests)`).join(', ')} — no catalog price, so not in the totals; llmcost reprice --prices FILE adds it.`,
            AVERAGE_NOTE,
          ]
        : []),
      `Demo database: ${path}  (try: llmcost report --db ${path} --daily --since 2026-10-01)`,
    ];
    const first = days.report.rows[0]?.period;
    const payload = {
      schemaVersion: 1,
      kind: 'demo',
      database: path,
      ingest: summary.totals,
      firstDay: first ?? null,
      lastDay: days.report.rows.at(-1)?.period ?? null,
      days: first ? dayNumber(days.report.rows.at(-1)?.period ?? first) - dayNumber(first) + 1 : 0,
      weekly: reportJson(weekly.report, { tz, range: {}, unpriced }),
      byTeam: reportJson(teams.report, { tz, range: {}, unpriced }),
      byModel: reportJson(models.report, { tz, range: {}, unpriced }),
      topUsers: reportJson(users.report, { tz, range: {}, unpriced }),
    };
    ctx.out(render(format, payload, [weekly.table, teams.table, users.table, models.table], ctx.view));
    return ExitCode.Ok;
  } finally {
    db.close();
  }
}

/**
 * The demo's HTML report, as of the demo's own clock (DEMO_NOW, inside its data): the 30 days up to then, with the
 * budgets of fixtures/demo/llmcost.config.json. Returns the path written.
 */
async function demoHtml(db: Db, file: string): Promise<string> {
  const { collectHtmlData, writeHtmlReport } = await import('./html-run.js');
  const config = loadConfig(DEMO_CONFIG);
  const now = Date.parse(DEMO_NOW);
  const data = collectHtmlData(db, { since: '30d', until: 'today' }, { tz: 'UTC', now, config });
  return writeHtmlReport(file, data);
}

/**
 * Makes room for a fresh demo database at `path`. Only a database that an earlier `llmcost demo` created is
 * removed; any other file is refused, untouched (a wrong --db must never cost the user their data).
 */
function clearDemoPath(path: string): void {
  const cannot = (err: unknown): UserError => {
    const e = err as NodeJS.ErrnoException;
    return new UserError(
      `Cannot create the demo database at ${path}: ${dirname(path)} is not a writable directory (${e.code ?? e.message}).`,
      {
        hint: 'Choose a writable place with --db PATH, or set XDG_CACHE_HOME to a writable directory.',
        cause: err,
      },
    );
  };
  let exists: boolean;
  try {
    lstatSync(path);
    exists = true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw cannot(err);
    exists = false;
  }
  if (exists && !isDemoDatabase(path)) {
    throw new UserError(`${path} exists and is not an llmcost demo database; choose another --db or remove it yourself.`);
  }
  try {
    mkdirSync(dirname(path), { recursive: true });
    accessSync(dirname(path), constants.W_OK);
    if (exists) for (const suffix of ['', '-wal', '-shm']) if (existsSync(`${path}${suffix}`)) rmSync(`${path}${suffix}`);
  } catch (err) {
    throw cannot(err);
  }
}
