/**
 * What was tripped at the last notification, per check, in a small JSON file beside the database
 * (`<db>.notify-state.json`): read commands never write the database, and the file holds no webhook URL.
 * A missing or unreadable file means "nothing on record", so a tripped check notifies.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { renderJson } from '../render/json.js';

interface Entry {
  /** The keys tripped when the last notification went out (or when they last changed silently). */
  keys: string[];
  updatedAt: string;
}

interface StateFile {
  version: 1;
  checks: Record<string, Entry>;
}

export const statePath = (dbPath: string): string => `${dbPath}.notify-state.json`;

function readFile(path: string): StateFile | undefined {
  if (!existsSync(path)) return undefined;
  const data = JSON.parse(readFileSync(path, 'utf8')) as Partial<StateFile>;
  if (data.version !== 1 || typeof data.checks !== 'object' || data.checks === null) throw new Error('not a notify state file');
  return { version: 1, checks: data.checks };
}

/** The keys on record for `check`; undefined when there are none. A damaged file is reported through `note`. */
export function readState(path: string, check: string, note: (text: string) => void): string[] | undefined {
  try {
    const keys = readFile(path)?.checks[check]?.keys;
    return Array.isArray(keys) ? keys.filter((k): k is string => typeof k === 'string') : undefined;
  } catch (err) {
    note(`llmcost: notify: ${path} cannot be read (${(err as Error).message}); treating it as empty.\n`);
    return undefined;
  }
}

/** Records `keys` for `check`, keeping the other checks; written to a temporary file and renamed. */
export function writeState(path: string, check: string, keys: readonly string[], at: string): void {
  let file: StateFile;
  try {
    file = readFile(path) ?? { version: 1, checks: {} };
  } catch {
    file = { version: 1, checks: {} };
  }
  file.checks[check] = { keys: [...keys], updatedAt: at };
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${renderJson(file)}\n`);
  renameSync(tmp, path);
}
