import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readState, statePath, writeState } from './state.js';

const dirs: string[] = [];
const scratch = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'llmcost-notify-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('notify state file', () => {
  it('lives beside the database and keeps each check apart', () => {
    const path = statePath(join(scratch(), 'llmcost.db'));
    expect(path.endsWith('llmcost.db.notify-state.json')).toBe(true);
    expect(readState(path, 'budget-check', () => {})).toBeUndefined();
    writeState(path, 'budget-check', ['budget:a:exceeded'], '2026-10-15T18:00:00.000Z');
    writeState(path, 'anomalies:daily', [], '2026-10-15T18:00:00.000Z');
    expect(readState(path, 'budget-check', () => {})).toEqual(['budget:a:exceeded']);
    expect(readState(path, 'anomalies:daily', () => {})).toEqual([]);
    expect(JSON.parse(readFileSync(path, 'utf8')).checks['budget-check']).toEqual({
      keys: ['budget:a:exceeded'],
      updatedAt: '2026-10-15T18:00:00.000Z',
    });
  });

  it('treats a damaged file as empty and says so, then replaces it', () => {
    const path = statePath(join(scratch(), 'llmcost.db'));
    writeFileSync(path, '{"version": 1, "checks":');
    const notes: string[] = [];
    expect(readState(path, 'budget-check', (t) => void notes.push(t))).toBeUndefined();
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatch(/^llmcost: notify: .*notify-state\.json cannot be read \(.*\); treating it as empty\.\n$/);
    writeState(path, 'budget-check', ['x'], '2026-10-15T18:00:00.000Z');
    expect(readState(path, 'budget-check', () => {})).toEqual(['x']);
  });
});
