/**
 * I/O only: reads a LiteLLM proxy's own PostgreSQL (`llmcost ingest litellm --database-url`) with `pg`, loaded
 * lazily. Every query runs in a READ ONLY transaction; pages are keyset-paginated on ("startTime", request_id)
 * (LiteLLM's own index), never OFFSET. The mapping of the rows lives in rows.ts.
 */
import type { Client, ClientConfig } from 'pg';
import { ExitCode, UserError } from '../../lib/errors.js';

/** The tables llmcost reads; the spend-log table (or a daily table) is required, the others only enrich. */
export const SPEND_LOGS = 'LiteLLM_SpendLogs';
const KEYS = 'LiteLLM_VerificationToken';
const TEAMS = 'LiteLLM_TeamTable';
const USERS = 'LiteLLM_UserTable';

/** The daily aggregate tables `--from` reads, by the entity their rows are per. */
export const DAILY_TABLES = {
  'daily-user': { table: 'LiteLLM_DailyUserSpend', entity: 'user_id' },
  'daily-team': { table: 'LiteLLM_DailyTeamSpend', entity: 'team_id' },
  'daily-tag': { table: 'LiteLLM_DailyTagSpend', entity: 'tag' },
} as const;
export type DailyFrom = keyof typeof DAILY_TABLES;

/**
 * Spend-log columns read, as the file exports have them. Never `messages`, `response` text or
 * `proxy_server_request` (prompts and answers): of `response` only its `usage` and `service_tier` are read.
 */
const REQUIRED = ['request_id', 'startTime', 'spend', 'model', 'prompt_tokens', 'completion_tokens'] as const;
const OPTIONAL = [
  'call_type',
  'api_key',
  'total_tokens',
  'endTime',
  'model_group',
  'custom_llm_provider',
  'api_base',
  'user',
  'team_id',
  'end_user',
  'metadata',
  'cache_hit',
  'request_tags',
  'status',
  'session_id',
] as const;

const DAILY_REQUIRED = ['id', 'date', 'api_key', 'model', 'prompt_tokens', 'completion_tokens', 'spend', 'api_requests'] as const;
const DAILY_OPTIONAL = [
  'model_group',
  'custom_llm_provider',
  'endpoint',
  'cache_read_input_tokens',
  'cache_creation_input_tokens',
  'successful_requests',
  'failed_requests',
] as const;

const q = (name: string): string => `"${name.replaceAll('"', '""')}"`;

/** Checks the URL is a postgres:// URL; the password is never echoed. */
export function checkDatabaseUrl(url: string, from: string): void {
  let u: URL | undefined;
  try {
    // libpq's postgres://user@/db?host=/socket/dir has no host: pg reads it, WHATWG URL only with one.
    u = new URL(url.replace(/^(postgres(?:ql)?:\/\/[^/@]*@)\//, '$1localhost/'));
  } catch {
    u = undefined;
  }
  if (!u || !/^postgres(ql)?:$/.test(u.protocol)) {
    throw new UserError(`${from} is not a PostgreSQL URL.`, {
      hint: 'Give it as postgres://USER:PASSWORD@HOST:5432/DATABASE (LiteLLM’s own DATABASE_URL), e.g. --database-url "$DATABASE_URL".',
    });
  }
}

/**
 * The URL as libpq (and LiteLLM's Prisma) read it: `sslmode` from the URL, else PGSSLMODE, with libpq's meaning
 * (`require` encrypts without checking the certificate, `verify-full` checks it; pg alone would treat `require` as
 * `verify-full` and print a warning), and `sslrootcert` from the URL, else PGSSLROOTCERT. pg cannot fall back to
 * plain text, so `prefer` is `require`. `no-verify` (pg's own mode) is left to pg.
 */
export function libpqUrl(url: string, ssl: { mode: string | undefined; rootCert: string | undefined }): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return url; // a Unix-socket URL with a user and no host (postgres://u@/db?host=/run/postgresql): no TLS there
  }
  const p = u.searchParams;
  if (!p.has('sslmode') && ssl.mode) p.set('sslmode', ssl.mode);
  if (!p.has('sslrootcert') && ssl.rootCert) p.set('sslrootcert', ssl.rootCert);
  const mode = p.get('sslmode');
  if (mode && mode !== 'no-verify' && !p.has('uselibpqcompat')) p.set('uselibpqcompat', 'true');
  return u.toString();
}

export interface Connection {
  client: Client;
  /** host:port/database as pg resolved it (URL, then PGHOST/PGPORT/PGDATABASE…): the identity of the cursor. */
  identity: string;
  /** The same, as shown in messages: postgres://user@host:port/database. */
  label: string;
}

/** Connects (10 s timeout unless the URL sets connect_timeout); failures become exit-4 or exit-2 messages. */
export async function connect(url: string): Promise<Connection> {
  const pg = (await import('pg')).default;
  const config: ClientConfig = {
    connectionString: url,
    application_name: 'llmcost',
    connectionTimeoutMillis: 10_000,
    // TIMESTAMP(3) without zone holds UTC in LiteLLM: read as text, never through the local zone. int8 as text too.
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === pg.types.builtins.TIMESTAMP || oid === pg.types.builtins.INT8
          ? (v: string) => v
          : pg.types.getTypeParser(oid, format ?? 'text')) as never,
    },
  };
  const client = new pg.Client(config);
  const where = `${client.host}:${client.port}/${client.database ?? ''}`;
  const label = `postgres://${client.user ? `${encodeURIComponent(client.user)}@` : ''}${client.host}:${client.port}/${client.database ?? ''}`;
  // A connection dropped later surfaces on the next query; without a listener it would crash the process.
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (err) {
    await client.end().catch(() => {});
    throw explain(err, label);
  }
  return { client, identity: where, label };
}

/** A pg or network error as the user's problem: what failed, where, and what to do. */
export function explain(err: unknown, label: string): Error {
  if (err instanceof UserError) return err;
  const e = err as { code?: string; message?: string };
  const code = e.code ?? '';
  const msg = e.message ?? String(err);
  const remote = (message: string, hint: string) => new UserError(message, { exitCode: ExitCode.Remote, hint, cause: err });
  if (code === '28P01' || code === '28000' || /password authentication failed|SASL|no password|password must be a string/i.test(msg)) {
    return remote(
      `${label}: the database refused the login (${msg.replace(/\s+/g, ' ')}).`,
      'Check the user and password (in the URL, PGPASSWORD or ~/.pgpass) and the server’s pg_hba.conf.',
    );
  }
  if (code === '3D000') return new UserError(`${label}: ${msg}.`, { hint: 'Name LiteLLM’s database in the URL (its DATABASE_URL).' });
  if (code === '42501') {
    return remote(
      `${label}: ${msg}.`,
      `llmcost needs SELECT on "${SPEND_LOGS}" (or the daily table it reads), and to enrich on "${KEYS}", "${TEAMS}", "${USERS}".`,
    );
  }
  if (
    ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET', 'EPIPE'].includes(code) ||
    /timeout|terminated|Connection terminated/i.test(msg)
  ) {
    return remote(
      `${label}: cannot reach the database (${code || msg}).`,
      'Check the host and port, that the server runs and accepts connections from here (firewall, listen_addresses).',
    );
  }
  if (/SSL|TLS|certificate|self[- ]signed/i.test(msg)) {
    return remote(
      `${label}: TLS failed (${msg}).`,
      'Set sslmode in the URL or PGSSLMODE (disable, require, verify-full; no-verify skips the certificate check) and PGSSLROOTCERT as the server needs.',
    );
  }
  if (/^[0-9A-Z]{5}$/.test(code))
    return remote(`${label}: the database answered an error: ${msg} (SQLSTATE ${code}).`, 'Check the server’s log.');
  return err instanceof Error ? err : new Error(msg);
}

/** Runs `sql` alone in a READ ONLY transaction (one per page: no snapshot is held open between pages). */
async function readOnly<R>(c: Connection, sql: string, params: unknown[]): Promise<R[]> {
  try {
    await c.client.query('BEGIN TRANSACTION READ ONLY');
    const res = await c.client.query(sql, params);
    await c.client.query('COMMIT');
    return res.rows as R[];
  } catch (err) {
    await c.client.query('ROLLBACK').catch(() => {});
    throw explain(err, c.label);
  }
}

/**
 * The columns of each table that exists in the search path, and whether this user may SELECT it. Read from
 * pg_catalog, which shows every table (information_schema hides those the user has no privilege on).
 */
async function tables(c: Connection, names: string[]): Promise<Map<string, { columns: Set<string>; readable: boolean }>> {
  const rows = await readOnly<{ table_name: string; column_name: string; readable: boolean }>(
    c,
    `SELECT t.relname AS table_name, a.attname AS column_name, has_table_privilege(t.oid, 'SELECT') AS readable
       FROM pg_catalog.pg_class t
       JOIN pg_catalog.pg_namespace n ON n.oid = t.relnamespace
       JOIN pg_catalog.pg_attribute a ON a.attrelid = t.oid AND a.attnum > 0 AND NOT a.attisdropped
      WHERE t.relname = ANY($1) AND t.relkind IN ('r', 'p', 'v', 'm', 'f') AND n.nspname = ANY(current_schemas(false))`,
    [names],
  );
  const out = new Map<string, { columns: Set<string>; readable: boolean }>();
  for (const r of rows) {
    const t = out.get(r.table_name) ?? { columns: new Set<string>(), readable: r.readable };
    t.columns.add(r.column_name);
    out.set(r.table_name, t);
  }
  return out;
}

function missingTable(c: Connection, table: string): UserError {
  return new UserError(`${c.label}: no table "${table}": not a LiteLLM proxy database.`, {
    hint: 'Give the database the LiteLLM proxy writes to (its DATABASE_URL), with the schema in the search path; LiteLLM creates the table when it starts with a database.',
  });
}

function missingColumns(c: Connection, table: string, missing: string[]): UserError {
  return new UserError(
    `${c.label}: "${table}" has no column ${missing.map((m) => `"${m}"`).join(', ')}: a LiteLLM schema llmcost cannot read.`,
    {
      hint: 'Upgrade the LiteLLM proxy (it migrates its database), or export the table to a file: psql -c "\\copy (SELECT * FROM \\"LiteLLM_SpendLogs\\") TO spend-logs.csv CSV HEADER".',
    },
  );
}

function unreadable(c: Connection, table: string): UserError {
  return new UserError(`${c.label}: permission denied to read "${table}".`, {
    exitCode: ExitCode.Remote,
    hint: `Grant the user SELECT on it: GRANT SELECT ON "${table}" TO <user>;`,
  });
}

export interface SpendLogReader {
  /** Enrichment tables present and readable; the others are named in `skipped`. */
  enrich: { keys: boolean; teams: boolean; users: boolean };
  skipped: string[];
  /** The next page after (startTime, request_id), at most `limit` rows, startTime < `until` when given. */
  page(after: { startTime: string; requestId: string }, limit: number, until?: string): Promise<Record<string, unknown>[]>;
}

/**
 * Checks the spend-log table and its columns, and which enrichment tables can be joined, then returns the page
 * query. A side table that is missing or not readable only turns its enrichment off (named in `skipped`).
 */
export async function spendLogReader(c: Connection): Promise<SpendLogReader> {
  const found = await tables(c, [SPEND_LOGS, KEYS, TEAMS, USERS]);
  const spend = found.get(SPEND_LOGS);
  if (!spend) throw missingTable(c, SPEND_LOGS);
  const missing = REQUIRED.filter((col) => !spend.columns.has(col));
  if (missing.length > 0) throw missingColumns(c, SPEND_LOGS, missing);
  if (!spend.readable) throw unreadable(c, SPEND_LOGS);
  const usable = (t: string, cols: string[]) => {
    const x = found.get(t);
    return x?.readable === true && cols.every((col) => x.columns.has(col));
  };
  const enrich = {
    keys: usable(KEYS, ['token', 'key_alias', 'user_id', 'team_id']),
    teams: usable(TEAMS, ['team_id', 'team_alias']),
    users: usable(USERS, ['user_id', 'user_email']),
  };
  const skipped = [...(enrich.keys ? [] : [KEYS]), ...(enrich.teams ? [] : [TEAMS]), ...(enrich.users ? [] : [USERS])];
  const cols = [...REQUIRED, ...OPTIONAL.filter((col) => spend.columns.has(col))].map((col) =>
    col === 'startTime' || col === 'endTime' ? `s.${q(col)}::text AS ${q(col)}` : `s.${q(col)}`,
  );
  if (spend.columns.has('response')) {
    cols.push(
      `jsonb_strip_nulls(jsonb_build_object('usage', s.response->'usage', 'service_tier', s.response->'service_tier')) AS response`,
    );
  }
  const joins: string[] = [];
  const has = (col: string) => spend.columns.has(col);
  if (enrich.keys && has('api_key')) {
    joins.push(`LEFT JOIN ${q(KEYS)} k ON k.token = s.api_key`);
    cols.push('k.key_alias AS _key_alias', 'k.user_id AS _key_user_id', 'k.team_id AS _key_team_id');
  }
  const keyJoined = joins.length > 0;
  const teamOf = [has('team_id') ? `NULLIF(s.team_id, '')` : undefined, keyJoined ? 'k.team_id' : undefined].filter(Boolean);
  if (enrich.teams && teamOf.length > 0) {
    joins.push(`LEFT JOIN ${q(TEAMS)} t ON t.team_id = COALESCE(${teamOf.join(', ')})`);
    cols.push('t.team_alias AS _team_alias');
  }
  const userOf = [
    has('metadata') ? `NULLIF(s.metadata->>'user_api_key_user_id', '')` : undefined,
    keyJoined ? 'k.user_id' : undefined,
  ].filter(Boolean);
  if (enrich.users && userOf.length > 0) {
    joins.push(`LEFT JOIN ${q(USERS)} u ON u.user_id = COALESCE(${userOf.join(', ')})`);
    cols.push('u.user_email AS _user_email');
  }
  const select = `SELECT ${cols.join(', ')} FROM ${q(SPEND_LOGS)} s ${joins.join(' ')}`;
  return {
    enrich,
    skipped,
    page: (after, limit, until) =>
      readOnly(
        c,
        `${select} WHERE (s."startTime", s.request_id) > ($1::timestamp, $2::text)${until ? ' AND s."startTime" < $4::timestamp' : ''}
          ORDER BY s."startTime", s.request_id LIMIT $3`,
        until ? [after.startTime, after.requestId, limit, until] : [after.startTime, after.requestId, limit],
      ),
  };
}

export interface DailyReader {
  table: string;
  entity: string;
  /** Enrichment tables missing or not readable. */
  skipped: string[];
  /** The next page after (date, id), dates in [since, until). */
  page(after: { date: string; id: string }, limit: number, until?: string): Promise<Record<string, unknown>[]>;
}

/** Checks a daily aggregate table and returns its keyset-paginated page query (ordered by date, id). */
export async function dailyReader(c: Connection, from: DailyFrom): Promise<DailyReader> {
  const { table, entity } = DAILY_TABLES[from];
  const all = await tables(c, [table, KEYS, TEAMS]);
  const found = all.get(table);
  if (!found) throw missingTable(c, table);
  const missing = [...DAILY_REQUIRED, entity].filter((col) => !found.columns.has(col));
  if (missing.length > 0) throw missingColumns(c, table, missing);
  if (!found.readable) throw unreadable(c, table);
  const cols = [...DAILY_REQUIRED, entity, ...DAILY_OPTIONAL.filter((col) => found.columns.has(col))].map((col) => `d.${q(col)}`);
  const usable = (t: string, need: string[]) => {
    const x = all.get(t);
    return x?.readable === true && need.every((col) => x.columns.has(col));
  };
  // The key alias for the hashed key, and for team rows the team alias, as for spend logs.
  const joins: string[] = [];
  const skipped: string[] = [];
  if (usable(KEYS, ['token', 'key_alias'])) {
    joins.push(`LEFT JOIN ${q(KEYS)} k ON k.token = d.api_key`);
    cols.push('k.key_alias AS _key_alias');
  } else skipped.push(KEYS);
  if (entity === 'team_id') {
    if (usable(TEAMS, ['team_id', 'team_alias'])) {
      joins.push(`LEFT JOIN ${q(TEAMS)} t ON t.team_id = d.team_id`);
      cols.push('t.team_alias AS _team_alias');
    } else skipped.push(TEAMS);
  }
  const select = `SELECT ${cols.join(', ')} FROM ${q(table)} d ${joins.join(' ')}`;
  return {
    table,
    entity,
    skipped,
    page: (after, limit, until) =>
      readOnly(
        c,
        `${select} WHERE (d.date, d.id) > ($1::text, $2::text)${until ? ' AND d.date < $4::text' : ''} ORDER BY d.date, d.id LIMIT $3`,
        until ? [after.date, after.id, limit, until] : [after.date, after.id, limit],
      ),
  };
}
