import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixture, json, ROOT, sandbox } from '../helpers/cli.js';

let sb: ReturnType<typeof sandbox>;
beforeEach(() => {
  sb = sandbox();
  const ing = sb.run(['ingest', 'csv', fixture('csv', 'unknown-model.csv'), '--json']);
  expect(ing.status).toBe(0);
  expect(json(ing)).toMatchObject({ totals: { inserted: 6, unpriced: 3 } });
});
afterEach(() => sb.dispose());

type Money = { beforeNanos: number; beforeUsd: string; afterNanos: number; afterUsd: string; deltaNanos: number; deltaUsd: string };
type Reprice = {
  kind: string;
  dryRun: boolean;
  totals: Money & {
    rowsScanned: number;
    rowsChanged: number;
    newlyPriced: number;
    nowUnpriced: number;
    unpricedBefore: number;
    unpricedAfter: number;
  };
  models: (Money & { model: string; rowsChanged: number; newlyPriced: number; nowUnpriced: number })[];
  unchanged: { rows: number; costNanos: number };
  stillUnpriced: unknown[];
};
type Report = {
  rows: { period?: string; costNanos: number; unpricedRequests: number; requests: number }[];
  totals: { costNanos: number; costUsd: string; unpricedRequests: number };
  unpriced: { requests: number; models: unknown[] };
};

const ACME = { id: 'acme-llama-ft', provider: 'self-hosted', prices: { input: 0.5, output: 1.5 } };
const pricesFile = (models: unknown[]): string => {
  const file = join(sb.dir, 'prices.json');
  writeFileSync(file, JSON.stringify({ models }));
  return file;
};
/** The database file and its write-ahead log, as one hash: a dry run must leave both as they were. */
const dbHash = (): string => {
  const h = createHash('sha256');
  for (const f of [sb.db, `${sb.db}-wal`]) if (existsSync(f)) h.update(readFileSync(f));
  return h.digest('hex');
};
const report = (...args: string[]): Report => {
  const r = sb.run(['report', ...args, '--json']);
  expect(r.status, r.stderr).toBe(0);
  return json<Report>(r);
};

describe('reprice', () => {
  it('prices stored unpriced rows from a price file; reports, rollup and raw rows agree; a second run changes nothing', () => {
    // Before: gpt-4o $3.50 + gpt-4o-mini $0.40 reported + acme $0.01 reported; three acme rows unpriced.
    expect(report().totals).toMatchObject({ costNanos: 3_910_000_000, unpricedRequests: 3 });
    expect(sb.run(['report']).stdout).toContain(
      'have no price and are not in the costs above: self-hosted/acme-llama-ft. Price them with llmcost reprice --prices FILE (see README "Prices").',
    );
    expect(sb.run(['ingest', 'csv', fixture('csv', 'unknown-model.csv'), '--dry-run']).stdout).toContain(
      'No price for self-hosted/acme-llama-ft (unknown model): 3 records stored as unpriced. Price them with llmcost reprice --prices FILE.',
    );
    const prices = pricesFile([ACME]);

    const before = dbHash();
    const dry = sb.run(['reprice', '--prices', prices, '--dry-run', '--json']);
    expect(dry.status, dry.stderr).toBe(0);
    expect(dbHash()).toBe(before);
    expect(json<Reprice>(dry)).toMatchObject({ kind: 'reprice', dryRun: true, totals: { rowsChanged: 4, newlyPriced: 3 } });

    const r = sb.run(['reprice', '--prices', prices, '--json']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    const out = json<Reprice>(r);
    // acme at $0.5/$1.5 per 1M: 0.175 + 0.08 + 0.30 = $0.555 newly priced; the reported $0.01 row keeps its cost.
    expect(out.totals).toEqual({
      rowsScanned: 6,
      rowsChanged: 4,
      newlyPriced: 3,
      nowUnpriced: 0,
      unpricedBefore: 3,
      unpricedAfter: 0,
      beforeNanos: 3_910_000_000,
      beforeUsd: '3.910000000',
      afterNanos: 4_465_000_000,
      afterUsd: '4.465000000',
      deltaNanos: 555_000_000,
      deltaUsd: '0.555000000',
    });
    expect(out.models).toEqual([
      {
        model: 'acme-llama-ft',
        rowsChanged: 4,
        newlyPriced: 3,
        nowUnpriced: 0,
        beforeNanos: 10_000_000,
        beforeUsd: '0.010000000',
        afterNanos: 565_000_000,
        afterUsd: '0.565000000',
        deltaNanos: 555_000_000,
        deltaUsd: '0.555000000',
      },
    ]);
    expect(out.unchanged).toEqual({ rows: 2, costNanos: 3_900_000_000, costUsd: '3.900000000' });
    expect(out.stillUnpriced).toEqual([]);

    const after = report();
    expect(after.totals).toMatchObject({ costNanos: 4_465_000_000, costUsd: '4.465000000', unpricedRequests: 0 });
    expect(after.unpriced).toEqual({ requests: 0, records: 0, tokens: 0, models: [] });
    expect(report('--by', 'model').rows).toHaveLength(3);

    // The daily report reads the hourly rollup; a bound off the hour sends it to the raw rows instead.
    const rollup = report('--daily');
    const raw = report('--daily', '--since', '2026-10-05T00:00:01Z');
    expect(rollup.rows.map((x) => [x.period, x.costNanos, x.unpricedRequests])).toEqual([
      ['2026-10-05', 3_755_000_000, 0],
      ['2026-10-06', 710_000_000, 0],
    ]);
    expect(raw.rows).toEqual(rollup.rows);
    expect(raw.totals).toEqual(rollup.totals);

    const again = sb.run(['reprice', '--prices', prices]);
    expect(again.status).toBe(0);
    expect(again.stdout).toContain('0 rows changed, 0 newly priced, of 6 request-level rows');
    expect(again.stdout).toContain('Total cost: $4.47 → $4.47; unpriced rows: 0 → 0.');
    expect(json<Reprice>(sb.run(['reprice', '--prices', prices, '--json'])).totals).toMatchObject({ rowsChanged: 0, deltaNanos: 0 });
  });

  it('applies a changed price of a known model, from a price file or from the config', () => {
    const prices = pricesFile([ACME, { id: 'gpt-4o', provider: 'openai', prices: { input: 2, output: 8 } }]);
    writeFileSync(join(sb.dir, 'llmcost.config.json'), JSON.stringify({ prices: 'prices.json' }));
    const out = json<Reprice>(sb.run(['reprice', '--model', 'gpt-4o', '--json']));
    // 1M input × $2 + 100k output × $8 = $2.80, was $3.50; --model leaves acme alone.
    expect(out.totals).toMatchObject({ rowsScanned: 1, rowsChanged: 1, beforeNanos: 3_500_000_000, afterNanos: 2_800_000_000 });
    expect(out.models.map((m) => [m.model, m.rowsChanged, m.deltaNanos])).toEqual([['gpt-4o', 1, -700_000_000]]);
    expect(report().totals).toMatchObject({ costNanos: 3_210_000_000, unpricedRequests: 3 });

    const all = json<Reprice>(sb.run(['reprice', '--prices', prices, '--json']));
    expect(all.totals).toMatchObject({ rowsChanged: 4, newlyPriced: 3, afterNanos: 3_765_000_000 });
    expect(report().totals.costNanos).toBe(3_765_000_000);
  });

  it('applies a catalog loaded with prices update, and keeps the bill as billed', () => {
    const catalog = JSON.parse(readFileSync(join(ROOT, 'src', 'pricing', 'catalog.json'), 'utf8'));
    catalog.source = { kind: 'test', version: 'cheaper-gpt-4o' };
    const openai = catalog.providers.find((p: { id: string }) => p.id === 'openai');
    const gpt4o = openai.models.find((m: { id: string }) => m.id === 'gpt-4o');
    gpt4o.prices = [
      { input: 2.5, output: 10 },
      { from: '2026-10-01', input: 1.25, output: 5 },
    ];
    const file = join(sb.dir, 'catalog.json');
    writeFileSync(file, JSON.stringify(catalog));
    const update = sb.run(['prices', 'update', file]);
    expect(update.status).toBe(0);
    expect(update.stderr).toContain('Stored rows keep the cost they were priced with until you run llmcost reprice.');
    const cur = sb.run(['ingest', 'csv', '--preset', 'cur', fixture('cur', 'cur2.csv'), '--json']);
    expect(cur.status, cur.stderr).toBe(0);
    const billed = report('--basis', 'billed').totals.costNanos;

    const r = sb.run(['reprice']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/│ gpt-4o +│ +1 │ +0 │ +0 │ +\$3\.50 │ +\$1\.75 │ +-\$1\.75 │/);
    expect(r.stdout).toContain('priced with test@cheaper-gpt-4o.');
    expect(r.stdout).toContain('Still unpriced: self-hosted/acme-llama-ft (3).');
    expect(report('--basis', 'usage').totals.costNanos).toBe(2_160_000_000);
    expect(report('--basis', 'billed').totals.costNanos).toBe(billed);
  });

  it('prints the same changes as CSV (total as the last row) and Markdown', () => {
    const prices = pricesFile([ACME]);
    const csv = sb.run(['reprice', '--prices', prices, '--dry-run', '--format', 'csv']);
    expect(csv.status).toBe(0);
    expect(csv.stdout.trimEnd().split('\n')).toEqual([
      'model,rows_changed,newly_priced,now_unpriced,before_usd,after_usd,delta_usd',
      'acme-llama-ft,4,3,0,0.010000000,0.565000000,0.555000000',
      '(2 rows unchanged),0,0,0,3.900000000,3.900000000,0.000000000',
      'Total,4,3,0,3.910000000,4.465000000,0.555000000',
    ]);
    const md = sb.run(['reprice', '--prices', prices, '--dry-run', '--format', 'markdown']);
    expect(md.stdout).toContain('| acme-llama-ft | 4 | 3 | 0 | $0.01 | $0.57 | $0.56 |');
    expect(md.stdout).toContain('| **Total** | **4** | **3** | **0** | **$3.91** | **$4.47** | **$0.56** |');
    expect(md.stdout).toContain('> Dry run: nothing was written.');
  });
});
