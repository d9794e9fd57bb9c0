import { describe, expect, it } from 'vitest';
import { checkDatabaseUrl, libpqUrl } from './postgres.js';

describe('libpqUrl', () => {
  const none = { mode: undefined, rootCert: undefined };
  it.each([
    ['postgres://u:p@h:5432/db', none, 'postgres://u:p@h:5432/db'],
    ['postgres://u:p@h:5432/db?sslmode=require', none, 'postgres://u:p@h:5432/db?sslmode=require&uselibpqcompat=true'],
    [
      'postgres://u:p@h/db',
      { mode: 'verify-full', rootCert: '/etc/ca.pem' },
      'postgres://u:p@h/db?sslmode=verify-full&sslrootcert=%2Fetc%2Fca.pem&uselibpqcompat=true',
    ],
    [
      'postgres://u:p@h/db?sslmode=disable',
      { mode: 'require', rootCert: undefined },
      'postgres://u:p@h/db?sslmode=disable&uselibpqcompat=true',
    ],
    ['postgres://u:p@h/db', { mode: 'no-verify', rootCert: undefined }, 'postgres://u:p@h/db?sslmode=no-verify'],
    ['postgresql://u@/db?host=/var/run/postgresql', none, 'postgresql://u@/db?host=/var/run/postgresql'],
  ])('%s with %o → %s', (url, ssl, expected) => {
    expect(libpqUrl(url, ssl)).toBe(expected);
  });
});

describe('checkDatabaseUrl', () => {
  it('takes postgres:// and postgresql:// URLs, and refuses others without echoing them', () => {
    for (const ok of ['postgresql://u:p@h:5432/db', 'postgres://u@/litellm?host=/run/postgresql', 'postgresql:///litellm']) {
      expect(() => checkDatabaseUrl(ok, '--database-url')).not.toThrow();
    }
    for (const bad of ['mysql://u:secret@h/db', 'postgres://u:secret@h:port/db', 'h:5432/db']) {
      expect(() => checkDatabaseUrl(bad, 'DATABASE_URL')).toThrow('DATABASE_URL is not a PostgreSQL URL.');
      try {
        checkDatabaseUrl(bad, 'DATABASE_URL');
      } catch (err) {
        expect(String(err)).not.toContain('secret');
      }
    }
  });
});
