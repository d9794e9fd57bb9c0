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
  sandboxes.push(sandbox === undefined ? sb : sb);
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
  if (req.headers.authorization !== BASIC) return { status: 401, body: { message: 'Invalid credentials. Confirm that you have used the correct host.' } };
  if (req.path === '/api/public/observations') return file(pageOf(req) === '2' ? 'observations-page2.json' : 'observations-page1.json');
  if (req.path === '/api/public/traces') {
    if (nth === 0) return { status: 429, headers: { 'retry-after': '1' }, body: { message: 'Rate limit exceeded' } };
    return file(pageOf(req) === '2' ? 'traces-page2.json' : 'traces-page1.json');
  }
  if (req.path === '/api/public/traces/nightly-2026-09-30') return file('trace-before-window.json');
  return { status: 404, body: { message: 'Not found' } };
}

const ENV = { LANGFUSE_PUBLIC_KEY: PK, LANGFUSE_SECRET_KEY: SK, LLMCOST_NOW: '2026-10-04T09:00:00Z' };

describe('ingest langfuse', () => {
  it('draft', async () => {
    const sb = fresh();
    const api = await serve(langfuse);
    const env = { ...ENV, LANGFUSE_HOST: api.origin };
    const first = await runAsync(sb, ['ingest', 'langfuse', '--since', '2026-10-01', '--page-size', '2', '--json'], { env });
    console.log(first.status, first.stderr, first.stdout);
    console.log(api.got.map((g) => `${g.method} ${g.path}?${q(g)}`).join('\n'));
    const rep = await runAsync(sb, ['report', '--since', '2026-10-01', '--until', '2026-10-03', '--by', 'user', '--json'], { env });
    console.log(rep.status, rep.stderr, rep.stdout);
    noSecret(first);
  });
});
