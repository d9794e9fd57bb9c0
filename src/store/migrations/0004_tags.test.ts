import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { usageRecord as record } from '../../../test/helpers/records.js';
import { tagPair } from '../../core/tags.js';
import { dedupeKey, toRow } from '../../ingest/pipeline.js';
import type { UsageRecord } from '../../ingest/types.js';
import { embeddedCatalog } from '../../pricing/catalog.js';
import { Pricer } from '../../pricing/pricer.js';
import { openDb } from '../db.js';
import { APPLICATION_ID } from '../migrate.js';
import { startRun, UsageWriter } from '../queries/usage.js';
import { migrations } from './index.js';

const Driver = createRequire(import.meta.url)('better-sqlite3') as typeof BetterSqlite3;
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const TAG_LISTS: (string[] | undefined)[] = [
  ['project:checkout', 'env=prod', 'end_user:acme'],
  ['tag:team=search', 'prod', ' User-Agent: curl/8.4.0 '],
  ['session:4d5611e5', 'sidechain', 'key:sha256:0123456789ab'],
  [':x', 'a=b:c', 'tag:novalue', 'project:checkout'],
  undefined,
];

const records: UsageRecord[] = Array.from({ length: 50 }, (_, i) =>
  record({ ts: Date.UTC(2026, 9, 1) + i * 3_600_000, sourceId: `req-${i}`, user: `user${i % 3}`, tags: TAG_LISTS[i % TAG_LISTS.length] }),
);

/** Rows as schema 3 (llmcost before migration 4) stored them: dictionary ids, tags as one JSON text. */
function writeSchema3(db: BetterSqlite3.Database): void {
  const pricer = new Pricer(embeddedCatalog());
  const run = Number(
    db.prepare("INSERT INTO ingest_runs (source, file, started_at, status) VALUES ('litellm', '/data/spend.json', 0, 'ok')").run()
      .lastInsertRowid,
  );
  const addDict = db.prepare('INSERT OR IGNORE INTO dict (value) VALUES (?)');
  const id = (v: string | null): number | null => {
    if (v === null) return null;
    addDict.run(v);
    return db.prepare('SELECT id FROM dict WHERE value = ?').pluck().get(v) as number;
  };
  const insert = db.prepare(`INSERT INTO usage_rows (ts, day_only, dedupe_key, source_id, source_dim, provider_dim, model_raw_dim,
      model_dim, region_dim, user_dim, team_dim, api_key_dim, endpoint_dim, tags_dim, service_tier_dim, status_dim, cost_basis_dim,
      price_ref_dim, requests, input_tokens, output_tokens, cost_nanos, run_id) VALUES (${new Array(23).fill('?').join(', ')})`);
  for (const r of records) {
    const w = toRow(r, 'litellm', run, pricer, dedupeKey('litellm', r, 0));
    insert.run(
      w.ts,
      w.dayOnly,
      w.dedupeKey,
      w.sourceId,
      id(w.source),
      id(w.provider),
      id(w.modelRaw),
      id(w.model),
      id(w.region),
      id(w.user),
      id(w.team),
      id(w.apiKey),
      id(w.endpoint),
      id(w.tags),
      id(w.serviceTier),
      id(w.status),
      id(w.costBasis),
      id(w.priceRef),
      w.requests,
      w.inputTokens,
      w.outputTokens,
      w.costNanos,
      w.runId,
    );
  }
}

/** Every (row, key, value) the tag lists of the records give, by tagPair (key null for a plain tag). */
function expectedTags(): [number, string | null, string][] {
  const out = new Map<string, [number, string | null, string]>();
  records.forEach((r, i) => {
    for (const t of r.tags ?? []) {
      const p = tagPair(t);
      out.set(`${i + 1},${p.key},${p.value}`, [i + 1, p.key ?? null, p.value]);
    }
  });
  return [...out.values()].sort((a, b) => a[0] - b[0] || `${a[1]}\0${a[2]}`.localeCompare(`${b[1]}\0${b[2]}`));
}

describe('migration 0004_tags', () => {
  it('splits the tags of a database written by schema 3 as tagPair does, fills customer from end_user, re-ingest adds nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'llmcost-0004-'));
    dirs.push(dir);
    const path = join(dir, 'v3.db');
    const old = new Driver(path);
    old.exec('CREATE TABLE schema_migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)');
    for (const m of migrations.slice(0, 3)) {
      old.exec(m.sql);
      old.prepare('INSERT INTO schema_migrations VALUES (?, ?, 0)').run(m.id, m.name);
    }
    old.pragma(`application_id = ${APPLICATION_ID}`);
    writeSchema3(old);
    const before = old.prepare('SELECT * FROM usage ORDER BY id').all();
    old.close();

    const db = openDb(path);
    expect(db.prepare('SELECT id FROM schema_migrations ORDER BY id').pluck().all()).toEqual(migrations.map((m) => m.id));
    const tags = db
      .prepare('SELECT usage_id, key, value FROM usage_tag')
      .raw()
      .all()
      .sort((a, b) => {
        const [x, y] = [a as [number, string | null, string], b as [number, string | null, string]];
        return x[0] - y[0] || `${x[1]}\0${x[2]}`.localeCompare(`${y[1]}\0${y[2]}`);
      });
    expect(tags).toEqual(expectedTags());
    expect(tags.length).toBe(130);
    // The old view's columns read the same; customer is new, from the end_user tag.
    const after = db.prepare('SELECT * FROM usage ORDER BY id').all() as Record<string, unknown>[];
    expect(after.map(({ customer: _, ...rest }) => rest)).toEqual(before);
    expect(after.filter((r) => r.customer === 'acme').map((r) => r.id)).toEqual([1, 6, 11, 16, 21, 26, 31, 36, 41, 46]);
    expect(after.filter((r) => r.customer !== null && r.customer !== 'acme')).toEqual([]);
    // The (key, value) index answers a tag filter.
    const plan = db
      .prepare(
        "EXPLAIN QUERY PLAN SELECT row_id FROM usage_tags WHERE key_dim = (SELECT id FROM dict WHERE value = 'project') AND value_dim = 3",
      )
      .all() as { detail: string }[];
    expect(plan.map((p) => p.detail).join('\n')).toContain('USING COVERING INDEX usage_tags_key_value');

    // Re-ingest: nothing added, no tag added.
    const pricer = new Pricer(embeddedCatalog());
    const run = startRun(db, 'litellm', '/data/spend.json', undefined, undefined, 0);
    const w = new UsageWriter(db);
    const added = records.filter((r) => w.write(toRow(r, 'litellm', run, pricer, dedupeKey('litellm', r, 0)))).length;
    w.flush();
    expect(added).toBe(0);
    expect(db.prepare('SELECT COUNT(*) FROM usage_tags').pluck().get()).toBe(130);
    // Deleting a row deletes its tags.
    db.prepare('DELETE FROM usage_rows WHERE id = 1').run();
    expect(db.prepare('SELECT COUNT(*) FROM usage_tags WHERE row_id = 1').pluck().get()).toBe(0);
    db.close();
  });

  it('ingest stores each tag and the customer with the row, once', () => {
    const db = openDb(':memory:');
    const pricer = new Pricer(embeddedCatalog());
    const run = startRun(db, 'litellm', '/data/spend.json', undefined, undefined, 0);
    const w = new UsageWriter(db);
    const r = record({ sourceId: 'a', customer: 'acme', tags: ['project:checkout', 'env=prod', 'prod', 'project:checkout'] });
    expect(w.write(toRow(r, 'litellm', run, pricer, dedupeKey('litellm', r, 0)))).toBe(true);
    expect(w.write(toRow(r, 'litellm', run, pricer, dedupeKey('litellm', r, 0)))).toBe(false);
    w.flush();
    expect(db.prepare('SELECT key, value FROM usage_tag ORDER BY key, value').raw().all()).toEqual([
      [null, 'prod'],
      ['env', 'prod'],
      ['project', 'checkout'],
    ]);
    expect(db.prepare('SELECT customer, tags FROM usage').raw().all()).toEqual([
      ['acme', '["project:checkout","env=prod","prod","project:checkout"]'],
    ]);
    db.close();
  });
});
