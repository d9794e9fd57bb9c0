import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixture, json, sandbox, storedRequests } from '../helpers/cli.js';
import { litellmDocument } from '../helpers/generate.js';

let sb: ReturnType<typeof sandbox>;
beforeEach(() => {
  sb = sandbox();
});
afterEach(() => sb.dispose());

type Summary = {
  files: { file: string; source: string; read: number; inserted: number; warnings?: number; error?: string }[];
  totals: Record<string, number>;
  issues: { file: string; line: number; item?: number; field?: string; message: string }[];
  warnings: { file: string; line: number; message: string }[];
};
const BOM = '\uFEFF';
const write = (name: string, data: string | Buffer): string => {
  const path = join(sb.dir, name);
  writeFileSync(path, data);
  return path;
};

describe('a UTF-8 byte order mark', () => {
  it.each([
    ['litellm', fixture('litellm', 'spend-logs.jsonl'), 5],
    ['bedrock-log', fixture('bedrock-log', 'bad-first-line.jsonl'), 2],
    ['claude-code', fixture('claude-code', 'projects', '-home-dev-shop', '3f1c2a9e-0b1d-4c55-9e1f-2f6f5d2b7a10.jsonl'), 3],
  ])('before JSON Lines is read past (%s), named or detected', (source, path, stored) => {
    const lines = readFileSync(path, 'utf8').split('\n');
    // bad-first-line.jsonl: its good lines only.
    const text = source === 'bedrock-log' ? lines.slice(1).join('\n') : lines.join('\n');
    const file = write(`bom-${source}.jsonl`, BOM + text);
    const named = sb.run(['ingest', source, file, '--json']);
    expect({ status: named.status, stderr: named.stderr }).toEqual({ status: 0, stderr: '' });
    expect(json<Summary>(named).totals.inserted).toBe(stored);
    const detected = sb.run(['ingest', file, '--force', '--json']);
    expect(detected.stderr).toBe(`${file}: detected ${source}\n`);
    expect(storedRequests(sb.db)).toBe(stored);
  });
});

describe('bytes that are not UTF-8', () => {
  it('are warned about with file:line, counted in the JSON summary, and the row is kept (CSV)', () => {
    const head = 'timestamp,user,model,input_tokens,output_tokens\n2026-10-01T09:00:00Z,alice,gpt-4o,1000,100\n';
    const file = write(
      'latin1.csv',
      Buffer.concat([Buffer.from(`${head}2026-10-01T10:00:00Z,jos`), Buffer.from([0xe9]), Buffer.from(',gpt-4o,2000,200\n')]),
    );
    const r = sb.run(['ingest', 'csv', file, '--json']);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe(`${file}:3: warning: invalid UTF-8: the bytes that are not UTF-8 were read as U+FFFD (�); the row is kept\n`);
    const s = json<Summary>(r);
    expect(s.warnings).toEqual([{ file, line: 3, message: expect.stringMatching(/^invalid UTF-8/) }]);
    expect(s.files.map((f) => [f.inserted, f.warnings])).toEqual([[2, 1]]);
    const users = json<{ rows: { group: { user: string }; requests: number }[] }>(sb.run(['report', '--by', 'user', '--json'])).rows;
    expect(users.map((u) => u.group.user).sort()).toEqual(['alice', 'jos\uFFFD']);
  });

  it('in JSON Lines, split across the 1 MB read chunks, name each line once', () => {
    const line = readFileSync(fixture('litellm', 'spend-logs.jsonl'), 'utf8').split('\n')[0] ?? '';
    const o = JSON.parse(line) as Record<string, unknown>;
    const parts: Buffer[] = [];
    for (let i = 0; i < 1500; i++) {
      const text = JSON.stringify({ ...o, request_id: `r${i}`, user: i % 500 === 7 ? 'BAD' : `user ${'é'.repeat(400)}` });
      const [a = '', b = ''] = text.split('BAD');
      parts.push(
        i % 500 === 7 ? Buffer.concat([Buffer.from(a), Buffer.from([0xc3, 0x28]), Buffer.from(b)]) : Buffer.from(text),
        Buffer.from('\n'),
      );
    }
    const file = write('mixed.jsonl', Buffer.concat(parts));
    const r = sb.run(['ingest', 'litellm', file, '--json']);
    expect(r.status).toBe(0);
    const s = json<Summary>(r);
    expect(s.warnings.map((w) => w.line)).toEqual([8, 508, 1008]);
    expect(s.files.map((f) => [f.inserted, f.warnings])).toEqual([[1500, 3]]);
  });
});

describe('symbolic links in a directory', () => {
  it('are followed to files and directories; a cycle visits each real directory once', () => {
    const real = join(sb.dir, 'real');
    mkdirSync(join(real, 'october'), { recursive: true });
    writeFileSync(join(real, 'october', 'usage.csv'), readFileSync(fixture('csv', 'basic.csv')));
    const logs = join(sb.dir, 'logs');
    mkdirSync(logs);
    symlinkSync(fixture('litellm', 'spend-logs.jsonl'), join(logs, 'current.jsonl'));
    symlinkSync(join(real, 'october'), join(logs, 'october'));
    symlinkSync(sb.dir, join(real, 'october', 'up')); // a cycle: october/up/logs/october/…
    const r = sb.run(['ingest', logs, '--json']);
    expect(r.status).toBe(0);
    const s = json<Summary>(r);
    expect(s.files.map((f) => [f.file.slice(sb.dir.length + 1), f.source, f.inserted])).toEqual([
      ['logs/current.jsonl', 'litellm', 5],
      ['logs/october/usage.csv', 'csv', 7],
    ]);
    expect(storedRequests(sb.db)).toBe(12);
  });
});

describe('JSON documents are streamed record by record', () => {
  it.each([
    ['a minified array', 'array', false],
    ['a pretty /spend/logs/v2 envelope', 'envelope', true],
    ['a minified /spend/logs/v2 envelope (one line)', 'envelope', false],
  ] as const)('%s of 3,000 records, from a file and from stdin', (_, shape, pretty) => {
    const doc = litellmDocument(3000, shape, pretty);
    const file = write('spend.json', doc);
    const r = sb.run(['ingest', 'litellm', file, '--json']);
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
    expect(json<Summary>(r).totals).toEqual({ read: 3000, inserted: 3000, duplicate: 0, rejected: 0, unpriced: 0 });
    const piped = sb.run(['ingest', '-', '--json'], { input: doc });
    expect(piped.stderr).toBe('-: detected litellm\n');
    expect(json<Summary>(piped).totals).toEqual({ read: 3000, inserted: 0, duplicate: 3000, rejected: 0, unpriced: 0 });
  });

  it('names a bad record by its index in the array, and stores nothing from the file', () => {
    const items = JSON.parse(litellmDocument(2000, 'array')) as Record<string, unknown>[];
    items[1233] = { ...items[1233], prompt_tokens: -5 };
    const file = write('bad.json', JSON.stringify({ data: items }, null, 2));
    const r = sb.run(['ingest', 'litellm', file, '--json']);
    expect(r.status).toBe(2);
    expect(json<Summary>(r).issues).toEqual([
      {
        file,
        line: 0,
        item: 1234,
        field: 'prompt_tokens',
        fieldKind: 'field',
        message: 'expected a non-negative whole number of tokens, got -5',
      },
    ]);
    expect(r.stderr).toContain(`${file}: record 1234: field "prompt_tokens": expected a non-negative whole number of tokens, got -5\n`);
    expect(storedRequests(sb.db)).toBe(0);
  });
});
