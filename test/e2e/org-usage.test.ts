import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { type ApiRequest, apiServer, fixtureText, type Reply } from '../helpers/api-server.js';
import { fixture, json, type RunResult, runAsync, sandbox, storedRequests } from '../helpers/cli.js';

const OPENAI_KEY = 'sk-admin-TESTSECRET-openai-0123456789';
const ANTHROPIC_KEY = 'sk-ant-admin01-TESTSECRET-anthropic-0123456789';
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
/** No output shows a key. */
const noSecret = (...rs: RunResult[]): void => {
  for (const r of rs) expect(`${r.stdout}${r.stderr}`).not.toContain('TESTSECRET');
};
const page = (name: string): Reply => ({ body: fixtureText(fixture('openai-usage', name)) });
const q = (r: ApiRequest | undefined): string => new URLSearchParams(r?.query ?? []).toString();

/** OpenAI as the fixtures describe it: completions in two pages, embeddings, costs after one 429. */
function openai(req: ApiRequest, nth: number): Reply {
  const cursor = new URLSearchParams(req.query).get('page');
  if (req.path === '/v1/organization/usage/completions') return page(cursor === null ? 'completions-page1.json' : 'completions-page2.json');
  if (req.path === '/v1/organization/usage/embeddings') return page('embeddings.json');
  if (req.path === '/v1/organization/costs') {
    if (nth === 0) {
      return {
        status: 429,
        headers: { 'retry-after': '1' },
        body: { error: { message: 'Rate limit reached for requests', type: 'requests', code: 'rate_limit_exceeded' } },
      };
    }
    return page('costs.json');
  }
  return { status: 404, body: { error: { message: `no route ${req.path}` } } };
}

const RECONCILE = ['reconcile', '--since', '2026-10-01', '--until', '2026-10-03', '--json'];
const unchanged = (lines: number) => ({ lines, inserted: 0, updated: 0, unchanged: lines, removed: 0, rejected: 0 });

describe('ingest openai-usage', () => {
  it('reads the Usage and Costs APIs page by page, retries a 429, stores lines and the bill, and adds nothing when run again', async () => {
    const sb = fresh();
    const api = await serve(openai);
    const env = { OPENAI_ADMIN_KEY: OPENAI_KEY, LLMCOST_NOW: '2026-10-04T09:00:00Z', LLMCOST_OPENAI_ENDPOINT_URL: api.origin };
    const first = await runAsync(sb, ['ingest', 'openai-usage', '--since', '2026-10-01', '--json'], { env });
    expect(first.stderr).toBe('llmcost: openai-usage: /v1/organization/costs: HTTP 429; retrying in 1 s (attempt 2 of 5).\n');
    expect(first.status).toBe(0);
    // Up to yesterday (UTC): today's bucket is still growing.
    const range = 'start_time=1790812800&end_time=1791072000&bucket_width=1d';
    const completions = `${range}&group_by=project_id&group_by=user_id&group_by=api_key_id&group_by=model&group_by=batch&group_by=service_tier&limit=3`;
    const costs = `${range}&group_by=line_item&group_by=project_id&limit=3`;
    expect(api.got.map((g) => `${g.method} ${g.path}?${q(g)}`)).toEqual([
      `GET /v1/organization/usage/completions?${completions}`,
      `GET /v1/organization/usage/completions?${completions}&page=page_AAAAAGjzqgAiJdKOAAAAAGcqsYA%3D`,
      `GET /v1/organization/usage/embeddings?${range}&group_by=project_id&group_by=user_id&group_by=api_key_id&group_by=model&limit=3`,
      `GET /v1/organization/costs?${costs}`,
      `GET /v1/organization/costs?${costs}`,
    ]);
    for (const g of api.got) {
      expect(g.headers.authorization).toBe(`Bearer ${OPENAI_KEY}`);
      expect(g.headers['user-agent']).toBe('llmcost');
    }
    expect(json(first)).toEqual({
      schemaVersion: 1,
      kind: 'openai-usage-ingest',
      provider: 'openai',
      range: { start: '2026-10-01', end: '2026-10-03' },
      apiCalls: 4,
      retries: 1,
      // 10-01 gpt-4o $0.575 + gpt-4o-mini batch $0.30 + embeddings $0.02; 10-02 gpt-4o $0.15 + mini flex $0.000975;
      // 10-03 gpt-4o $0.25. The zero-request line of 10-03 is no usage.
      usage: {
        source: 'openai-usage',
        lines: 6,
        inserted: 6,
        updated: 0,
        unchanged: 0,
        removed: 0,
        rejected: 0,
        unpricedLines: 0,
        unpricedModels: [],
        computedNanos: 1_295_975_000,
        computedUsd: '1.295975000',
      },
      // amount.value 0.30000000000000004 is $0.3 to the nano; "0.06" (a string) is read as written.
      billing: {
        source: 'openai-costs',
        lines: 14,
        inserted: 14,
        updated: 0,
        unchanged: 0,
        removed: 0,
        rejected: 0,
        billedNanos: 1_335_975_000,
        billedUsd: '1.335975000',
      },
    });

    const rec = await runAsync(sb, [...RECONCILE, '--provider', 'openai'], { env });
    expect([rec.status, rec.stderr]).toEqual([0, '']);
    const line = (day: string, computed: number, billed: number, gapPct: number) => ({
      day,
      model: '(all)',
      loggedNanos: null,
      computedNanos: computed,
      billedNanos: billed,
      gapNanos: billed - computed,
      gapPct,
      compared: true,
      explanations: [],
      explainedBy: [],
    });
    expect(json(rec)).toMatchObject({
      provider: 'openai',
      lines: [
        line('2026-10-01', 895_000_000, 895_000_000, 0),
        line('2026-10-02', 150_975_000, 160_975_000, 0.0621),
        line('2026-10-03', 250_000_000, 280_000_000, 0.1071),
      ],
      verdict: { compared: 3, overThreshold: 0, tripped: false },
    });
    const byModel = json<{ lines: { day: string; model: string; gapNanos: number; explanations: string[] }[] }>(
      await runAsync(sb, [...RECONCILE, '--provider', 'openai', '--by-model'], { env }),
    );
    // The web search tool calls are billed and in no usage line.
    expect(byModel.lines.filter((l) => l.gapNanos !== 0).map((l) => [l.day, l.model, l.gapNanos, l.explanations])).toEqual([
      ['2026-10-02', 'gpt-4o-2024-08-06', 10_000_000, []],
      ['2026-10-03', 'web search tool calls', 30_000_000, ['no request logs for this day: billed usage missing from the logs']],
    ]);

    // The same days again: every line is already stored as it is.
    const again = await runAsync(sb, ['ingest', 'openai-usage', '--since', '2026-10-01', '--json'], { env });
    expect(again.status).toBe(0);
    expect(json(again)).toMatchObject({ usage: unchanged(6), billing: unchanged(14) });
    expect(json(await runAsync(sb, [...RECONCILE, '--provider', 'openai'], { env }))).toEqual(json(rec));
    noSecret(first, rec, again);
  });

  it("reads today's bucket only with --include-today, and a later run replaces just the lines that grew", async () => {
    const sb = fresh();
    let requests = 3;
    const today = (req: ApiRequest): Reply => {
      const start = 1791072000; // 2026-10-04, today
      const bucket = (results: unknown[]) => ({
        object: 'page',
        data: [{ object: 'bucket', start_time: start, end_time: start + 86400, results }],
        has_more: false,
        next_page: null,
      });
      if (req.path.endsWith('/completions')) {
        return {
          body: bucket([
            {
              object: 'organization.usage.completions.result',
              input_tokens: 1000 * requests,
              output_tokens: 100 * requests,
              input_cached_tokens: 0,
              num_model_requests: requests,
              project_id: 'proj_a',
              user_id: null,
              api_key_id: 'key_a',
              model: 'gpt-4o-2024-08-06',
              batch: false,
              service_tier: 'default',
            },
            {
              object: 'organization.usage.completions.result',
              input_tokens: 500,
              output_tokens: 50,
              input_cached_tokens: 0,
              num_model_requests: 1,
              project_id: 'proj_b',
              user_id: null,
              api_key_id: 'key_b',
              model: 'gpt-4o-2024-08-06',
              batch: false,
              service_tier: 'default',
            },
          ]),
        };
      }
      return { body: bucket([]) };
    };
    const api = await serve(today);
    const env = { OPENAI_ADMIN_KEY: OPENAI_KEY, LLMCOST_NOW: '2026-10-04T09:00:00Z' };
    const args = ['ingest', 'openai-usage', '--since', '2026-10-04', '--include-today', '--endpoint-url', api.origin, '--json'];
    const morning = await runAsync(sb, args, { env });
    expect([morning.status, morning.stderr]).toEqual([0, '']);
    expect(q(api.got[0])).toContain('start_time=1791072000&end_time=1791158400&');
    // gpt-4o: 3 requests (3000 in, 300 out) = $0.0105; 1 request (500 in, 50 out) = $0.00175.
    expect(json(morning)).toMatchObject({ usage: { lines: 2, inserted: 2, computedNanos: 12_250_000 } });
    requests = 5;
    const evening = await runAsync(sb, args, { env: { ...env, LLMCOST_NOW: '2026-10-04T21:00:00Z' } });
    expect(json(evening)).toMatchObject({
      usage: { lines: 2, inserted: 0, updated: 1, unchanged: 1, removed: 0, computedNanos: 19_250_000 },
    });
    const report = json<{ totals: { requests: number; costNanos: number } }>(
      await runAsync(sb, ['report', '--since', '2026-10-04', '--until', '2026-10-04', '--json'], { env }),
    );
    expect(report.totals).toMatchObject({ requests: 6, costNanos: 19_250_000 });

    // A range past the last day to read ends there, and says so.
    const ahead = await runAsync(
      sb,
      [
        'ingest',
        'openai-usage',
        '--since',
        '2026-10-04',
        '--until',
        '2026-10-09',
        '--include-today',
        '--endpoint-url',
        api.origin,
        '--json',
      ],
      { env },
    );
    expect([ahead.status, ahead.stderr]).toEqual([0, 'llmcost: openai-usage: --until 2026-10-09 is after today: reading to 2026-10-04.\n']);
    expect(json(ahead)).toMatchObject({ range: { start: '2026-10-04', end: '2026-10-04' }, usage: { unchanged: 2 } });
    // Without --since: from the last day stored (read again), but today only with --include-today.
    const dry = await runAsync(sb, ['ingest', 'openai-usage', '--until', '2026-10-04', '--dry-run'], { env });
    expect(dry.stderr).toBe(
      'llmcost: openai-usage: --until 2026-10-04 is today, whose bucket is still growing: reading to 2026-10-03 (--include-today reads today too).\n',
    );
    expect(json(dry)).toMatchObject({ range: { start: '2026-10-03', end: '2026-10-03' } });
    expect(json(await runAsync(sb, ['ingest', 'openai-usage', '--include-today', '--dry-run'], { env }))).toMatchObject({
      range: { start: '2026-10-04', end: '2026-10-04' },
    });

    // Without --include-today the range ends yesterday: today alone is nothing to read.
    const refused = await runAsync(sb, ['ingest', 'openai-usage', '--since', '2026-10-04', '--endpoint-url', api.origin], { env });
    expect(refused.status).toBe(2);
    expect(refused.stderr).toBe(
      "llmcost: --since 2026-10-04 is after the last day to read, 2026-10-03.\n  Give an earlier --since, or add --include-today to read today's bucket.\n",
    );
  });

  it('--dry-run prints the requests without a key; no key is exit 2, a refused key exit 4, and neither prints it', async () => {
    const sb = fresh();
    const env = { LLMCOST_NOW: '2026-10-04T09:00:00Z' };
    const dry = await runAsync(
      sb,
      ['ingest', 'openai-usage', '--since', '2026-10-02', '--dry-run', '--endpoint-url', 'http://127.0.0.1:9/'],
      { env },
    );
    expect([dry.status, dry.stderr]).toEqual([0, '']);
    const range = 'start_time=1790899200&end_time=1791072000&bucket_width=1d';
    expect(json(dry)).toEqual({
      schemaVersion: 1,
      kind: 'openai-usage-request',
      range: { start: '2026-10-02', end: '2026-10-03' },
      endpointUrl: 'http://127.0.0.1:9',
      headers: { authorization: 'Bearer $OPENAI_ADMIN_KEY' },
      requests: [
        {
          method: 'GET',
          kind: 'usage',
          url: `http://127.0.0.1:9/v1/organization/usage/completions?${range}&group_by=project_id&group_by=user_id&group_by=api_key_id&group_by=model&group_by=batch&group_by=service_tier&limit=2`,
        },
        {
          method: 'GET',
          kind: 'usage',
          url: `http://127.0.0.1:9/v1/organization/usage/embeddings?${range}&group_by=project_id&group_by=user_id&group_by=api_key_id&group_by=model&limit=2`,
        },
        {
          method: 'GET',
          kind: 'cost',
          url: `http://127.0.0.1:9/v1/organization/costs?${range}&group_by=line_item&group_by=project_id&limit=2`,
        },
      ],
      pagination: 'each request is repeated with &page=<next_page> while the answer has has_more: true',
    });

    const none = await runAsync(sb, ['ingest', 'openai-usage', '--since', '2026-10-02'], { env });
    expect(none.status).toBe(2);
    expect(none.stderr).toBe(
      'llmcost: openai-usage needs OPENAI_ADMIN_KEY: no admin key is set.\n  Set OPENAI_ADMIN_KEY to an OpenAI admin key (sk-admin-…, Organization settings → Admin keys, with read access to usage). Use --dry-run to see the requests without a key.\n',
    );

    const api = await serve(() => ({
      status: 401,
      body: {
        error: {
          message: 'Incorrect API key provided: sk-admin-TESTSECRET-openai-0123456789.',
          type: 'invalid_request_error',
          code: 'invalid_api_key',
        },
      },
    }));
    const refused = await runAsync(sb, ['ingest', 'openai-usage', '--since', '2026-10-02', '--endpoint-url', api.origin], {
      env: { ...env, OPENAI_ADMIN_KEY: OPENAI_KEY },
    });
    expect(refused.status).toBe(4);
    expect(refused.stderr).toBe(
      'llmcost: OpenAI refused OPENAI_ADMIN_KEY for /v1/organization/usage/completions (HTTP 401: Incorrect API key provided: <redacted>.).\n  Set OPENAI_ADMIN_KEY to an OpenAI admin key (sk-admin-…, Organization settings → Admin keys, with read access to usage); a project or user API key cannot read organization usage.\n',
    );
    expect(api.got).toHaveLength(1);
    noSecret(dry, none, refused);
  });

  it('keeps two organizations apart with --org: a run re-reads and replaces only its own lines', async () => {
    const sb = fresh();
    const a = await serve(openai);
    // Organization b: one gpt-4o line on 2026-10-01, the same groups as a's (all null) and nothing billed.
    const b = await serve((req) => {
      const empty = { object: 'page', data: [], has_more: false, next_page: null };
      if (!req.path.endsWith('/completions')) return { body: empty };
      const result = {
        object: 'organization.usage.completions.result',
        input_tokens: 1000,
        output_tokens: 100,
        num_model_requests: 2,
        model: 'gpt-4o-2024-08-06',
      };
      return { body: { ...empty, data: [{ object: 'bucket', start_time: 1790812800, end_time: 1790899200, results: [result] }] } };
    });
    const env = { OPENAI_ADMIN_KEY: OPENAI_KEY, LLMCOST_NOW: '2026-10-04T09:00:00Z' };
    const ingest = (origin: string, org: string) =>
      runAsync(sb, ['ingest', 'openai-usage', '--since', '2026-10-01', '--org', org, '--endpoint-url', origin, '--json'], { env });
    expect(json(await ingest(a.origin, 'acme-prod'))).toMatchObject({ usage: { inserted: 6, removed: 0 }, billing: { inserted: 14 } });
    expect(json(await ingest(b.origin, 'acme-lab'))).toMatchObject({
      usage: { lines: 1, inserted: 1, removed: 0 },
      billing: { lines: 0, removed: 0 },
    });
    expect(json(await ingest(a.origin, 'acme-prod'))).toMatchObject({ usage: unchanged(6), billing: unchanged(14) });
    const report = json<{ totals: { requests: number; costNanos: number } }>(
      await runAsync(sb, ['report', '--since', '2026-10-01', '--until', '2026-10-03', '--json', '--basis', 'usage'], { env }),
    );
    // a's 1,125 requests ($1.295975) and b's 2 ($0.0035).
    expect(report.totals).toMatchObject({ requests: 1127, costNanos: 1_299_475_000 });
    const bad = await runAsync(sb, ['ingest', 'openai-usage', '--org', 'acme prod', '--dry-run'], { env });
    expect([bad.status, bad.stderr]).toEqual([
      2,
      'llmcost: --org acme prod: expected a short label (letters, digits, ".", "_", "-").\n  Example: --org acme-prod\n',
    ]);
  });

  it('gives up after 5 attempts on a server error that lasts: exit 4, nothing stored', async () => {
    const sb = fresh();
    const api = await serve(() => ({
      status: 503,
      headers: { 'retry-after': '0' },
      body: { error: { message: 'The server is overloaded.' } },
    }));
    const r = await runAsync(sb, ['ingest', 'openai-usage', '--since', '2026-10-02', '--endpoint-url', api.origin], {
      env: { OPENAI_ADMIN_KEY: OPENAI_KEY, LLMCOST_NOW: '2026-10-04T09:00:00Z' },
    });
    expect(r.status).toBe(4);
    const retry = (n: number) =>
      `llmcost: openai-usage: /v1/organization/usage/completions: HTTP 503; retrying in 0 s (attempt ${n} of 5).\n`;
    expect(r.stderr).toBe(
      `${retry(2)}${retry(3)}${retry(4)}${retry(5)}llmcost: OpenAI /v1/organization/usage/completions failed: HTTP 503 (after 5 attempts): The server is overloaded..\n  Nothing was stored. Run again later: days already stored are not duplicated.\n`,
    );
    expect(api.got).toHaveLength(5);
    expect(storedRequests(sb.db)).toBe(0);
  });
});

/** Anthropic as the fixtures describe it: the usage report in two pages, the cost report in one. */
function anthropic(req: ApiRequest): Reply {
  const cursor = new URLSearchParams(req.query).get('page');
  const file = (name: string): Reply => ({ body: fixtureText(fixture('anthropic-usage', name)) });
  if (req.path === '/v1/organizations/usage_report/messages') return file(cursor === null ? 'messages-page1.json' : 'messages-page2.json');
  if (req.path === '/v1/organizations/cost_report') return file('cost-report.json');
  return { status: 404, body: { type: 'error', error: { type: 'not_found_error', message: 'Not found' } } };
}

describe('ingest anthropic-usage', () => {
  it('reads the usage and cost reports with x-api-key and anthropic-version, cents to exact nanos, reconciled per day', async () => {
    const sb = fresh();
    const api = await serve(anthropic);
    const env = { ANTHROPIC_ADMIN_KEY: ANTHROPIC_KEY, LLMCOST_NOW: '2026-10-03T08:00:00Z', LLMCOST_ANTHROPIC_ENDPOINT_URL: api.origin };
    const r = await runAsync(sb, ['ingest', 'anthropic-usage', '--since', '2026-10-01', '--json'], { env });
    expect([r.status, r.stderr]).toEqual([0, '']);
    const range = 'starting_at=2026-10-01T00%3A00%3A00Z&ending_at=2026-10-03T00%3A00%3A00Z&bucket_width=1d';
    const usage = `${range}&group_by%5B%5D=model&group_by%5B%5D=api_key_id&group_by%5B%5D=workspace_id&group_by%5B%5D=service_tier&group_by%5B%5D=context_window&group_by%5B%5D=inference_geo&limit=2`;
    expect(api.got.map((g) => `${g.path}?${q(g)}`)).toEqual([
      `/v1/organizations/usage_report/messages?${usage}`,
      `/v1/organizations/usage_report/messages?${usage}&page=page_MjAyNi0xMC0wMlQwMDowMDowMFo%3D`,
      `/v1/organizations/cost_report?${range}&group_by%5B%5D=workspace_id&group_by%5B%5D=description&limit=2`,
    ]);
    for (const g of api.got) {
      expect(g.headers['x-api-key']).toBe(ANTHROPIC_KEY);
      expect(g.headers['anthropic-version']).toBe('2023-06-01');
      expect(g.headers.authorization).toBeUndefined();
    }
    expect(json(r)).toEqual({
      schemaVersion: 1,
      kind: 'anthropic-usage-ingest',
      provider: 'anthropic',
      range: { start: '2026-10-01', end: '2026-10-02' },
      apiCalls: 3,
      retries: 0,
      // 10-01 Sonnet 4.5: 400k in $1.20 + 2M cache read $0.60 + 100k 5m writes $0.375 + 20k 1h writes $0.12 + 80k out
      // $1.20 = $3.495 (base rates: the report counts no requests); Haiku 4.5 batch $1.00. 10-02 Sonnet US-only ×1.1 $0.495.
      usage: {
        source: 'anthropic-usage',
        lines: 3,
        inserted: 3,
        updated: 0,
        unchanged: 0,
        removed: 0,
        rejected: 0,
        unpricedLines: 0,
        unpricedModels: [],
        computedNanos: 4_990_000_000,
        computedUsd: '4.990000000',
      },
      // Cents: 349.5 + 100 + 1 (web search) on 10-01; "33.000000" + "16.51234" on 10-02.
      billing: {
        source: 'anthropic-costs',
        lines: 10,
        inserted: 10,
        updated: 0,
        unchanged: 0,
        removed: 0,
        rejected: 0,
        billedNanos: 5_000_123_400,
        billedUsd: '5.000123400',
      },
    });
    const rec = await runAsync(sb, [...RECONCILE, '--provider', 'anthropic', '--by-model'], { env });
    expect([rec.status, rec.stderr]).toEqual([0, '']);
    const lines = json<{ lines: { day: string; model: string; computedNanos: number; billedNanos: number; gapNanos: number }[] }>(
      rec,
    ).lines;
    expect(lines.map((l) => [l.day, l.model, l.computedNanos, l.billedNanos, l.gapNanos])).toEqual([
      ['2026-10-01', 'claude-haiku-4-5', 1_000_000_000, 1_000_000_000, 0],
      ['2026-10-01', 'claude-sonnet-4-5', 3_495_000_000, 3_495_000_000, 0],
      // Web search is billed, and in no usage line.
      ['2026-10-01', 'web search usage', 0, 10_000_000, 10_000_000],
      ['2026-10-02', 'claude-sonnet-4-5', 495_000_000, 495_123_400, 123_400],
    ]);
    const again = await runAsync(sb, ['ingest', 'anthropic-usage', '--since', '2026-10-01', '--json'], { env });
    expect(json(again)).toMatchObject({ usage: unchanged(3), billing: unchanged(10) });
    const csv = await runAsync(sb, ['ingest', 'anthropic-usage', '--since', '2026-10-01', '--format', 'csv'], { env });
    expect(csv.stdout).toBe(
      [
        'item,value',
        'Usage lines,"3 lines: 0 new, 0 replaced, 3 unchanged, 0 removed"',
        'Computed cost,$4.99',
        'Billing lines,"10 lines: 0 new, 0 replaced, 10 unchanged, 0 removed"',
        'Billed,$5.00',
        'API calls,3 pages',
        '',
      ].join('\n'),
    );
    noSecret(r, rec, again, csv);
  });
});

describe('reconcile --provider openai | anthropic', () => {
  it('names the API to ingest when the bill or the usage is missing (exit 3)', async () => {
    const sb = fresh();
    const env = { LLMCOST_NOW: '2026-10-04T09:00:00Z' };
    const api = await serve((req) => {
      const empty = { object: 'page', data: [], has_more: false, next_page: null };
      if (req.path !== '/v1/organization/costs') return { body: empty };
      const result = {
        object: 'organization.costs.result',
        amount: { value: 0.5, currency: 'usd' },
        line_item: 'gpt-4o-2024-08-06, input',
        project_id: 'proj_a',
      };
      return { body: { ...empty, data: [{ object: 'bucket', start_time: 1790812800, end_time: 1790899200, results: [result] }] } };
    });
    const ingested = await runAsync(sb, ['ingest', 'openai-usage', '--since', '2026-10-01', '--endpoint-url', api.origin, '--json'], {
      env: { ...env, OPENAI_ADMIN_KEY: OPENAI_KEY },
    });
    expect(json(ingested)).toMatchObject({ usage: { lines: 0 }, billing: { lines: 1, billedNanos: 500_000_000 } });
    const noBill = await runAsync(sb, [...RECONCILE, '--provider', 'anthropic'], { env });
    expect([noBill.status, noBill.stdout]).toEqual([3, '']);
    expect(noBill.stderr).toBe(
      'llmcost: Nothing billed to compare with: no Anthropic cost report rows of anthropic between 2026-10-01 and 2026-10-03.\n  Ingest the bill first: `llmcost ingest anthropic-usage --since …` (with ANTHROPIC_ADMIN_KEY).\n',
    );
    const noUsage = await runAsync(sb, [...RECONCILE, '--provider', 'openai'], { env });
    expect(noUsage.status).toBe(3);
    expect(noUsage.stderr).toBe(
      'llmcost: No request logs of openai between 2026-10-01 and 2026-10-03 to compare with the bill.\n  Ingest the usage of the same days (`llmcost ingest openai-usage`, or gateway logs: llmcost ingest litellm …), or choose --provider.\n',
    );
  });
});
