import { describe, expect, it } from 'vitest';
import { usageRecord as record } from '../../../test/helpers/records.js';
import { dedupeKey, toRow } from '../../ingest/pipeline.js';
import type { UsageRecord } from '../../ingest/types.js';
import { embeddedCatalog } from '../../pricing/catalog.js';
import { Pricer } from '../../pricing/pricer.js';
import { type Db, openDb } from '../db.js';
import { lastLineDay, storeLines } from './org-usage.js';
import { aggregate } from './report.js';
import { startRun } from './usage.js';

const DAY = 86_400_000;
const d1 = Date.UTC(2026, 9, 1);
const pricer = new Pricer(embeddedCatalog());
const line = (id: string, ts: number, requests: number): UsageRecord =>
  record({
    ts,
    dayOnly: true,
    sourceId: id,
    provider: 'openai',
    model: 'gpt-4o-2024-08-06',
    user: id,
    requests,
    inputTokens: 1000 * requests,
    outputTokens: 100 * requests,
  });

function put(db: Db, lines: UsageRecord[], since = d1, until = d1 + 2 * DAY) {
  const run = startRun(db, 'openai-usage', 'x', undefined, undefined, 0);
  return storeLines(
    db,
    'openai-usage',
    undefined,
    since,
    until,
    lines.map((l) => toRow(l, 'openai-usage', run, pricer, dedupeKey('openai-usage', l, 0))),
  );
}
const byUser = (db: Db, from?: 'raw') => aggregate(db, { dims: ['user'], byDay: true, tz: 'UTC', filter: {}, ...(from ? { from } : {}) });

describe('storeLines', () => {
  it('inserts new lines, leaves identical ones, replaces changed ones and removes the ones a re-read day no longer has', () => {
    const db = openDb(':memory:');
    expect(put(db, [line('a', d1, 3), line('b', d1, 1), line('c', d1 + DAY, 2)])).toEqual({
      inserted: 3,
      updated: 0,
      unchanged: 0,
      removed: 0,
    });
    expect(put(db, [line('a', d1, 3), line('b', d1, 1), line('c', d1 + DAY, 2)])).toEqual({
      inserted: 0,
      updated: 0,
      unchanged: 3,
      removed: 0,
    });
    // Day 2 re-read alone: c grew, d is new; day 1 is outside the range and stays as it is.
    expect(put(db, [line('c', d1 + DAY, 5), line('d', d1 + DAY, 1)], d1 + DAY, d1 + 2 * DAY)).toEqual({
      inserted: 1,
      updated: 1,
      unchanged: 0,
      removed: 0,
    });
    expect(put(db, [line('a', d1, 3)], d1, d1 + DAY)).toEqual({ inserted: 0, updated: 0, unchanged: 1, removed: 1 });
    expect(db.prepare('SELECT source_id AS id, requests FROM usage ORDER BY 1').all()).toEqual([
      { id: 'a', requests: 3 },
      { id: 'c', requests: 5 },
      { id: 'd', requests: 1 },
    ]);
    // The rollups stay equal to the raw rows after replacements and removals.
    expect(byUser(db)).toEqual(byUser(db, 'raw'));
    expect(lastLineDay(db, 'openai-usage')).toBe(d1 + DAY);
    expect(lastLineDay(db, 'anthropic-usage')).toBeUndefined();
  });

  it('re-reads, and removes, only the lines of its own organization (--org)', () => {
    const db = openDb(':memory:');
    const run = startRun(db, 'openai-usage', 'x', undefined, undefined, 0);
    const rows = (org: string | undefined, lines: UsageRecord[]) =>
      lines.map((l) => {
        const r = { ...l, sourceId: org === undefined ? l.sourceId : `oai-usage|org=${org}|${l.sourceId}` };
        return toRow(r, 'openai-usage', run, pricer, dedupeKey('openai-usage', r, 0));
      });
    const all = { since: d1, until: d1 + DAY };
    expect(storeLines(db, 'openai-usage', 'a', all.since, all.until, rows('a', [line('x', d1, 1), line('y', d1, 1)])).inserted).toBe(2);
    expect(storeLines(db, 'openai-usage', undefined, all.since, all.until, rows(undefined, [line('x', d1, 4)])).inserted).toBe(1);
    // Organization b's day holds one line: a's two lines and the unlabelled one stay.
    expect(storeLines(db, 'openai-usage', 'b', all.since, all.until, rows('b', [line('x', d1, 2)]))).toEqual({
      inserted: 1,
      updated: 0,
      unchanged: 0,
      removed: 0,
    });
    expect(storeLines(db, 'openai-usage', 'a', all.since, all.until, rows('a', [line('x', d1, 1)]))).toEqual({
      inserted: 0,
      updated: 0,
      unchanged: 1,
      removed: 1,
    });
    expect(db.prepare('SELECT SUM(requests) FROM usage').pluck().get()).toBe(7);
    expect(lastLineDay(db, 'openai-usage', 'b')).toBe(d1);
    expect(lastLineDay(db, 'openai-usage', 'c')).toBeUndefined();
  });
});
