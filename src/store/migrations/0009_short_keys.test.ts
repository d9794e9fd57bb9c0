import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { usageRecord as record } from '../../../test/helpers/records.js';
import { dedupeKey, KEY_BYTES, toRow } from '../../ingest/pipeline.js';
import { embeddedCatalog } from '../../pricing/catalog.js';
import { Pricer } from '../../pricing/pricer.js';
import { openDb } from '../db.js';
import { startRun, UsageWriter } from '../queries/usage.js';
import { migrations } from './index.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const DAY = Date.UTC(2026, 9, 8);
const pricer = new Pricer(embeddedCatalog());
const records = [0, 1, 2, 3].map((i) => record({ ts: DAY + i * 600_000, user: `u${i}`, inputTokens: 1000 + i }));
const withIds = [0, 1].map((i) => record({ ts: DAY + i * 60_000, sourceId: `req-${i}` }));

describe('migration 0009_short_keys', () => {
  it('cuts 16-byte keys written by schema 5 to their first 12 bytes, so the same files still add nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'llmcost-0009-'));
    dirs.push(dir);
    const path = join(dir, 'v5.db');
    const old = openDb(path);
    // Keys as schema 5 wrote them: the whole first 16 bytes of the SHA-256 whose first 12 this version keeps
    // (pipeline.test.ts pins both), so any 4 further bytes stand for the old key's tail.
    const tail = Buffer.from('a1b2c3d4', 'hex');
    const run = startRun(old, 'csv', '/data/a.csv', undefined, undefined, 0);
    const w = new UsageWriter(old);
    for (const r of records) w.write(toRow(r, 'csv', run, pricer, Buffer.concat([dedupeKey('csv', r, 0, 'f1'), tail])));
    for (const r of withIds) w.write(toRow(r, 'litellm', run, pricer, Buffer.concat([dedupeKey('litellm', r, 0), tail])));
    w.flush();
    old.prepare('DELETE FROM schema_migrations WHERE id = 9').run();
    const before = old.prepare('SELECT COUNT(*) AS n, SUM(cost_nanos) AS cost FROM usage_rows').get();
    expect(old.prepare('SELECT DISTINCT length(dedupe_key) FROM usage_rows').pluck().all()).toEqual([16]);
    old.close();

    const db = openDb(path);
    expect(db.prepare('SELECT id FROM schema_migrations ORDER BY id').pluck().all()).toEqual(migrations.map((m) => m.id));
    expect(db.prepare('SELECT DISTINCT length(dedupe_key) FROM usage_rows').pluck().all()).toEqual([KEY_BYTES]);
    expect(db.prepare('SELECT COUNT(*) AS n, SUM(cost_nanos) AS cost FROM usage_rows').get()).toEqual(before);
    const again = new UsageWriter(db);
    const added =
      records.filter((r) => again.write(toRow(r, 'csv', run, pricer, dedupeKey('csv', r, 0, 'f1')))).length +
      withIds.filter((r) => again.write(toRow(r, 'litellm', run, pricer, dedupeKey('litellm', r, 0)))).length;
    again.flush();
    expect(added).toBe(0);
    // A record not seen before is still added.
    const fresh = record({ ts: DAY + 3_600_000, user: 'new' });
    expect(again.write(toRow(fresh, 'csv', run, pricer, dedupeKey('csv', fresh, 0, 'f1')))).toBe(true);
    again.flush();
    expect(db.prepare('SELECT COUNT(*) FROM usage_rows').pluck().get()).toBe(7);
    db.close();
  });
});
