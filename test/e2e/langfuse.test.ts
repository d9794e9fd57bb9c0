import { createRequire } from 'node:module';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { type ApiRequest, apiServer, fixtureText, type Reply } from '../helpers/api-server.js';
import { fixture, json, type RunResult, runAsync, sandbox } from '../helpers/cli.js';

const PK = 'pk-lf-TESTSECRET-public-0123';
const SK = 'sk-lf-TESTSECRET-secret-4567';
const BASIC = `Basic ${Buffer.from(`${PK}:${SK}`).toString('base64')}`;
const servers: { close: () => Promise<void> }[] = [];
const sandboxes: ReturnType<typeof sandbox>[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});
afterAll(() => {
  for (const s of sandboxes) s.dispose();
});
const serve = async (answer: (req: ApiRequest, nth: number) => Reply) => {
  const s = await apiServer(answer);
  servers.push(s);
  return s;
};
const fresh = (): ReturnType<typeof sandbox> => {
  const sb = sandbox();
  sandboxes.push(sb);
  return sb;
};
/** No output shows a key, nor the Authorization header made of them. */
const noSecret = (...rs: RunResult[]): void => {
  for (const r of rs) {
    expect(`${r.stdout}${r.stderr}`).not.toContain('TESTSECRET');
    expect(`${r.stdout}${r.stderr}`).not.toContain(BASIC.slice(6));
  }
};
const file = (name: string): Reply => ({ body: fixtureText(fixture('langfuse', name)) });
const pageOf = (req: ApiRequest): string | null => new URLSearchParams(req.query).get('page');
const q = (r: ApiRequest): string => new URLSearchParams(r.query).toString();

/** Langfuse as the fixtures describe it: generations in two pages, traces in two pages after one 429, one trace read alone. */
function langfuse(req: ApiRequest, nth: number): Reply {
  if (req.headers.authorization !== BASIC)
    return { status: 401, body: { message: 'Invalid credentials. Confirm that you have used the correct host.' } };
  if (req.path === '/api/public/observations') return file(pageOf(req) === '2' ? 'observations-page2.json' : 'observations-page1.json');
  if (req.path === '/api/public/traces') {
    if (nth === 0) return { status: 429, headers: { 'retry-after': '1' }, body: { message: 'Rate limit exceeded' } };
    return file(pageOf(req) === '2' ? 'traces-page2.json' : 'traces-page1.json');
  }
  if (req.path === '/api/public/traces/nightly-2026-09-30') return file('trace-before-window.json');
  return { status: 404, body: { message: 'Not found' } };
}

const ENV = { LANGFUSE_PUBLIC_KEY: PK, LANGFUSE_SECRET_KEY: SK, LLMCOST_NOW: '2026-10-04T09:00:00Z' };

/** The stored rows, as the usage view names them (money as decimal strings of nanos, exact). */
function storedRows(path: string): Record<string, unknown>[] {
  const Database = createRequire(import.meta.url)('better-sqlite3') as typeof import('better-sqlite3');
  const db = new Database(path, { readonly: true });
  try {
    return db
      .prepare(
        `SELECT source_id, model_raw, user, endpoint, tags, requests, input_tokens, output_tokens, cache_read_tokens,
           cache_write_tokens, reported_cost_nanos, computed_cost_nanos FROM usage ORDER BY ts`,
      )
      .safeIntegers()
      .all()
      .map((r) => Object.fromEntries(Object.entries(r as object).map(([k, v]) => [k, typeof v === 'bigint' ? v.toString() : v])));
  } finally {
    db.close();
  }
}

const REPORT = ['report', '--since', '2026-10-01', '--until', '2026-10-03', '--json'];

describe('ingest langfuse', () => {
  it('reads generations and their traces page by page, retries a 429, stores exact costs, and a re-run from the cursor adds nothing', async () => {
    const sb = fresh();
    const api = await serve(langfuse);
    const env = { ...ENV, LANGFUSE_HOST: api.origin };
    const first = await runAsync(sb, ['ingest', 'langfuse', '--since', '2026-10-01', '--page-size', '2', '--json'], { env });
    expect(first.stderr).toBe(
      'llmcost: langfuse: reading generations from 2026-10-01T00:00:00.000Z (--since) to 2026-10-04T09:00:00.000Z\n' +
        'llmcost: langfuse: /api/public/traces: HTTP 429; retrying in 1 s (attempt 2 of 5).\n',
    );
    expect(first.status).toBe(0);
    const generations = 'type=GENERATION&fromStartTime=2026-10-01T00%3A00%3A00.000Z&toStartTime=2026-10-04T09%3A00%3A00.000Z&limit=2';
    // Traces from a day before the first generation; the one that started before that is read alone.
    const traces = 'fromTimestamp=2026-09-30T00%3A00%3A00.000Z&toTimestamp=2026-10-04T09%3A00%3A00.000Z&fields=core&limit=2';
    expect(api.got.map((g) => `${g.method} ${g.path}?${q(g)}`)).toEqual([
      // A Langfuse v3 server has no v2 observations: the v1 lists are read.
      `GET /api/public/v2/observations?${generations.replace('&limit', '&fields=core%2Cbasic%2Cusage%2Cmodel%2Ctrace_context&limit')}`,
      `GET /api/public/observations?${generations}&page=1`,
      `GET /api/public/observations?${generations}&page=2`,
      `GET /api/public/traces?${traces}&page=1`,
      `GET /api/public/traces?${traces}&page=1`,
      `GET /api/public/traces?${traces}&page=2`,
      'GET /api/public/traces/nightly-2026-09-30?fields=core',
    ]);
    for (const g of api.got) expect(g.headers.authorization).toBe(BASIC);
    expect(json(first)).toMatchObject({ totals: { read: 4, inserted: 4, duplicate: 0, rejected: 0, unpriced: 0 }, issues: [] });

    expect(storedRows(sb.db)).toEqual([
      // LiteLLM's callback: input holds the cache counts (total = input + output), so they are taken out of it.
      {
        source_id: 'time-10-02-11-chatcmpl-7f3a2c',
        model_raw: 'claude-sonnet-4-5-20250929',
        user: 'alice@example.com',
        endpoint: 'litellm-acompletion',
        tags: '["team:search","prod","session:sess-42"]',
        requests: '1',
        input_tokens: '1000',
        output_tokens: '800',
        cache_read_tokens: '10000',
        cache_write_tokens: '1000',
        reported_cost_nanos: '21750000',
        computed_cost_nanos: '21750000',
      },
      // Langfuse's own integration: disjoint usage types (input without the cached tokens).
      {
        source_id: '3c0d9f4e-8a71-4d2b-9b55-1f0e6a2d7c10',
        model_raw: 'gpt-4o-mini-2024-07-18',
        user: 'bob',
        endpoint: 'support-bot',
        tags: null,
        requests: '1',
        input_tokens: '1500',
        output_tokens: '300',
        cache_read_tokens: '500',
        cache_write_tokens: '0',
        reported_cost_nanos: '442500',
        computed_cost_nanos: '442500',
      },
      // An older server's shape (usage and calculatedTotalCost); its trace started before the listed window.
      {
        source_id: 'b7e4c1a0-5d2f-4e3b-8c9a-0f1e2d3c4b5a',
        model_raw: 'gpt-4o-mini',
        user: '',
        endpoint: 'nightly-batch',
        tags: '["batch"]',
        requests: '1',
        input_tokens: '2000',
        output_tokens: '100',
        cache_read_tokens: '0',
        cache_write_tokens: '0',
        reported_cost_nanos: '360000',
        computed_cost_nanos: '360000',
      },
      // No cost from Langfuse (a model it has no price for): only llmcost's.
      {
        source_id: 'time-16-20-04-chatcmpl-91bd07',
        model_raw: 'claude-sonnet-4-5-20250929',
        user: 'alice@example.com',
        endpoint: 'litellm-acompletion',
        tags: '["team:search","prod","session:sess-42"]',
        requests: '1',
        input_tokens: '400',
        output_tokens: '50',
        cache_read_tokens: '0',
        cache_write_tokens: '0',
        reported_cost_nanos: null,
        computed_cost_nanos: '1950000',
      },
    ]);
    const report = await runAsync(sb, [...REPORT, '--by', 'endpoint'], { env });
    expect([report.status, report.stderr]).toEqual([0, '']);
    const r = json<{ rows: { group: { endpoint: string }; requests: number; costNanos: number }[]; totals: Record<string, number> }>(
      report,
    );
    // $0.02175 + $0.0004425 + $0.00036 + $0.00195
    expect(r.totals).toMatchObject({ requests: 4, inputTokens: 4900, outputTokens: 1250, cacheReadTokens: 10500, costNanos: 24_502_500 });
    expect(r.rows.map((x) => [x.group.endpoint, x.requests, x.costNanos])).toEqual([
      ['litellm-acompletion', 2, 23_700_000],
      ['support-bot', 1, 442_500],
      ['nightly-batch', 1, 360_000],
    ]);

    // No --since: from the newest start time stored (2026-10-02T16:20:04.117Z) less the 2h overlap.
    api.got.length = 0;
    const again = await runAsync(sb, ['ingest', 'langfuse', '--page-size', '2', '--json'], { env });
    expect(again.status).toBe(0);
    expect(again.stderr).toContain(
      'reading generations from 2026-10-02T14:20:04.117Z (the cursor 2026-10-02T16:20:04.117Z less the overlap) to 2026-10-04T09:00:00.000Z',
    );
    expect(q(api.got[1] as ApiRequest)).toBe(
      'type=GENERATION&fromStartTime=2026-10-02T14%3A20%3A04.117Z&toStartTime=2026-10-04T09%3A00%3A00.000Z&limit=2&page=1',
    );
    expect(json(again)).toMatchObject({ totals: { read: 4, inserted: 0, duplicate: 4 } });
    expect(json(await runAsync(sb, [...REPORT, '--by', 'endpoint'], { env }))).toEqual(r);
    noSecret(first, report, again);
  });

  it('reads the v2 observations (Langfuse v4, Cloud) by cursor, the trace fields on each generation, and stores them as v1 would', async () => {
    const sb = fresh();
    const api = await serve((req) => {
      if (req.headers.authorization !== BASIC) return { status: 401, body: { message: 'Unauthorized' } };
      if (req.path !== '/api/public/v2/observations') return { status: 404, body: { message: 'Not found' } };
      return file(new URLSearchParams(req.query).has('cursor') ? 'observations-v2-page2.json' : 'observations-v2-page1.json');
    });
    const env = { ...ENV, LANGFUSE_HOST: api.origin };
    const r = await runAsync(sb, ['ingest', 'langfuse', '--since', '2026-10-01', '--page-size', '2', '--json'], { env });
    expect([r.status, r.stderr]).toEqual([
      0,
      'llmcost: langfuse: reading generations from 2026-10-01T00:00:00.000Z (--since) to 2026-10-04T09:00:00.000Z\n',
    ]);
    const v2 =
      'type=GENERATION&fromStartTime=2026-10-01T00%3A00%3A00.000Z&toStartTime=2026-10-04T09%3A00%3A00.000Z&fields=core%2Cbasic%2Cusage%2Cmodel%2Ctrace_context&limit=2';
    expect(api.got.map((g) => `${g.path}?${q(g)}`)).toEqual([
      `/api/public/v2/observations?${v2}`,
      `/api/public/v2/observations?${v2}&cursor=eyJsYXN0U3RhcnRUaW1lIjoiMjAyNi0xMC0wMVQxODo0MDoxMS4wMDJaIiwibGFzdElkIjoiM2MwZDlmNGUifQ%3D%3D`,
    ]);
    expect(json(r)).toMatchObject({ totals: { read: 3, inserted: 3, duplicate: 0, rejected: 0, unpriced: 0 } });
    expect(
      storedRows(sb.db).map((x) => [
        x.source_id,
        x.user,
        x.endpoint,
        x.tags,
        x.input_tokens,
        x.cache_read_tokens,
        x.reported_cost_nanos,
        x.computed_cost_nanos,
      ]),
    ).toEqual([
      [
        'time-10-02-11-chatcmpl-7f3a2c',
        'alice@example.com',
        'litellm-acompletion',
        '["team:search","prod","session:sess-42"]',
        '1000',
        '10000',
        '21750000',
        '21750000',
      ],
      ['3c0d9f4e-8a71-4d2b-9b55-1f0e6a2d7c10', 'bob', 'support-bot', null, '1500', '500', '442500', '442500'],
      [
        'time-16-20-04-chatcmpl-91bd07',
        'alice@example.com',
        'litellm-acompletion',
        '["team:search","prod","session:sess-42"]',
        '400',
        '0',
        null,
        '1950000',
      ],
    ]);
    const again = await runAsync(sb, ['ingest', 'langfuse', '--json'], { env });
    expect(json(again)).toMatchObject({ totals: { read: 3, inserted: 0, duplicate: 3 } });
    noSecret(r, again);
  });

  it('without keys: exit 2 naming both variables; --dry-run prints the requests without keys and sends nothing', async () => {
    const sb = fresh();
    const none = await runAsync(sb, ['ingest', 'langfuse'], { env: { LANGFUSE_PUBLIC_KEY: PK } });
    expect(none.status).toBe(2);
    expect(none.stderr).toContain('langfuse needs LANGFUSE_PUBLIC_KEY and LANGFUSE_SECRET_KEY: LANGFUSE_SECRET_KEY not set.');
    const api = await serve(langfuse);
    const dry = await runAsync(sb, ['ingest', 'langfuse', '--since', '2026-10-01', '--dry-run', '--endpoint-url', `${api.origin}/`], {
      env: { LLMCOST_NOW: '2026-10-04T09:00:00Z' },
    });
    expect([dry.status, dry.stderr]).toEqual([0, '']);
    expect(json(dry)).toMatchObject({
      kind: 'langfuse-request',
      endpointUrl: api.origin,
      headers: { authorization: 'Basic base64($LANGFUSE_PUBLIC_KEY:$LANGFUSE_SECRET_KEY)' },
      requests: [
        {
          kind: 'generations',
          url: `${api.origin}/api/public/v2/observations?type=GENERATION&fromStartTime=2026-10-01T00%3A00%3A00.000Z&toStartTime=2026-10-04T09%3A00%3A00.000Z&fields=core%2Cbasic%2Cusage%2Cmodel%2Ctrace_context&limit=100`,
        },
        { kind: 'generations-v1' },
        { kind: 'traces' },
      ],
    });
    expect(api.got).toEqual([]);
    noSecret(none, dry);
  });

  it('lists a generation without a model and stores the rest; a page without meta.totalPages exits 3 and stores nothing', async () => {
    const sb = fresh();
    const page1 = JSON.parse(fixtureText(fixture('langfuse', 'observations-page1.json')));
    page1.data[1].model = null;
    page1.meta.totalPages = 1;
    const traces = JSON.parse(fixtureText(fixture('langfuse', 'traces-page1.json')));
    traces.meta.totalPages = 1;
    const api = await serve((req) =>
      req.path === '/api/public/v2/observations'
        ? { status: 404, body: { message: 'Not found' } }
        : { body: req.path === '/api/public/observations' ? page1 : traces },
    );
    const env = { ...ENV, LANGFUSE_HOST: api.origin };
    const r = await runAsync(sb, ['ingest', 'langfuse', '--since', '2026-10-01', '--json'], { env });
    expect(r.status).toBe(0);
    expect(r.stderr).toContain(
      `langfuse ${api.origin}: observation "3c0d9f4e-8a71-4d2b-9b55-1f0e6a2d7c10": record 2: field "model": the generation names no model\n`,
    );
    expect(json(r)).toMatchObject({ totals: { read: 2, inserted: 1, rejected: 1 } });
    expect(storedRows(sb.db).map((x) => x.source_id)).toEqual(['time-10-02-11-chatcmpl-7f3a2c']);

    const sb2 = fresh();
    const bad = await serve((req) => (req.path === '/api/public/observations' ? { body: { data: [] } } : { status: 404, body: {} }));
    const b = await runAsync(sb2, ['ingest', 'langfuse', '--since', '2026-10-01'], { env: { ...ENV, LANGFUSE_HOST: bad.origin } });
    expect(b.status).toBe(3);
    expect(b.stderr).toContain(
      'llmcost: Langfuse answered /api/public/observations with data llmcost cannot read: meta.totalPages: expected a whole number of pages, got undefined',
    );
    expect(storedRows(sb2.db)).toEqual([]);
  });

  it('refused keys exit 4 and store nothing', async () => {
    const sb = fresh();
    const api = await serve(langfuse);
    const wrong = await runAsync(sb, ['ingest', 'langfuse', '--since', '2026-10-01'], {
      env: { ...ENV, LANGFUSE_SECRET_KEY: 'sk-lf-TESTSECRET-wrong', LLMCOST_LANGFUSE_ENDPOINT_URL: api.origin },
    });
    expect([wrong.status, wrong.stdout]).toEqual([4, '']);
    expect(wrong.stderr).toContain(
      `llmcost: Langfuse (${api.origin}) refused LANGFUSE_PUBLIC_KEY/LANGFUSE_SECRET_KEY for /api/public/v2/observations (HTTP 401: Invalid credentials. Confirm that you have used the correct host.).\n`,
    );
    expect(api.got).toHaveLength(1);
    expect(storedRows(sb.db)).toEqual([]);
    noSecret(wrong);
  });

  it('an unreachable host exits 4 after the retries and stores nothing', { tags: ['slow'], timeout: 60_000 }, async () => {
    const sb = fresh();
    const api = await serve(langfuse);
    await api.close();
    servers.length = 0;
    // The port is closed now: every attempt is refused, after waits of 1, 2, 4 and 8 s.
    const down = await runAsync(sb, ['ingest', 'langfuse', '--since', '2026-10-01'], { env: { ...ENV, LANGFUSE_HOST: api.origin } });
    expect(down.status).toBe(4);
    expect(down.stderr).toContain('llmcost: langfuse: /api/public/v2/observations: ECONNREFUSED; retrying in 1 s (attempt 2 of 5).\n');
    expect(down.stderr).toContain(
      `llmcost: Langfuse (${api.origin}) /api/public/v2/observations failed: ECONNREFUSED (after 5 attempts).\n`,
    );
    expect(storedRows(sb.db)).toEqual([]);
    noSecret(down);
  });
});
