import { describe, expect, it } from 'vitest';
import { usageRecord as record } from '../../../test/helpers/records.js';
import { tagPair } from '../../core/tags.js';
import { dedupeKey, toRow } from '../../ingest/pipeline.js';
import type { UsageRecord } from '../../ingest/types.js';
import { embeddedCatalog } from '../../pricing/catalog.js';
import { Pricer } from '../../pricing/pricer.js';
import { openDb } from '../db.js';
import { aggregate, dataRange } from './report.js';
import { missingTags, tagsCommon, tagValues } from './tags.js';
import { startRun, UsageWriter } from './usage.js';

/** A store of these records (costs as reported: $1, $2, $4, $8, $16). */
function store(records: UsageRecord[]) {
  const db = openDb(':memory:');
  const pricer = new Pricer(embeddedCatalog());
  const run = startRun(db, 'csv', '/data/usage.csv', undefined, undefined, 0);
  const w = new UsageWriter(db);
  for (const r of records) w.write(toRow(r, 'csv', run, pricer, dedupeKey('csv', r, 0)));
  w.flush();
  return db;
}

const usd = (n: number): bigint => BigInt(n) * 1_000_000_000n;
const records = [
  record({ sourceId: 'a', tags: ['env:prod', 'project:checkout'], reportedCostNanos: usd(1) }),
  // Two values of one key: counted once, under the value stored first (env:prod came first, in row a).
  record({ sourceId: 'b', tags: ['env:dev', 'env:prod'], reportedCostNanos: usd(2) }),
  record({ sourceId: 'c', tags: ['env=dev', 'batch'], reportedCostNanos: usd(4) }),
  record({ sourceId: 'd', tags: ['tag:project=search'], reportedCostNanos: usd(8) }),
  record({ sourceId: 'e', reportedCostNanos: usd(16) }),
];
const filter = {};
const byKeys = (db: ReturnType<typeof store>, dims: Parameters<typeof aggregate>[1]['dims'], f = filter) =>
  aggregate(db, { dims, byDay: false, tz: 'UTC', filter: f }).map((r) => [...r.keys, r.costNanos / 1_000_000_000n]);

describe('tag queries', () => {
  it('tag:KEY partitions the spend: every request once, (untagged) for those without the key', () => {
    const db = store(records);
    expect(byKeys(db, ['tag:env'])).toEqual([
      ['(untagged)', 24n],
      ['dev', 4n],
      ['prod', 3n],
    ]);
    expect(byKeys(db, ['tag:project', 'tag:env'])).toEqual([
      ['(untagged)', '(untagged)', 16n],
      ['(untagged)', 'dev', 4n],
      ['(untagged)', 'prod', 2n],
      ['checkout', 'prod', 1n],
      ['search', '(untagged)', 8n],
    ]);
    db.close();
  });

  it('tag lists each tag (overlapping), plain tags by their text, untagged requests once', () => {
    const db = store(records);
    expect(byKeys(db, ['tag'])).toEqual([
      ['(untagged)', 16n],
      ['batch', 4n],
      ['env:dev', 6n],
      ['env:prod', 3n],
      ['project:checkout', 1n],
      ['project:search', 8n],
    ]);
    db.close();
  });

  it('--tag: values of one key any, keys and plain tags all; missing tags are named', () => {
    const db = store(records);
    const total = (tags: string[]) =>
      aggregate(db, { dims: [], byDay: false, tz: 'UTC', filter: { tags: tags.map(tagPair) } }).map((r) => r.costNanos / 1_000_000_000n);
    expect(total(['env=prod'])).toEqual([3n]);
    expect(total(['env=prod', 'env=dev'])).toEqual([7n]);
    expect(total(['env=dev', 'batch'])).toEqual([4n]);
    expect(total(['env=prod', 'project=checkout'])).toEqual([1n]);
    expect(total(['project=search'])).toEqual([8n]);
    expect(total(['env=staging'])).toEqual([]);
    expect(missingTags(db, ['env=staging', 'env=prod', 'nightly', 'batch'].map(tagPair))).toEqual([
      { key: 'env', value: 'staging' },
      { key: undefined, value: 'nightly' },
    ]);
    expect(tagValues(db, 'env').sort()).toEqual(['dev', 'prod']);
    expect(tagValues(db, undefined)).toEqual(['batch']);
    db.close();
  });
});

describe('tag filters on many rows', () => {
  // 20,000 requests a minute apart: every one tagged env:prod, every second one also project:p1, one in 2,001 batch.
  const many = Array.from({ length: 20_000 }, (_, i) =>
    record({
      sourceId: `m${i}`,
      ts: Date.UTC(2026, 9, 1) + i * 60_000,
      tags: ['env:prod', ...(i % 2 ? ['project:p1'] : []), ...(i % 2001 === 7 ? ['batch'] : [])],
      reportedCostNanos: BigInt(i + 1),
    }),
  );
  const db = store(many);

  it('a tag on 10,000 rows or more is common: the first and last rows are found by walking the time index', () => {
    expect(tagsCommon(db, [tagPair('env=prod')])).toBe(true);
    expect(tagsCommon(db, [tagPair('project=p1')])).toBe(true);
    expect(tagsCommon(db, [tagPair('env=prod'), tagPair('batch')])).toBe(false);
    expect(tagsCommon(db, [tagPair('env=nowhere')])).toBe(false);
  });

  it('gives the same range and sums whichever way it reads the tags, on ranges of a day or less and longer', () => {
    // Values of one key are alternatives; different keys (and each plain tag) must all match.
    const matches = (r: UsageRecord, tags: string[]): boolean => {
      const have = (r.tags ?? []).map((t) => tagPair(t));
      const groups = new Map<string, string[]>();
      for (const t of tags.map(tagPair))
        groups.set(t.key ?? `\u0000${t.value}`, [...(groups.get(t.key ?? `\u0000${t.value}`) ?? []), t.value]);
      return [...groups].every(([k, values]) => have.some((h) => (h.key ?? `\u0000${h.value}`) === k && values.includes(h.value)));
    };
    for (const tags of [['project=p1'], ['batch'], ['env=prod', 'project=p1'], ['project=p1', 'project=p2']]) {
      const f = { tags: tags.map(tagPair) };
      expect(dataRange(db, f)?.max).toBe(Math.max(...many.filter((r) => matches(r, tags)).map((r) => r.ts)));
      const day = { ...f, since: Date.UTC(2026, 9, 3, 5, 30), until: Date.UTC(2026, 9, 4, 5, 30) };
      const wide = { ...f, since: Date.UTC(2026, 9, 1), until: Date.UTC(2026, 9, 20) };
      for (const q of [day, wide]) {
        const want = many.filter((r) => r.ts >= q.since && r.ts < q.until && matches(r, tags));
        const [got] = aggregate(db, { dims: [], byDay: false, tz: 'UTC', filter: q });
        expect([got?.requests ?? 0, got?.costNanos ?? 0n]).toEqual([
          want.length,
          want.reduce((n, r) => n + (r.reportedCostNanos ?? 0n), 0n),
        ]);
        expect(want.length).toBeGreaterThan(0);
      }
    }
  });
});
