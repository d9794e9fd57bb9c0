/**
 * Where the store lives, from `--db` / `LLMCOST_DB` / the config's `db`: a SQLite file path, or a PostgreSQL URL
 * (`postgres://` or `postgresql://`, issue #21). The URL is a secret when it holds a password: every message shows
 * `redacted`, never the URL itself.
 */
import { UserError } from '../lib/errors.js';

export type StoreLocation = { kind: 'sqlite'; path: string } | { kind: 'postgres'; url: string; redacted: string };

const POSTGRES = /^postgres(ql)?:\/\//i;

/** The URL with its password (and a `password=` query parameter) replaced by `***`. */
export function redactUrl(text: string): string {
  return text.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/?#@]*):[^@/?#]*@/i, '$1:***@').replace(/([?&]password=)[^&#]*/gi, '$1***');
}

export function storeLocation(value: string): StoreLocation {
  if (!POSTGRES.test(value)) return { kind: 'sqlite', path: value };
  const redacted = redactUrl(value);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UserError(`The database ${redacted} is not a valid PostgreSQL URL.`, {
      hint: 'Give postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE (percent-encode special characters in the password), or a SQLite file path.',
    });
  }
  if (!url.hostname && !url.searchParams.get('host')) {
    throw new UserError(`The database URL ${redacted} names no host.`, {
      hint: 'Give postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE, or a SQLite file path.',
    });
  }
  return { kind: 'postgres', url: value, redacted };
}

/**
 * The SQLite path of a location, or a clear refusal for PostgreSQL: commands run on SQLite stores only until the
 * PostgreSQL store lands. Never a SQLite file named after the URL (it would hold the password in its path).
 */
export function sqlitePath(value: string): string {
  const at = storeLocation(value);
  if (at.kind === 'sqlite') return at.path;
  throw new UserError(
    `The database ${at.redacted} is a PostgreSQL URL: a PostgreSQL store is not supported yet; llmcost keeps its store in a SQLite file.`,
    {
      hint: "Give a SQLite file path with --db / LLMCOST_DB (to read LiteLLM's own PostgreSQL, use `llmcost ingest litellm --database-url URL`).",
    },
  );
}
