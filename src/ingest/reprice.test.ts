import { describe, expect, it } from 'vitest';
import { usageRecord as record } from '../../test/helpers/records.js';
import { embeddedCatalog } from '../pricing/catalog.js';
import { Pricer } from '../pricing/pricer.js';
import type { Db } from '../store/db.js';
import { openDb } from '../store/db.js';
import { aggregate } from '../store/queries/report.js';
import { startRun, UsageWriter } from '../store/queries/usage.js';
import { dedupeKey, toRow } from './pipeline.js';
import { reprice } from './reprice.js';
import type { UsageRecord } from './types.js';

/** A user price file's content: acme-llama-ft at $0.5/$1.5 per 1M, gpt-4o at $2/$8. */
const userPrices = {
  file: 'prices.json',
  providers: [
    {
      id: 'self-hosted',
      name: 'self-hosted',
      models: [{ id: 'acme-llama-ft', match: { equals: 'acme-llama-ft' }, prices: [{ input: 0.5, output: 1.5 }] }],
    },
    { id: 'openai', name: 'openai', models: [{ id: 'gpt-4o', match: { equals: 'gpt-4o' }, prices: [{ input: 2, output: 8 }] }] },
  ],
};

function load(db: Db, source: string, records: UsageRecord[]): void {
  const pricer = new Pricer(embeddedCatalog());
  const run = startRun(db, source, source, undefined, undefined, 0);
  const w = new UsageWriter(db);
  records.forEach((r, i) => {
    w.write(toRow(r, source, run, pricer, dedupeKey(source, { ...r, sourceId: `${source}-${i}` }, 0)));
  });
  w.flush();
}

/** 300 rows over five days: gpt-4o, an unpriced self-hosted model, and a model with its reported cost. */
function seed(db: Db): void {
  const models = ['gpt-4o', 'acme-llama-ft', 'gpt-4o-mini'];
  load(
    db,
    'csv',
    Array.from({ length: 300 }, (_, i) =>
      record({
        ts: Date.UTC(2026, 9, 20) + i * 1_434_567,
        model: models[i % 3] ?? 'gpt-4o',
        provider: i % 3 === 1 ? 'self-hosted' : 'openai',
        user: `u${i % 7}`,
        team: `t${i % 2}`,
        inputTokens: 1000 + i,
        outputTokens: 10 * i,
        reportedCostNanos: i % 3 === 2 ? 1_000_000n : undefined,
      }),
    ),
  );
  // The bill: a Bedrock line Cost Explorer charged, for a model the user file would price.
  load(db, 'cost-explorer', [
    record({ ts: Date.UTC(2026, 9, 21), model: 'acme-llama-ft', provider: 'self-hosted', reportedCostNanos: 7_000_000n, billed: true }),
  ]);
}

const snapshot = (db: Db) => ({
  usage: db.prepare('SELECT * FROM usage ORDER BY id').safeIntegers(true).all(),
  hourly: db.prepare('SELECT * FROM usage_hourly ORDER BY hour, source, provider, model, user, team').safeIntegers(true).all(),
});

describe('reprice', () => {
  it('prices unpriced rows, applies a changed price, and leaves the rollup equal to the raw rows', () => {
    const db = openDb(':memory:');
    seed(db);
    const s = reprice(db, new Pricer(embeddedCatalog(), userPrices), {});
    expect(s).toMatchObject({
      rowsScanned: 300,
      rowsChanged: 200,
      newlyPriced: 100,
      nowUnpriced: 0,
      unpricedBefore: 100,
      unpricedAfter: 0,
    });
    expect(s.models.map((m) => [m.model, m.rowsChanged, m.newlyPriced])).toEqual([
      ['gpt-4o', 100, 0],
      ['acme-llama-ft', 100, 100],
    ]);
    expect(s.afterNanos - s.beforeNanos).toBe(s.models.reduce((n, m) => n + m.afterNanos - m.beforeNanos, 0n));
    expect(s.unchanged.rows).toBe(100);
    for (const tz of ['UTC', 'Europe/Berlin', 'Asia/Tokyo']) {
      for (const dims of [[], ['model'], ['user', 'provider']] as const) {
        const q = { dims: [...dims], byDay: true, tz, filter: {} };
        const rollup = aggregate(db, { ...q, from: 'rollup' });
        expect(rollup.length).toBeGreaterThan(0);
        expect(aggregate(db, { ...q, from: 'raw' })).toEqual(rollup);
      }
    }
    db.close();
  });

  it('keeps reported costs and the bill, and refreshes the computed cost beside a reported one', () => {
    const db = openDb(':memory:');
    load(db, 'csv', [
      record({ model: 'acme-llama-ft', provider: 'self-hosted', reportedCostNanos: 10_000_000n, inputTokens: 10_000, outputTokens: 1000 }),
    ]);
    load(db, 'cost-explorer', [
      record({
        model: 'acme-llama-ft',
        provider: 'self-hosted',
        reportedCostNanos: 7_000_000n,
        billed: true,
        inputTokens: 10_000,
        outputTokens: 1000,
      }),
    ]);
    const before = db.prepare("SELECT * FROM usage WHERE source = 'cost-explorer'").safeIntegers(true).get();
    const s = reprice(db, new Pricer(embeddedCatalog(), userPrices), {});
    expect(s).toMatchObject({ rowsScanned: 1, rowsChanged: 1, newlyPriced: 0, beforeNanos: 10_000_000n, afterNanos: 10_000_000n });
    const row = db
      .prepare("SELECT cost_nanos, cost_basis, computed_cost_nanos, price_ref FROM usage WHERE source = 'csv'")
      .safeIntegers(true)
      .get();
    // 10,000 × $0.5/M + 1,000 × $1.5/M = $0.0065
    expect(row).toEqual({
      cost_nanos: 10_000_000n,
      cost_basis: 'reported',
      computed_cost_nanos: 6_500_000n,
      price_ref: 'user:self-hosted/acme-llama-ft',
    });
    expect(db.prepare("SELECT * FROM usage WHERE source = 'cost-explorer'").safeIntegers(true).get()).toEqual(before);
    db.close();
  });

  it('is idempotent, and a dry run writes nothing', () => {
    const db = openDb(':memory:');
    seed(db);
    const pricer = new Pricer(embeddedCatalog(), userPrices);
    const untouched = snapshot(db);
    const dry = reprice(db, pricer, { dryRun: true });
    expect(snapshot(db)).toEqual(untouched);
    const real = reprice(db, pricer, {});
    expect({ ...dry, dryRun: false }).toEqual(real);
    const again = reprice(db, pricer, {});
    expect(again).toMatchObject({ rowsChanged: 0, newlyPriced: 0, models: [], beforeNanos: real.afterNanos, afterNanos: real.afterNanos });
    db.close();
  });

  it('limits itself to the range and the models asked for, and says when rows lose their price', () => {
    const db = openDb(':memory:');
    seed(db);
    const since = Date.UTC(2026, 9, 21, 6, 30);
    const until = Date.UTC(2026, 9, 22, 18, 15);
    const s = reprice(db, new Pricer(embeddedCatalog(), userPrices), { since, until, model: ['openai/gpt-4o'] });
    const inRange = db
      .prepare("SELECT COUNT(*) FROM usage WHERE model = 'gpt-4o' AND ts >= ? AND ts < ?")
      .pluck()
      .get(since, until) as number;
    expect(s.rowsScanned).toBe(inRange);
    expect(s.rowsChanged).toBe(inRange);
    expect(db.prepare("SELECT COUNT(*) FROM usage WHERE price_ref LIKE 'user:%'").pluck().get()).toBe(inRange);
    // Without the price file, the catalog price comes back; the file's self-hosted rows would lose theirs.
    reprice(db, new Pricer(embeddedCatalog(), userPrices), {});
    const back = reprice(db, new Pricer(embeddedCatalog()), {});
    expect(back).toMatchObject({ rowsChanged: 200, newlyPriced: 0, nowUnpriced: 100, unpricedAfter: 100 });
    expect(back.stillUnpriced).toEqual([{ provider: 'self-hosted', model: 'acme-llama-ft', rows: 100 }]);
    const q = { dims: ['model' as const], byDay: true, tz: 'UTC', filter: {} };
    expect(aggregate(db, { ...q, from: 'raw' })).toEqual(aggregate(db, { ...q, from: 'rollup' }));
    db.close();
  });
});
