import { describe, expect, it } from 'vitest';
import { redactUrl, sqlitePath, storeLocation } from './location.js';

describe('storeLocation', () => {
  it('keeps any value that is not a PostgreSQL URL as a SQLite path', () => {
    expect(storeLocation('llmcost.db')).toEqual({ kind: 'sqlite', path: 'llmcost.db' });
    expect(storeLocation('/data/postgres/llmcost.db')).toEqual({ kind: 'sqlite', path: '/data/postgres/llmcost.db' });
    expect(storeLocation('postgres.db')).toEqual({ kind: 'sqlite', path: 'postgres.db' });
  });

  it('reads postgres:// and postgresql:// URLs, with the password redacted', () => {
    expect(storeLocation('postgres://llm:s3cret@db.internal:5432/costs')).toEqual({
      kind: 'postgres',
      url: 'postgres://llm:s3cret@db.internal:5432/costs',
      redacted: 'postgres://llm:***@db.internal:5432/costs',
    });
    expect(storeLocation('POSTGRESQL://llm@db/costs?sslmode=require&password=x%40y')).toMatchObject({
      kind: 'postgres',
      redacted: 'POSTGRESQL://llm@db/costs?sslmode=require&password=***',
    });
    expect(storeLocation('postgres:///costs?host=/run/postgresql')).toMatchObject({ kind: 'postgres' });
  });

  it('refuses a malformed URL or one without a host (exit 2), never showing the password', () => {
    for (const bad of ['postgres://llm:s3cret@', 'postgres://llm:s3cret@[::1/costs']) {
      let message = '';
      try {
        storeLocation(bad);
      } catch (err) {
        message = (err as Error).message;
        expect((err as { exitCode: number }).exitCode).toBe(2);
      }
      expect(message).toMatch(/^The database (URL )?postgres:\/\/llm:\*\*\*@/);
      expect(message).not.toContain('s3cret');
    }
  });
});

describe('sqlitePath', () => {
  it('gives a path back and refuses a PostgreSQL store clearly until it lands', () => {
    expect(sqlitePath('a.db')).toBe('a.db');
    expect(() => sqlitePath('postgres://llm:s3cret@db/costs')).toThrow(
      'The database postgres://llm:***@db/costs is a PostgreSQL URL: a PostgreSQL store is not supported yet',
    );
  });
});

describe('redactUrl', () => {
  it('hides the password and nothing else', () => {
    expect(redactUrl('postgresql://u:p%40ss@h:1/d')).toBe('postgresql://u:***@h:1/d');
    expect(redactUrl('postgres://u@h/d')).toBe('postgres://u@h/d');
    expect(redactUrl('postgres://h/d?password=abc&x=1')).toBe('postgres://h/d?password=***&x=1');
  });
});
