/** Tags and the customer as dimensions: `--by tag:KEY`, `--by tag`, `--by customer`, `--tag`, budget `scope.tag`. */
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, json, sandbox } from '../helpers/cli.js';

type Report = {
  rows: { group: Record<string, string>; costNanos: number; requests: number; share: number }[];
  totals: { costNanos: number; requests: number };
  tagsOverlap?: boolean;
};
const DAY = ['--since', '2026-10-06', '--until', '2026-10-06', '--tz', 'UTC'];
const rowsOf = (r: Report): [string[], number, number][] => r.rows.map((x) => [Object.values(x.group), x.costNanos, x.share]);

let sb: ReturnType<typeof sandbox>;
beforeAll(() => {
  sb = sandbox();
  expect(sb.run(['ingest', 'litellm', fixture('litellm', 'tags', 'spend-logs-tags.jsonl')]).status).toBe(0);
  expect(sb.run(['ingest', 'csv', fixture('csv', 'tags.csv')]).status).toBe(0);
  expect(sb.run(['ingest', 'claude-code', fixture('claude-code', 'branches')]).status).toBe(0);
});
afterAll(() => sb.dispose());

const report = (...args: string[]): Report => json<Report>(sb.run(['report', ...DAY, ...args, '--json']));

describe('tags as dimensions', () => {
  it('LiteLLM: request_tags, metadata.tags, the key project and spend_logs_metadata are tags; --by tag:KEY puts untagged spend under (untagged)', () => {
    const r = report('--by', 'tag:project', '--source', 'litellm');
    // chatcmpl-t1 (request_tags project:checkout, $0.01) and t3 (key project alias checkout, $0.03); t2 metadata.tags; t4 none.
    expect(rowsOf(r)).toEqual([
      [['(untagged)'], 40_000_000, 0.4],
      [['checkout'], 40_000_000, 0.4],
      [['search'], 20_000_000, 0.2],
    ]);
    expect(r.totals).toMatchObject({ costNanos: 100_000_000, requests: 4 });
    expect(r.tagsOverlap).toBeUndefined();
    // env from request_tags (t1, t3) and from spend_logs_metadata (t2).
    expect(rowsOf(report('--by', 'tag:env', '--source', 'litellm'))).toEqual([
      [['(untagged)'], 40_000_000, 0.4],
      [['prod'], 40_000_000, 0.4],
      [['staging'], 20_000_000, 0.2],
    ]);
  });

  it('--by customer: LiteLLM end_user and the CSV customer column, beside user', () => {
    expect(rowsOf(report('--by', 'customer', '--by', 'user', '--source', 'litellm'))).toEqual([
      [['', 'bob'], 70_000_000, 0.7],
      [['globex', 'alice'], 20_000_000, 0.2],
      [['acme-corp', 'alice'], 10_000_000, 0.1],
    ]);
    expect(rowsOf(report('--by', 'customer', '--source', 'csv'))).toEqual([
      [['acme'], 562_500_000, 0.6],
      [['globex'], 250_000_000, 0.266666],
      [[''], 125_000_000, 0.133333],
    ]);
  });

  it('--customer filters on the end user (repeatable), and one that matches nothing exits 3 naming it', () => {
    expect(report('--customer', 'globex').totals).toMatchObject({ costNanos: 20_000_000 + 250_000_000 });
    expect(report('--customer', 'globex', '--source', 'litellm').totals).toMatchObject({ costNanos: 20_000_000, requests: 1 });
    expect(report('--customer', 'globex', '--customer', 'acme-corp', '--source', 'litellm').totals).toMatchObject({
      costNanos: 30_000_000,
      requests: 2,
    });
    expect(rowsOf(report('--customer', 'acme-corp', '--by', 'user'))).toEqual([[['alice'], 10_000_000, 1]]);
    const none = sb.run(['report', ...DAY, '--customer', 'globx', '--json']);
    expect(none.status).toBe(3);
    expect(none.stderr).toContain('customer "globx" matches no usage in the database (did you mean "globex"?)');
  });

  it('CSV tags: a JSON array, a;b with key=value pairs, and a plain tag', () => {
    expect(rowsOf(report('--by', 'tag:project', '--source', 'csv'))).toEqual([
      [['checkout'], 500_000_000, 0.533333],
      [['search'], 250_000_000, 0.266666],
      [['(untagged)'], 187_500_000, 0.2],
    ]);
    expect(report('--tag', 'batch-job').totals).toMatchObject({ costNanos: 125_000_000, requests: 1 });
  });

  it('Claude Code: the git branch and the project directory', () => {
    // claude-3-5-haiku at $0.80 / $4 per MTok: 1,000 in + 500 out = $0.0028, 2,000 + 1,000 = $0.0056, 1,000 + 250 = $0.0018.
    expect(rowsOf(report('--by', 'tag:branch', '--by', 'tag:project', '--source', 'claude-code'))).toEqual([
      [['feat/cart', 'shop'], 8_400_000, 0.823529],
      [['main', 'shop'], 1_800_000, 0.17647],
    ]);
  });

  it('--by tag lists every tag: a request with several counts under each, the total once, and the JSON says tags overlap', () => {
    const r = report('--by', 'tag', '--source', 'litellm');
    expect(r.tagsOverlap).toBe(true);
    expect(r.totals).toMatchObject({ costNanos: 100_000_000, requests: 4 });
    expect(rowsOf(r)).toEqual([
      [['(untagged)'], 40_000_000, 0.4],
      [['env:prod'], 40_000_000, 0.4],
      [['project:checkout'], 40_000_000, 0.4],
      [['env:staging'], 20_000_000, 0.2],
      [['prod'], 20_000_000, 0.2],
      [['project:search'], 20_000_000, 0.2],
      [['ticket:1234'], 20_000_000, 0.2],
    ]);
    const table = sb.run(['report', ...DAY, '--by', 'tag', '--source', 'litellm']);
    expect(table.stdout).toContain(
      'Tags overlap: a request with several tags is counted under each, so shares may sum above 100%; the total counts it once.',
    );
  });

  it('--tag filters: values of one key are alternatives, different keys must all match, a bare value is a plain tag', () => {
    expect(report('--tag', 'project=checkout').totals).toMatchObject({ costNanos: 540_000_000, requests: 3 });
    expect(report('--tag', 'project=checkout', '--tag', 'env=prod').totals).toMatchObject({ costNanos: 540_000_000, requests: 3 });
    expect(report('--tag', 'project=checkout', '--tag', 'project=search').totals).toMatchObject({
      costNanos: 810_000_000,
      requests: 5,
    });
    expect(report('--tag', 'prod').totals).toMatchObject({ costNanos: 20_000_000, requests: 1 });
    const none = sb.run(['report', ...DAY, '--tag', 'project=chekout']);
    expect(none.status).toBe(3);
    expect(none.stderr).toContain('--tag "project=chekout" matches no usage in the database (did you mean "project=checkout"');
  });

  it('pareto ranks tag values (untagged spend as one entity) and refuses --by tag', () => {
    const p = json<{ rows: { key: string; costNanos: number }[] }>(
      sb.run(['pareto', '--by', 'tag:project', '--tag', 'env=prod', ...DAY, '--json']),
    );
    expect(p.rows.map((r) => [r.key, r.costNanos])).toEqual([['checkout', 540_000_000]]);
    const refused = sb.run(['pareto', '--by', 'tag', ...DAY]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain("argument 'tag' is invalid");
  });

  it('re-ingest adds no tag; ingest --replace replaces the rows and their tags', () => {
    const before = report('--by', 'tag');
    // A copy, so the file is read again rather than skipped as unchanged.
    const copy = join(sb.dir, 'copy.jsonl');
    copyFileSync(fixture('litellm', 'tags', 'spend-logs-tags.jsonl'), copy);
    const again = json<{ totals: { inserted: number; duplicate: number } }>(sb.run(['ingest', 'litellm', copy, '--json']));
    expect(again.totals).toMatchObject({ inserted: 0, duplicate: 4 });
    const replaced = sb.run(['ingest', 'csv', fixture('csv', 'tags.csv'), '--replace', '--json']);
    expect(replaced.status).toBe(0);
    expect(report('--by', 'tag')).toEqual(before);
  });

  it('budget scope.tag (config and --scope tag=KEY=VALUE) judges only the tagged spend', () => {
    const env = { LLMCOST_NOW: '2026-10-06T18:00:00Z' };
    const cli = sb.run(['budget', 'check', '--tz', 'UTC', '--monthly', '0.5', '--scope', 'tag=project=checkout', '--json'], { env });
    expect(cli.status).toBe(1);
    expect(json<{ budgets: { spentNanos: number; status: string }[] }>(cli).budgets[0]).toMatchObject({
      spentNanos: 540_000_000,
      status: 'exceeded',
    });
    const config = join(sb.dir, 'llmcost.config.json');
    writeFileSync(
      config,
      JSON.stringify({
        budgets: [
          { name: 'checkout-prod', period: 'monthly', amountUsd: 1, scope: { tag: ['project=checkout', 'env=prod'] } },
          { name: 'typo', period: 'monthly', amountUsd: 1, scope: { tag: 'project=chekout' } },
        ],
      }),
    );
    const r = sb.run(['budget', 'check', '--tz', 'UTC', '--config', config, '--json'], { env });
    const out = json<{ budgets: { name: string; spentNanos?: number }[]; dataProblems: { code: string; message: string }[] }>(r);
    expect(out.budgets[0]).toMatchObject({ name: 'checkout-prod', spentNanos: 540_000_000 });
    expect(out.dataProblems).toEqual([
      {
        code: 'SCOPE_MATCHES_NOTHING',
        budget: 'typo',
        message:
          'the scope\'s tag "project=chekout" matches no usage in the database (did you mean "project=checkout" or "project=shop" or "project=search"?)',
      },
    ]);
    expect(r.status).toBe(3);
    const bad = sb.run(['budget', 'check', '--config', config, '--tz', 'UTC'], { env });
    expect(bad.status).toBe(3);
  });
});

describe('tags of Bedrock and CUR', () => {
  it('Bedrock requestMetadata keys are tags, requestMetadata.customer the customer; CUR resource_tags by key', () => {
    const s = sandbox();
    try {
      expect(s.run(['ingest', 'bedrock-log', fixture('bedrock-log', 'request-metadata-tags.jsonl')]).status).toBe(0);
      expect(s.run(['ingest', 'csv', '--preset', 'cur', fixture('cur', 'cur2.csv')]).status).toBe(0);
      const day = (d: string, ...args: string[]): Report =>
        json<Report>(s.run(['report', '--since', d, '--until', d, '--tz', 'UTC', ...args, '--json']));
      // amazon.nova-lite at $0.06 / $0.24 per MTok: 1,000 in + 200 out = $0.000108 each.
      expect(rowsOf(day('2026-10-06', '--by', 'tag:project,customer'))).toEqual([
        [['checkout', 'acme'], 108_000, 0.5],
        [['search', ''], 108_000, 0.5],
      ]);
      expect(day('2026-10-06', '--tag', 'env=prod', '--tag', 'project=checkout').totals).toMatchObject({ costNanos: 108_000 });
      // The bill's cost-allocation tag user_team, as tag:team=….
      expect(rowsOf(day('2026-10-07', '--by', 'tag:team'))).toEqual([
        [['research'], 1_188_000_000, 0.807613],
        [['search'], 283_000_000, 0.192386],
      ]);
    } finally {
      s.dispose();
    }
  });
});

describe('anomalies by tag', () => {
  it('the root cause of a spike names the tag value that drove it; --tag scores only the tagged spend', () => {
    const s = sandbox();
    try {
      const lines = ['timestamp,model,input_tokens,output_tokens,cost,id,tags'];
      for (let d = 1; d <= 21; d++) {
        const day = `2026-10-${String(d).padStart(2, '0')}`;
        lines.push(`${day}T09:00:00Z,gpt-4o,1000,100,1.00,c${d},project=checkout`);
        lines.push(`${day}T10:00:00Z,gpt-4o,1000,100,${d === 21 ? '25.00' : '1.00'},s${d},project=search`);
      }
      const file = join(s.dir, 'daily.csv');
      writeFileSync(file, `${lines.join('\n')}\n`);
      expect(s.run(['ingest', 'csv', file]).status).toBe(0);
      const range = ['--since', '2026-10-21', '--until', '2026-10-21', '--tz', 'UTC', '--json'];
      type Anomalies = {
        anomalies: { period: string; kind: string; entity: unknown; drivers: { tag?: { entity: string; excessNanos: number }[] } | null }[];
      };
      const a = json<Anomalies>(s.run(['anomalies', '--by', 'tag:project', ...range]));
      const total = a.anomalies.find((x) => x.entity === null);
      expect(total).toMatchObject({ period: '2026-10-21', kind: 'spike' });
      expect(total?.drivers?.tag?.[0]).toMatchObject({ entity: 'project=search', excessNanos: 24_000_000_000 });
      const checkout = json<Anomalies>(s.run(['anomalies', '--tag', 'project=checkout', ...range]));
      expect(checkout.anomalies).toEqual([]);
    } finally {
      s.dispose();
    }
  });
});

describe('the tags-overlap note', () => {
  it('--by tag warns of overlap only when a request in range carries two tags', () => {
    const s = sandbox();
    try {
      expect(s.run(['ingest', 'csv', fixture('csv', 'tags-single.csv')]).status).toBe(0);
      const day = (d: string, ...args: string[]) => s.run(['report', '--since', d, '--until', d, '--tz', 'UTC', '--by', 'tag', ...args]);
      const note = 'Tags overlap';
      // One tag a request: the groups add up to the total.
      const single = json<Report>(day('2026-10-07', '--json'));
      expect(rowsOf(single)).toEqual([
        [['project:checkout'], 500_000_000, 0.571428],
        [['project:search'], 250_000_000, 0.285714],
        [['(untagged)'], 125_000_000, 0.142857],
      ]);
      expect(single.tagsOverlap).toBeUndefined();
      const table = day('2026-10-07');
      expect(table.status).toBe(0);
      expect(table.stdout).not.toContain(note);
      // Nothing tagged in range.
      const none = json<Report>(day('2026-10-08', '--json'));
      expect(rowsOf(none)).toEqual([[['(untagged)'], 62_500_000, 1]]);
      expect(none.tagsOverlap).toBeUndefined();
      expect(day('2026-10-08').stdout).not.toContain(note);
      // A request with two tags: the note and the JSON flag.
      const file = join(s.dir, 'two.csv');
      writeFileSync(file, 'timestamp,model,input_tokens,output_tokens,cost,user,tags\n2026-10-08T10:00:00Z,gpt-4o,1000,100,0.5,dan,a;b\n');
      expect(s.run(['ingest', 'csv', file]).status).toBe(0);
      expect(json<Report>(day('2026-10-08', '--json')).tagsOverlap).toBe(true);
      expect(day('2026-10-08').stdout).toContain(note);
    } finally {
      s.dispose();
    }
  });
});
