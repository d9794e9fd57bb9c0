import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, sandbox } from '../helpers/cli.js';

// 60 users, one request each on gpt-4o-mini ($0.15 per 1M input tokens): user uNN sends (NN + 1) × 1,000 input
// tokens, so u59 costs most ($0.009) and u00 least ($0.00015); the two with 3 requests lead --sort requests (64 requests, $0.2745 in all).
let sb: ReturnType<typeof sandbox>;
beforeAll(() => {
  sb = sandbox();
  const lines = ['timestamp,user,model,input_tokens,output_tokens,requests'];
  for (let i = 0; i < 60; i++) {
    const user = `u${String(i).padStart(2, '0')}`;
    lines.push(`2026-10-05T10:00:00Z,${user},gpt-4o-mini,${(i + 1) * 1000},0,${i === 3 || i === 7 ? 3 : 1}`);
  }
  const file = join(sb.dir, 'sixty-users.csv');
  writeFileSync(file, `${lines.join('\n')}\n`);
  const r = sb.run(['ingest', 'csv', file, '--json']);
  if (r.status !== 0) throw new Error(r.stderr);
});
afterAll(() => sb.dispose());

const report = (...args: string[]) => sb.run(['report', '--by', 'user', '--since', '2026-10-01', '--until', '2026-10-31', ...args]);
/** The first cell of each body row of a human table, in order. */
const users = (table: string): string[] => [...table.matchAll(/^│ (u\d\d) /gm)].map((m) => m[1] ?? '');

describe('long tables', () => {
  it('shows the top 50 rows by cost and says how many more there are and how to get them', () => {
    const r = report();
    expect(r.status).toBe(0);
    const shown = users(r.stdout);
    expect(shown).toHaveLength(50);
    expect([shown[0], shown.at(-1)]).toEqual(['u59', 'u10']);
    expect(r.stdout).toContain('│ Total │       64 │ 1,830,000 │      0 │          0 │           0 │   $0.27 │     $0.0043 │ 100.0% │');
    expect(r.stdout).toContain('\n… 10 more rows: --limit 0 for all, or --format csv\n');
  });

  it('--limit N shows N rows, --limit 0 every row', () => {
    const three = report('--limit', '3');
    expect(users(three.stdout)).toEqual(['u59', 'u58', 'u57']);
    expect(three.stdout).toContain('\n… 57 more rows: --limit 0 for all, or --format csv\n');
    const all = report('--limit', '0');
    expect(users(all.stdout)).toHaveLength(60);
    expect(all.stdout).not.toContain('more rows');
    expect(report('--limit', '-1')).toMatchObject({
      status: 2,
      stderr: expect.stringContaining("option '--limit <n>' argument '-1' is invalid"),
    });
  });

  it('JSON, CSV and markdown carry every row whatever --limit says', () => {
    const j = json<{ rows: { group: { user: string } }[] }>(report('--json', '--limit', '3'));
    expect(j.rows).toHaveLength(60);
    expect(report('--format', 'csv', '--limit', '3').stdout.trim().split('\n')).toHaveLength(61);
    expect(report('--format', 'markdown', '--limit', '3').stdout.match(/^\| u\d\d /gm)).toHaveLength(60);
  });

  it('--sort orders the rows by cost, requests, tokens or name, in every format', () => {
    expect(users(report('--sort', 'name', '--limit', '3').stdout)).toEqual(['u00', 'u01', 'u02']);
    expect(users(report('--sort', 'requests', '--limit', '3').stdout)).toEqual(['u03', 'u07', 'u00']);
    expect(users(report('--sort', 'tokens', '--limit', '2').stdout)).toEqual(['u59', 'u58']);
    const j = json<{ rows: { group: { user: string } }[] }>(report('--json', '--sort', 'name'));
    expect(j.rows.slice(0, 2).map((r) => r.group.user)).toEqual(['u00', 'u01']);
    expect(report('--sort', 'size').stderr).toContain('Allowed choices are cost, requests, tokens, name.');
  });
});
