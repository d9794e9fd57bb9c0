import { describe, expect, it } from 'vitest';
import { usageRecord as record } from '../../../test/helpers/records.js';
import { tagPair } from '../../core/tags.js';
import type { Dimension } from '../../core/types.js';
import { dedupeKey, toRow } from '../../ingest/pipeline.js';
import type { UsageRecord } from '../../ingest/types.js';
import { embeddedCatalog } from '../../pricing/catalog.js';
import { Pricer } from '../../pricing/pricer.js';
import { type Db, openDb } from '../db.js';
import { aggregate, type UsageFilter } from './report.js';
import { rebuildTagRange, tagTriples } from './tag-rollup.js';
import { rebuildRollupRange, startRun, UsageWriter } from './usage.js';

const DAY = 86_400_000;
const at = (iso: string): number => Date.parse(iso);
const START = at('2026-10-01T00:00:00Z');
const pricer = new Pricer(embeddedCatalog());

/** Row i's tags: untagged (1 in 7), a project (two of them on 1 in 11), env, a plain `batch`, a cloud tag. */
function tagsOf(i: number): string[] {
  if (i % 7 === 0) return [];
  const tags = [`project:p${i % 5}`];
  if (i % 11 === 0) tags.push('project=p9');
  if (i % 3 !== 0) tags.push(i % 4 === 0 ? 'env:staging' : 'env:prod');
  if (i % 6 === 1) tags.push('batch');
  if (i % 13 === 0) tags.push('tag:cost-center=cc1');
  return tags;
}

function recordAt(i: number, over: Partial<UsageRecord> = {}): UsageRecord {
  return record({
    ts: START + i * 1_234_567, // about 21 days, every minute of the hour over time
    sourceId: `r${i}`,
    model: i % 5 === 0 ? 'acme-unpriced' : i % 2 ? 'gpt-4o' : 'claude-3-haiku-20240307',
    user: `u${i % 4}`,
    team: `t${i % 3}`,
    endpoint: i % 2 ? '/chat' : '/search',
    inputTokens: 1000 + i,
    outputTokens: 7 * i,
    tags: tagsOf(i),
    ...over,
  });
}

function write(db: Db, records: UsageRecord[], grow = false): number {
  const run = startRun(db, 'csv', '/data/usage.csv', undefined, undefined, 0);
  const w = new UsageWriter(db);
  let n = 0;
  for (const r of records) {
    const row = toRow(r, 'csv', run, pricer, dedupeKey('csv', r, 0));
    if (grow ? w.grow(row) : w.write(row)) n++;
  }
  w.flush();
  return n;
}

const ROWS = 1500;
const snapshot = (db: Db) => db.prepare('SELECT * FROM usage_tag_daily_rows ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12').raw().all();

describe('tagTriples', () => {
  it('sorts and dedupes a row’s tags, marks the second value of a key extra, and adds the any-tag triple', () => {
    expect(
      tagTriples([
        [7, 9],
        [3, 4],
        [7, 8],
        [3, 4],
      ]),
    ).toEqual([3, 4, 0, 7, 8, 0, 7, 9, 1, -1, 0, 0]);
    expect(tagTriples([])).toEqual([]);
  });
});

describe('the tag rollup', () => {
  it('answers --by tag:KEY, --by tag and one --tag as the rows do, with --model/--team, in UTC, Kolkata and New York, ranges ending mid-hour', () => {
    const db = openDb(':memory:');
    write(
      db,
      Array.from({ length: ROWS }, (_, i) => recordAt(i)),
    );
    const grouped: Dimension[][] = [['tag:project'], ['tag:env', 'model'], ['tag'], ['team', 'tag:project'], ['tag:batch']];
    const filtered: [Dimension[], string][] = [
      [[], 'project=p1'],
      [['model'], 'batch'],
      [['user', 'endpoint'], 'env=prod'],
      [['team'], 'project=p9'],
    ];
    const scopes: UsageFilter[] = [{}, { model: ['gpt-4o'] }, { team: ['t1'] }, { model: ['gpt-4o'], team: ['t2'] }];
    const ranges: UsageFilter[] = [
      {},
      { since: at('2026-10-03T00:00:00Z'), until: at('2026-10-12T00:00:00Z') },
      { since: at('2026-10-03T18:30:00Z'), until: at('2026-10-15T07:13:00Z') },
      { since: at('2026-10-02T04:00:00Z'), until: at('2026-10-20T16:45:30Z') },
    ];
    let compared = 0;
    for (const tz of ['UTC', 'Asia/Kolkata', 'America/New_York']) {
      for (const range of ranges) {
        for (const scope of scopes) {
          const queries: { dims: Dimension[]; filter: UsageFilter }[] = [
            ...grouped.map((dims) => ({ dims, filter: { ...range, ...scope } })),
            ...filtered.map(([dims, tag]) => ({ dims, filter: { ...range, ...scope, tags: [tagPair(tag)] } })),
          ];
          for (const { dims, filter } of queries) {
            for (const byDay of [false, true]) {
              const q = { dims, byDay, tz, filter };
              const raw = aggregate(db, { ...q, from: 'raw' });
              expect(aggregate(db, q)).toEqual(raw);
              if (raw.length > 0) compared++;
            }
          }
        }
      }
    }
    expect(compared).toBeGreaterThan(400);
    // Several --tag filters, or a filter with a tag grouping, are read from the rows: still equal.
    const twoTags = { tags: ['project=p1', 'env=prod'].map(tagPair) };
    expect(aggregate(db, { dims: ['tag:project'], byDay: false, tz: 'UTC', filter: twoTags })).toEqual(
      aggregate(db, { dims: ['tag:project'], byDay: false, tz: 'UTC', filter: twoTags, from: 'raw' }),
    );

    // The whole days above came from the rollup (local days in Kolkata and New York too): changed, it changes the answer.
    db.prepare('UPDATE usage_tag_daily_rows SET cost_nanos = cost_nanos + 1').run();
    const mid = ranges[2] as UsageFilter;
    for (const q of [
      { dims: ['tag:project'] as Dimension[], byDay: false, tz: 'UTC', filter: ranges[1] as UsageFilter },
      { dims: ['tag'] as Dimension[], byDay: true, tz: 'Asia/Kolkata', filter: mid },
      { dims: ['tag:env'] as Dimension[], byDay: true, tz: 'America/New_York', filter: mid },
      { dims: [], byDay: false, tz: 'Asia/Kolkata', filter: { ...mid, tags: [tagPair('batch')] } },
    ])
      expect(aggregate(db, q)).not.toEqual(aggregate(db, { ...q, from: 'raw' }));
    db.close();
  });

  it('stays equal to a rebuild from the rows: re-ingest adds nothing, a grown row adds its difference, a rebuild restores it', () => {
    const db = openDb(':memory:');
    const records = Array.from({ length: 400 }, (_, i) => recordAt(i));
    expect(write(db, records)).toBe(400);
    const first = snapshot(db);
    expect(first.length).toBeGreaterThan(0);
    // Re-ingest: no row stored, nothing added.
    expect(write(db, records)).toBe(0);
    expect(snapshot(db)).toEqual(first);
    // Rows completed later (Claude Code's streaming placeholder): more output tokens, a new cost.
    const grown = records.filter((_, i) => i % 9 === 2).map((r) => ({ ...r, outputTokens: r.outputTokens + 5000 }));
    expect(write(db, grown, true)).toBe(grown.length);
    const after = snapshot(db);
    expect(after).not.toEqual(first);
    const days = [Math.floor(START / DAY), Math.ceil((START + 400 * 1_234_567) / DAY)] as const;
    rebuildTagRange(db, 'csv', ...days);
    expect(snapshot(db)).toEqual(after);
    // A replaced range (ingest --replace, reprice) is rebuilt with the other rollups.
    db.prepare('DELETE FROM usage_tag_daily_rows').run();
    rebuildRollupRange(db, 'csv', days[0] * DAY, days[1] * DAY);
    expect(snapshot(db)).toEqual(after);
    // Sums per key: each tagged row once under key -1; tag:project counts each row once (extra = 0).
    const tagged = records.filter((r) => (r.tags ?? []).length > 0).length;
    const sum = (where: string) => db.prepare(`SELECT SUM(records) FROM usage_tag_daily_rows WHERE ${where}`).pluck().get();
    expect(sum('key_dim = -1')).toBe(tagged);
    expect(sum("key_dim = (SELECT id FROM dict WHERE value = 'project') AND extra = 0")).toBe(tagged);
    expect(sum('extra = 1')).toBe(records.filter((_, i) => i % 11 === 0 && i % 7 !== 0).length);
    db.close();
  });

  it('with a --tag filter by hour (pareto’s peak hour) and by day in Kolkata reads rows where the rollup has no whole day', () => {
    const db = openDb(':memory:');
    write(
      db,
      Array.from({ length: 300 }, (_, i) => recordAt(i)),
    );
    const filter = { since: at('2026-10-01T18:30:00Z'), until: at('2026-10-04T18:30:00Z'), tags: [tagPair('project=p2')] };
    for (const q of [
      { dims: [], byDay: true, hourly: true, tz: 'UTC', filter },
      { dims: ['tag:env'] as Dimension[], byDay: true, tz: 'Asia/Kolkata', filter: { ...filter, tags: undefined } },
    ]) {
      const raw = aggregate(db, { ...q, from: 'raw' });
      expect(raw.length).toBeGreaterThan(2);
      expect(aggregate(db, q)).toEqual(raw);
    }
    db.close();
  });
});
