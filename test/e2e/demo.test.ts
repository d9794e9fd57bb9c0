import { chmodSync, copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixture, json, sandbox } from '../helpers/cli.js';

let sb: ReturnType<typeof sandbox>;
beforeEach(() => {
  sb = sandbox();
});
afterEach(() => sb.dispose());

const refusal = (path: string): string =>
  `llmcost: ${path} exists and is not an llmcost demo database; choose another --db or remove it yourself.\n`;

describe('demo --db never destroys what it did not create', () => {
  it('refuses a real llmcost database with user data and leaves it byte-identical', () => {
    const db = join(sb.dir, 'real.db');
    expect(sb.run(['ingest', 'csv', fixture('csv', 'basic.csv'), '--db', db]).status).toBe(0);
    const before = readFileSync(db);
    const r = sb.run(['demo', '--db', db, '--json']);
    expect(r).toMatchObject({ status: 2, stdout: '', stderr: refusal(db) });
    expect(readFileSync(db).equals(before)).toBe(true);
    expect(json<{ totals: { requests: number } }>(sb.run(['report', '--json', '--db', db])).totals.requests).toBe(7);
  });

  it('refuses a text file and leaves it untouched', () => {
    const file = join(sb.dir, 'notes.txt');
    writeFileSync(file, 'my notes\n');
    expect(sb.run(['demo', '--db', file])).toMatchObject({ status: 2, stdout: '', stderr: refusal(file) });
    expect(readFileSync(file, 'utf8')).toBe('my notes\n');
  });

  it('refuses a demo database the user added their own data to', () => {
    const db = join(sb.dir, 'demo.db');
    expect(sb.run(['demo', '--db', db, '--json']).status).toBe(0);
    expect(sb.run(['ingest', 'csv', fixture('csv', 'basic.csv'), '--db', db]).status).toBe(0);
    expect(sb.run(['demo', '--db', db])).toMatchObject({ status: 2, stderr: refusal(db) });
    expect(json<{ totals: { requests: number } }>(sb.run(['report', '--json', '--db', db])).totals.requests).toBe(359_815);
  });

  it('replaces a demo database made by an earlier llmcost (one CSV run of its demo file), and its own', () => {
    // An earlier llmcost, installed elsewhere, ran `demo`: a plain CSV ingest of its fixtures/demo/usage.csv.
    const old = join(sb.dir, 'old-install', 'fixtures', 'demo');
    mkdirSync(old, { recursive: true });
    copyFileSync(fixture('demo', 'usage.csv'), join(old, 'usage.csv'));
    const db = join(sb.dir, 'demo.db');
    expect(sb.run(['ingest', 'csv', join(old, 'usage.csv'), '--db', db]).status).toBe(0);
    const r = sb.run(['demo', '--db', db, '--json']);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    // Replaced, not added to: the rows are the demo's once.
    expect(json<Record<string, unknown>>(r)).toMatchObject({ database: db, ingest: { read: 2737, inserted: 2737, duplicate: 0 } });
    expect(json<{ totals: { requests: number } }>(sb.run(['report', '--json', '--db', db])).totals.requests).toBe(359_808);
    expect(sb.run(['demo', '--db', db, '--json'])).toMatchObject({ status: 0, stderr: '' });
  });

  it('creates a missing path, directories included', () => {
    const db = join(sb.dir, 'new', 'dir', 'demo.db');
    const r = sb.run(['demo', '--db', db, '--json']);
    expect(r.status).toBe(0);
    expect(json<Record<string, unknown>>(r)).toMatchObject({ database: db, ingest: { inserted: 2737 } });
  });
});

describe('demo default path', () => {
  it('is per user: $XDG_CACHE_HOME/llmcost/demo.db, else ~/.cache/llmcost/demo.db', () => {
    expect(json<{ database: string }>(sb.run(['demo', '--json'])).database).toBe(join(sb.dir, '.cache', 'llmcost', 'demo.db'));
    const cache = join(sb.dir, 'xdg-cache');
    expect(json<{ database: string }>(sb.run(['demo', '--json'], { env: { XDG_CACHE_HOME: cache } })).database).toBe(
      join(cache, 'llmcost', 'demo.db'),
    );
  });

  it('says clearly, with exit 2, when the directory cannot be written', () => {
    const file = join(sb.dir, 'a-file');
    writeFileSync(file, '');
    const r = sb.run(['demo'], { env: { XDG_CACHE_HOME: file } });
    expect(r).toMatchObject({
      status: 2,
      stdout: '',
      stderr: `llmcost: Cannot create the demo database at ${file}/llmcost/demo.db: ${file}/llmcost is not a writable directory (ENOTDIR).\n  Choose a writable place with --db PATH, or set XDG_CACHE_HOME to a writable directory.\n`,
    });
  });

  it.skipIf(process.getuid?.() === 0)('exits 2, not 70, on a directory owned by someone else', () => {
    const locked = join(sb.dir, 'locked');
    mkdirSync(locked);
    chmodSync(locked, 0o555);
    const r = sb.run(['demo', '--db', join(locked, 'demo.db')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${locked} is not a writable directory (EACCES)`);
    chmodSync(locked, 0o755);
  });
});
