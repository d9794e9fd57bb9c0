/**
 * `llmcost ingest litellm --database-url`: against a real PostgreSQL server (test/helpers/postgres.ts) holding
 * LiteLLM's tables (fixtures/litellm/postgres/schema.sql, from LiteLLM's own migrations), seeded with the rows of
 * the file adapter's fixtures so both paths can be compared row by row.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { fixture, json, sandbox } from '../helpers/cli.js';
import { freePort, usePostgres } from '../helpers/postgres.js';

// TLS on; the role tls_only may log in over TLS only.
const pg = usePostgres({
  ssl: true,
  hba: ['hostssl all tls_only 127.0.0.1/32 scram-sha-256', 'hostnossl all tls_only 127.0.0.1/32 reject'],
  logStatements: true,
});
const sql = (name: string): string => readFileSync(fixture('litellm', 'postgres', name), 'utf8');

/** The spend-log rows of the file fixtures (JSON Lines and a JSON array), as LiteLLM holds them in its table. */
const FILES = [
  fixture('litellm', 'spend-logs.jsonl'),
  fixture('litellm', 'prompt-split.jsonl'),
  fixture('litellm', 'cache-hit', 'spend-logs.json'),
];
function fileRows(): unknown[] {
  return FILES.flatMap((f) => {
    const text = readFileSync(f, 'utf8');
    return f.endsWith('.json')
      ? (JSON.parse(text) as unknown[])
      : text
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l) as unknown);
  });
}

async function seedLiteLLM(database: string, extra: string[] = []): Promise<string> {
  const url = await pg.server.createDatabase(database);
  await pg.server.query(sql('schema.sql'), [], database);
  for (const row of fileRows()) {
    await pg.server.query(
      `INSERT INTO "LiteLLM_SpendLogs" SELECT * FROM jsonb_populate_record(NULL::"LiteLLM_SpendLogs", $1::jsonb) ON CONFLICT DO NOTHING`,
      [JSON.stringify(row)],
      database,
    );
  }
  for (const f of extra) await pg.server.query(sql(f), [], database);
  return url;
}

/** Every stored usage row, without the store's own ids, in request-id order. */
function storedRows(path: string): Record<string, unknown>[] {
  const Database = createRequire(import.meta.url)('better-sqlite3') as typeof import('better-sqlite3');
  const db = new Database(path, { readonly: true });
  try {
    return db
      .prepare(
        `SELECT ts, day_only, source, source_id, provider, model_raw, model, region, user, team, api_key, endpoint, tags, service_tier, status,
                requests, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, cache_write_1h_tokens, cost_nanos, cost_basis,
                reported_cost_nanos, computed_cost_nanos, price_ref
           FROM usage ORDER BY source_id`,
      )
      .safeIntegers()
      .all() as Record<string, unknown>[];
  } finally {
    db.close();
  }
}

interface IngestOut {
  files: { file: string; source: string; read: number; inserted: number; duplicate: number; rejected: number; replaced?: number }[];
  totals: { read: number; inserted: number; duplicate: number };
}

const sb = sandbox();
let url = '';
let bare = '';

beforeAll(async () => {
  url = await seedLiteLLM('litellm', ['keys-teams-users.sql']);
  bare = await pg.server.createDatabase('not_litellm');
}, 60_000);
afterAll(() => sb.dispose());

describe('ingest litellm --database-url', () => {
  it('stores exactly the rows the file adapter stores from the same spend logs', () => {
    const files = sandbox();
    try {
      const f = files.run(['ingest', 'litellm', ...FILES, '--json']);
      expect(f.status, f.stderr).toBe(0);
      const d = sb.run(['ingest', 'litellm', '--database-url', url, '--json']);
      expect(d.status, d.stderr).toBe(0);
      const out = json<IngestOut>(d);
      const label = `postgres://postgres@127.0.0.1:${pg.server.port}/litellm`;
      expect(out.files).toEqual([{ file: label, source: 'litellm', read: 10, inserted: 10, duplicate: 0, rejected: 0, unpriced: 0 }]);
      expect(d.stderr).toBe(`${label}: reading "LiteLLM_SpendLogs" from its first row\n`);
      expect(json<IngestOut>(f).totals).toEqual({ read: 11, inserted: 10, duplicate: 1, rejected: 0, unpriced: 0 });
      expect(storedRows(sb.db)).toEqual(storedRows(files.db));
      expect(storedRows(sb.db)).toHaveLength(10);
      const rf = json(files.run(['report', '--since', '2026-10-01', '--until', '2026-10-31', '--by', 'model', '--json']));
      const rd = json(sb.run(['report', '--since', '2026-10-01', '--until', '2026-10-31', '--by', 'model', '--json']));
      expect(rd).toEqual(rf);
    } finally {
      files.dispose();
    }
  });

  it('reads only new rows next time, re-reads the overlap before the cursor, and picks up rows written late', async () => {
    // The cursor is chatcmpl-ps3's start, 2026-10-09 11:00; the default overlap re-reads from 09:00 (ps1, ps2, ps3).
    await pg.server.query(sql('older-rows.sql'), [], 'litellm');
    const second = sb.run(['ingest', 'litellm', '--database-url', url, '--json']);
    expect(second.status, second.stderr).toBe(0);
    expect(json<IngestOut>(second).totals).toEqual({ read: 8, inserted: 5, duplicate: 3, rejected: 0, unpriced: 0 });
    expect(second.stderr).toContain('from 2026-10-09T09:00:00.000Z (the cursor 2026-10-09T11:00:00.000Z less the 2h overlap)');

    const again = sb.run(['ingest', 'litellm', '--database-url', url, '--json']);
    expect(json<IngestOut>(again).totals).toEqual({ read: 3, inserted: 0, duplicate: 3, rejected: 0, unpriced: 0 });

    // Written after the run above, with a start 90 minutes before the newest row: inside the overlap.
    await pg.server.query(
      `INSERT INTO "LiteLLM_SpendLogs" ("request_id", "call_type", "api_key", "spend", "prompt_tokens", "completion_tokens", "startTime", "endTime",
         "model", "custom_llm_provider", "user", "metadata", "request_tags")
       VALUES ('chatcmpl-late', 'acompletion', '', 0.00036, 2000, 100, '2026-10-10 10:30:00', '2026-10-10 12:05:00', 'gpt-4o-mini', 'openai',
         'carol', '{}', '[]')`,
      [],
      'litellm',
    );
    const late = sb.run(['ingest', 'litellm', '--database-url', url, '--json']);
    expect(json<IngestOut>(late).totals).toEqual({ read: 4, inserted: 1, duplicate: 3, rejected: 0, unpriced: 0 });
    const none = sb.run(['ingest', 'litellm', '--database-url', url, '--overlap', '0', '--json']);
    expect(json<IngestOut>(none).totals).toEqual({ read: 3, inserted: 0, duplicate: 3, rejected: 0, unpriced: 0 });

    const since = sb.run(['ingest', 'litellm', '--database-url', url, '--since', '2026-10-05', '--json']);
    expect(json<IngestOut>(since).totals).toEqual({ read: 16, inserted: 0, duplicate: 16, rejected: 0, unpriced: 0 });
  });

  it('runs every query alone in a READ ONLY transaction, and never selects prompts or answers', () => {
    // Simple queries are logged as `statement:`, parameterized ones as `execute <unnamed>:`; a statement's
    // further lines follow its first, indented with a tab.
    const statements = pg.server
      .log()
      .split(/\n(?!\t)/)
      .flatMap((entry) => /^\[llmcost\] LOG: {2}(?:statement|execute <unnamed>): ([\s\S]*)$/.exec(entry)?.[1] ?? []);
    expect(statements.length).toBeGreaterThan(20);
    for (const [i, st] of statements.entries()) {
      if (st.startsWith('SELECT')) {
        expect(statements[i - 1]).toBe('BEGIN TRANSACTION READ ONLY');
        expect(statements[i + 1]).toBe('COMMIT');
      } else expect(['BEGIN TRANSACTION READ ONLY', 'COMMIT']).toContain(st);
    }
    const reads = statements.filter((st) => st.includes('FROM "LiteLLM_SpendLogs"')).join('\n');
    expect(reads).toContain('ORDER BY s."startTime", s.request_id LIMIT');
    expect(reads).not.toMatch(/OFFSET|messages|proxy_server_request|s\.response\b(?!->)/);
  });

  it('fills key alias, team alias and user email from LiteLLM’s own tables where the row lacks them, never the key', () => {
    const rows = new Map(storedRows(sb.db).map((r) => [r.source_id, r]));
    const pick = (id: string) => {
      const r = rows.get(id);
      return { user: r?.user, team: r?.team, apiKey: r?.api_key };
    };
    expect(pick('chatcmpl-e1')).toEqual({ user: 'dana@example.com', team: 'ops', apiKey: 'ops-cron' });
    expect(pick('chatcmpl-e2')).toEqual({
      user: 'bob',
      team: 'support',
      apiKey: 'ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12',
    });
    expect(pick('chatcmpl-e3')).toEqual({ user: 'u-7f2a', team: 'search', apiKey: 'search-backend' });
    expect(pick('chatcmpl-e4')).toEqual({ user: 'alice', team: 'search', apiKey: 'search-backend' });
    expect(JSON.stringify([...rows.values()], (_, v) => (typeof v === 'bigint' ? String(v) : v))).not.toContain('sk-');
  });

  it('pages by ("startTime", request_id): rows that tie on startTime are neither skipped nor read twice', () => {
    const small = sandbox();
    try {
      const r = small.run(['ingest', 'litellm', '--database-url', url, '--page-size', '2', '--json']);
      expect(r.status, r.stderr).toBe(0);
      expect(json<IngestOut>(r).totals).toEqual({ read: 16, inserted: 16, duplicate: 0, rejected: 0, unpriced: 0 });
      expect(storedRows(small.db)).toEqual(storedRows(sb.db));
    } finally {
      small.dispose();
    }
  });

  it('takes LITELLM_DATABASE_URL, else DATABASE_URL, when no path is given; a dry run moves no cursor', () => {
    const env = sandbox();
    try {
      const dry = env.run(['ingest', 'litellm', '--dry-run', '--json'], { env: { DATABASE_URL: url } });
      expect(dry.status, dry.stderr).toBe(0);
      expect(json<IngestOut>(dry).totals).toEqual({ read: 16, inserted: 16, duplicate: 0, rejected: 0, unpriced: 0 });
      const r = env.run(['ingest', 'litellm', '--json'], { env: { LITELLM_DATABASE_URL: url, DATABASE_URL: bare } });
      expect(r.status, r.stderr).toBe(0);
      expect(json<IngestOut>(r).totals).toEqual({ read: 16, inserted: 16, duplicate: 0, rejected: 0, unpriced: 0 });
    } finally {
      env.dispose();
    }
  });

  it('needs only SELECT: without the enrichment tables it says so and stores the rows unenriched', async () => {
    await pg.server.query(`CREATE ROLE reader LOGIN PASSWORD 'reader-pw'`);
    await pg.server.query(`GRANT SELECT ON "LiteLLM_SpendLogs" TO reader`, [], 'litellm');
    const reader = pg.server.url('litellm', { user: 'reader', password: 'reader-pw' });
    const s = sandbox();
    try {
      const r = s.run(['ingest', 'litellm', '--database-url', reader, '--json']);
      expect(r.status, r.stderr).toBe(0);
      expect(json<IngestOut>(r).totals.inserted).toBe(16);
      const label = `postgres://reader@127.0.0.1:${pg.server.port}/litellm`;
      for (const t of ['LiteLLM_VerificationToken', 'LiteLLM_TeamTable', 'LiteLLM_UserTable']) {
        expect(r.stderr).toContain(`${label}: "${t}" cannot be read (missing or no SELECT): rows are not enriched from it.\n`);
      }
      expect(storedRows(s.db).find((x) => x.source_id === 'chatcmpl-e1')?.api_key).toBe(
        '5d41402abc4b2a76b9719d911017c592e3b0c44298fc1c149afbf4c8996fb924',
      );
      await pg.server.query(`REVOKE SELECT ON "LiteLLM_SpendLogs" FROM reader`, [], 'litellm');
      const denied = s.run(['ingest', 'litellm', '--database-url', reader]);
      expect(denied.status).toBe(4);
      expect(denied.stderr).toContain(`${label}: permission denied to read "LiteLLM_SpendLogs".`);
      expect(denied.stderr).toContain('GRANT SELECT ON "LiteLLM_SpendLogs" TO <user>;');
    } finally {
      s.dispose();
    }
  });

  it('--from daily stores LiteLLM_DailyUserSpend as day lines of many requests, replacing re-read days', async () => {
    await pg.server.query(sql('daily-user-spend.sql'), [], 'litellm');
    const s = sandbox();
    try {
      const r = s.run(['ingest', 'litellm', '--database-url', url, '--from', 'daily', '--json']);
      expect(r.status, r.stderr).toBe(0);
      expect(json<IngestOut>(r).files[0]).toMatchObject({ source: 'litellm-daily', read: 3, inserted: 3, duplicate: 0 });
      expect(r.stderr).toContain('one line per day, user_id, key, model and endpoint: no request times');
      const rows = storedRows(s.db);
      expect(new Set(rows.map((x) => x.api_key))).toEqual(new Set(['search-backend']));
      expect(
        rows.map((x) => [
          x.source_id,
          x.day_only,
          x.user,
          x.requests,
          x.input_tokens,
          x.cache_read_tokens,
          x.cost_nanos,
          x.computed_cost_nanos,
        ]),
      ).toEqual([
        ['LiteLLM_DailyUserSpend:d-0001', 1n, 'alice', 100n, 60000n, 40000n, 400000000n, 400000000n],
        ['LiteLLM_DailyUserSpend:d-0002', 1n, 'bob', 50n, 1000000n, 0n, 210000000n, 210000000n],
        ['LiteLLM_DailyUserSpend:d-0003', 1n, 'alice', 40n, 30000n, 20000n, 200000000n, 200000000n],
      ]);
      // The day goes on: LiteLLM adds to its row. The next run re-reads that day and replaces it.
      await pg.server.query(
        `UPDATE "LiteLLM_DailyUserSpend" SET "api_requests" = 60, "prompt_tokens" = 75000, "completion_tokens" = 15000, "cache_read_input_tokens" = 30000,
           "spend" = 0.3 WHERE "id" = 'd-0003'`,
        [],
        'litellm',
      );
      const again = s.run(['ingest', 'litellm', '--database-url', url, '--from', 'daily', '--json']);
      expect(again.status, again.stderr).toBe(0);
      expect(json<IngestOut>(again).files[0]).toMatchObject({ read: 3, inserted: 3, duplicate: 0, replaced: 3 });
      const report = json<{ totals: { requests: number; costNanos: string } }>(
        s.run(['report', '--since', '2026-10-05', '--until', '2026-10-06', '--json']),
      );
      expect(report.totals.requests).toBe(210);
      const tags = s.run(['ingest', 'litellm', '--database-url', url, '--from', 'daily-tag', '--json']);
      expect(tags.status, tags.stderr).toBe(0);
      expect(json<IngestOut>(tags).files).toEqual([
        {
          file: `postgres://postgres@127.0.0.1:${pg.server.port}/litellm`,
          source: 'litellm-daily',
          read: 0,
          inserted: 0,
          duplicate: 0,
          rejected: 0,
          unpriced: 0,
        },
      ]);
    } finally {
      s.dispose();
    }
  });
});

describe('ingest litellm --database-url errors', () => {
  it('a bad row fails its page (exit 2, the cursor stays before it); --skip-invalid stores the others', async () => {
    const bad = await pg.server.createDatabase('bad_rows');
    await pg.server.query(sql('schema.sql'), [], 'bad_rows');
    await pg.server.query(sql('older-rows.sql'), [], 'bad_rows');
    // INTEGER takes what LiteLLM never writes: a negative count.
    await pg.server.query(`UPDATE "LiteLLM_SpendLogs" SET "prompt_tokens" = -5 WHERE "request_id" = 'chatcmpl-e4'`, [], 'bad_rows');
    const s = sandbox();
    try {
      const label = `postgres://postgres@127.0.0.1:${pg.server.port}/bad_rows`;
      const r = s.run(['ingest', 'litellm', '--database-url', bad, '--page-size', '2']);
      expect(r.status).toBe(2);
      expect(r.stderr).toContain(
        `${label}: request_id "chatcmpl-e4": record 4: field "prompt_tokens": expected a non-negative whole number of tokens, got -5\n`,
      );
      expect(r.stderr).toContain(
        `llmcost: ${label}: 1 of 2 lines could not be read. That page was not stored (the 1 page before it were); the cursor stays before it.`,
      );
      expect(storedRows(s.db).map((x) => x.source_id)).toEqual(['chatcmpl-e1', 'chatcmpl-e2']);
      const skip = s.run(['ingest', 'litellm', '--database-url', bad, '--skip-invalid', '--json']);
      expect(skip.status, skip.stderr).toBe(0);
      // From the cursor (e2's start) less 2h: e1 and e2 again, then e3 and e5; e4 listed.
      expect(json<IngestOut>(skip).totals).toEqual({ read: 5, inserted: 2, duplicate: 2, rejected: 1, unpriced: 0 });
    } finally {
      s.dispose();
    }
  });

  it('honors sslmode in the URL or PGSSLMODE with libpq’s meaning; a failed certificate check exits 4', async () => {
    await pg.server.query(`CREATE ROLE tls_only LOGIN PASSWORD 'tls-pw'`);
    await pg.server.query(`GRANT SELECT ON "LiteLLM_SpendLogs" TO tls_only`, [], 'litellm');
    const tls = pg.server.url('litellm', { user: 'tls_only', password: 'tls-pw' });
    const label = `postgres://tls_only@127.0.0.1:${pg.server.port}/litellm`;
    // A store of its own: the cursor is per database, and this one has none.
    const fresh = sandbox();
    onTestFinished(() => fresh.dispose());
    const plain = fresh.run(['ingest', 'litellm', '--database-url', tls, '--dry-run']);
    expect(plain.status).toBe(4);
    expect(plain.stderr).toContain(`${label}: the database refused the login (`);
    expect(plain.stderr).toContain('no encryption');
    const env = fresh.run(['ingest', 'litellm', '--database-url', tls, '--dry-run', '--json'], { env: { PGSSLMODE: 'no-verify' } });
    expect(env.status, env.stderr).toBe(0);
    const [count] = await pg.server.query<{ n: number }>(`SELECT count(*)::int AS n FROM "LiteLLM_SpendLogs"`, [], 'litellm');
    expect(json<IngestOut>(env).totals.read).toBe(count?.n);
    const param = fresh.run(['ingest', 'litellm', '--database-url', `${tls}?sslmode=no-verify`, '--dry-run', '--json']);
    expect(param.status, param.stderr).toBe(0);
    // libpq's require: encrypted, the certificate not checked (pg alone would check it, and warn).
    for (const r of [
      fresh.run(['ingest', 'litellm', '--database-url', `${tls}?sslmode=require`, '--dry-run', '--json']),
      fresh.run(['ingest', 'litellm', '--database-url', tls, '--dry-run', '--json'], { env: { PGSSLMODE: 'require' } }),
    ]) {
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).not.toContain('WARNING');
    }
    // The certificate is self-signed: verifying it fails.
    const verify = fresh.run(['ingest', 'litellm', '--database-url', `${tls}?sslmode=verify-full`, '--dry-run']);
    expect(verify.status).toBe(4);
    expect(verify.stderr).toContain(`${label}: TLS failed (self-signed certificate).`);
    const verifyEnv = fresh.run(['ingest', 'litellm', '--database-url', tls, '--dry-run'], { env: { PGSSLMODE: 'verify-full' } });
    expect(verifyEnv.status).toBe(4);
    expect(verify.stderr).not.toContain('tls-pw');
  });

  it('a wrong password exits 4 and never prints the password', () => {
    const wrong = pg.server.url('litellm', { user: 'postgres', password: 'not-the-password' });
    const r = sb.run(['ingest', 'litellm', '--database-url', wrong]);
    expect(r.status).toBe(4);
    expect(r.stderr).toContain(`postgres://postgres@127.0.0.1:${pg.server.port}/litellm: the database refused the login`);
    expect(r.stderr).not.toContain('not-the-password');
    expect(r.stderr).not.toContain(pg.server.password);
  });

  it('an unreachable server exits 4', async () => {
    const port = await freePort();
    const r = sb.run(['ingest', 'litellm', '--database-url', `postgres://postgres:secret-pw@127.0.0.1:${port}/litellm`]);
    expect(r.status).toBe(4);
    expect(r.stderr).toContain(`postgres://postgres@127.0.0.1:${port}/litellm: cannot reach the database (ECONNREFUSED).`);
    expect(r.stderr).not.toContain('secret-pw');
  });

  it('a database without LiteLLM’s tables, or none at all, exits 2', () => {
    const r = sb.run(['ingest', 'litellm', '--database-url', bare]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(
      `postgres://postgres@127.0.0.1:${pg.server.port}/not_litellm: no table "LiteLLM_SpendLogs": not a LiteLLM proxy database.`,
    );
    const daily = sb.run(['ingest', 'litellm', '--database-url', bare, '--from', 'daily-team']);
    expect(daily.status).toBe(2);
    expect(daily.stderr).toContain('no table "LiteLLM_DailyTeamSpend"');
    const missing = sb.run(['ingest', 'litellm', '--database-url', pg.server.url('no_such_db')]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain(`postgres://postgres@127.0.0.1:${pg.server.port}/no_such_db: database "no_such_db" does not exist.`);
  });

  it('a spend-log table of another shape exits 2 naming the missing columns', async () => {
    await pg.server.createDatabase('other_schema');
    await pg.server.query(`CREATE TABLE "LiteLLM_SpendLogs" ("request_id" TEXT PRIMARY KEY, "spend" DOUBLE PRECISION)`, [], 'other_schema');
    const r = sb.run(['ingest', 'litellm', '--database-url', pg.server.url('other_schema')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(
      '"LiteLLM_SpendLogs" has no column "startTime", "model", "prompt_tokens", "completion_tokens": a LiteLLM schema llmcost cannot read.',
    );
  });

  it('a malformed URL, a URL that is not PostgreSQL, and files with a URL exit 2', () => {
    const bad = sb.run(['ingest', 'litellm', '--database-url', 'postgres://user:pw@host:notaport/db']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--database-url is not a PostgreSQL URL.');
    expect(bad.stderr).not.toContain(':pw@');
    const mysql = sb.run(['ingest', 'litellm'], { env: { DATABASE_URL: 'mysql://root:pw@localhost/litellm' } });
    expect(mysql.status).toBe(2);
    expect(mysql.stderr).toContain('DATABASE_URL is not a PostgreSQL URL.');
    const both = sb.run(['ingest', 'litellm', fixture('litellm', 'spend-logs.jsonl'), '--database-url', url]);
    expect(both.status).toBe(2);
    expect(both.stderr).toContain('Give files or --database-url, not both.');
    const none = sb.run(['ingest', 'litellm']);
    expect(none.status).toBe(2);
    expect(none.stderr).toContain('Give the files or directories to ingest.');
  });
});
