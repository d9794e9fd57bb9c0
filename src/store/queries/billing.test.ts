import { describe, expect, it } from 'vitest';
import { dedupeKey, toRow } from '../../ingest/pipeline.js';
import type { UsageRecord } from '../../ingest/types.js';
import { embeddedCatalog } from '../../pricing/catalog.js';
import { Pricer } from '../../pricing/pricer.js';
import { type Db, openDb } from '../db.js';
import { billSourceId, type CurCoverage, coveredByCur, replaceCostExplorerRows, supersedeCostExplorer } from './billing.js';
import { startRun, UsageWriter } from './usage.js';

const DAY = 86_400_000;
const d5 = Date.parse('2026-10-05T00:00:00Z');
const coverage: CurCoverage = new Map([[d5 / DAY, new Set(['111122223333'])]]);

describe('coveredByCur', () => {
  it.each([
    ['the same day and account', d5, d5 + DAY, '111122223333', true],
    ['another account', d5, d5 + DAY, '444455556666', false],
    ['a Cost Explorer row with no account (the whole bill)', d5, d5 + DAY, '', true],
    ['the next day', d5 + DAY, d5 + 2 * DAY, '111122223333', false],
    ['an hour of the day', d5 + 13 * 3_600_000, d5 + 14 * 3_600_000, '111122223333', true],
    ['a month that contains the day', Date.parse('2026-10-01T00:00:00Z'), Date.parse('2026-11-01T00:00:00Z'), '', true],
  ])('%s', (_name, start, end, account, expected) => {
    expect(coveredByCur(coverage, start, end, account)).toBe(expected);
  });

  it('a CUR line that names no account covers every account', () => {
    expect(coveredByCur(new Map([[d5 / DAY, new Set([''])]]), d5, d5 + DAY, '444455556666')).toBe(true);
  });
});

const bill = (over: Partial<UsageRecord>): UsageRecord => ({
  ts: d5,
  provider: 'bedrock',
  model: 'nova-lite',
  requests: 0,
  inputTokens: 0,
  outputTokens: 0,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  cacheWrite1hTokens: 0,
  billed: true,
  ...over,
});

function store(db: Db, source: string, records: UsageRecord[]): void {
  const pricer = new Pricer(embeddedCatalog());
  const run = startRun(db, source, 'x', undefined, undefined, 0);
  const w = new UsageWriter(db);
  for (const r of records) w.write(toRow(r, source, run, pricer, dedupeKey(source, r, 0)));
  w.flush();
}

const sums = (db: Db) => ({
  raw: db.prepare('SELECT source, SUM(cost_nanos) AS c FROM usage GROUP BY 1 ORDER BY 1').all(),
  rollup: db.prepare('SELECT source, SUM(cost_nanos) AS c FROM usage_hourly GROUP BY 1 HAVING c != 0 ORDER BY 1').all(),
});

describe('billing rows', () => {
  const id = (service: string) =>
    billSourceId({ start: '2026-10-05', end: '2026-10-06', account: '', service, usageType: 'USE1-NovaLite-input-tokens' }, '');

  it('replaces rows of the same days and services, and rows stored before identities, keeping the rollup equal', () => {
    const db = openDb(':memory:');
    store(db, 'cost-explorer', [
      bill({ sourceId: id('Amazon Bedrock'), tags: ['service:Amazon Bedrock'], reportedCostNanos: 1_000n }),
      bill({ sourceId: id('Other'), tags: ['service:Other'], reportedCostNanos: 20n }),
      // Stored by an older version from a tag grouping: no identity, no service.
      bill({ sourceId: 'UnblendedCost|DAILY|USAGE_TYPE,TAG:team|2026-10-05|x|team$a', tags: ['tag:team=a'], reportedCostNanos: 300n }),
      bill({ ts: d5 + DAY, sourceId: 'next-day', tags: ['service:Amazon Bedrock'], reportedCostNanos: 4n }),
    ]);
    expect(replaceCostExplorerRows(db, d5, d5 + DAY, ['Amazon Bedrock'])).toEqual({ rows: 2, billedNanos: 1_300n, days: ['2026-10-05'] });
    expect(sums(db)).toEqual({ raw: [{ source: 'cost-explorer', c: 24 }], rollup: [{ source: 'cost-explorer', c: 24 }] });
    db.close();
  });

  it('a CUR removes Cost Explorer rows of its days and accounts only', () => {
    const db = openDb(':memory:');
    const acct = (a: string) => billSourceId({ start: '2026-10-05', end: '2026-10-06', account: a, service: 'S', usageType: 'U' }, '');
    store(db, 'cost-explorer', [
      bill({ sourceId: acct('111122223333'), reportedCostNanos: 10n }),
      bill({ sourceId: acct('444455556666'), reportedCostNanos: 2n }),
    ]);
    store(db, 'cur', [bill({ ts: d5 + 9 * 3_600_000, sourceId: 'li-1', tags: ['account:111122223333'], reportedCostNanos: 11n })]);
    expect(supersedeCostExplorer(db, d5 + 9 * 3_600_000, d5 + 9 * 3_600_000 + 1)).toEqual({
      rows: 1,
      billedNanos: 10n,
      days: ['2026-10-05'],
    });
    expect(sums(db)).toEqual({
      raw: [
        { source: 'cost-explorer', c: 2 },
        { source: 'cur', c: 11 },
      ],
      rollup: [
        { source: 'cost-explorer', c: 2 },
        { source: 'cur', c: 11 },
      ],
    });
    db.close();
  });
});
