/**
 * The malformed-input corpus of the input layer (issue 12): one row per case, each a generator (or a fixture),
 * the command, the exit code, a fragment of the message, and the database byte-for-byte as it was before.
 * A good file is stored first, so "unchanged" is checked against a database that holds something.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, coverageEnv, fixture, sandbox, storedRequests } from '../helpers/cli.js';
import { dbState } from '../helpers/db-state.js';
import { generate, litellmDocument } from '../helpers/generate.js';

interface Case {
  name: string;
  /** Writes the input under `dir`; returns the command's arguments, and stdin if any. */
  setup: (dir: string) => { args: string[]; input?: string | Buffer };
  exit: number;
  message: string;
}

const w = (dir: string, name: string, data: string | Buffer): string => {
  const path = join(dir, name);
  writeFileSync(path, data);
  return path;
};
const litellmLines = generate.litellm(300_000).text;
const litellmGz = gzipSync(litellmLines);

const cases: Case[] = [
  {
    name: 'duplicate CSV header (user,user)',
    setup: (d) => ({
      args: ['ingest', 'csv', w(d, 'dup.csv', 'timestamp,user,model,input_tokens,team,user\n2026-10-01,alice,gpt-4o,10,search,bob\n')],
    }),
    exit: 2,
    message: 'dup.csv:1: ambiguous header: column "user" appears twice (columns 2 and 6).',
  },
  {
    name: 'duplicate CSV header differing in case (Model,model), auto-detected',
    setup: (d) => ({ args: ['ingest', w(d, 'dup2.csv', 'timestamp,Model,model,input_tokens\n2026-10-01,gpt-4o,gpt-4o,10\n')] }),
    exit: 2,
    message: 'dup2.csv:1: ambiguous header: column "Model" appears twice (columns 2 and 3).',
  },
  {
    name: 'duplicate header in a LiteLLM CSV (spend three times)',
    setup: (d) => ({ args: ['ingest', 'litellm', w(d, 'spend.csv', 'request_id,spend,model,spend,spend\nr1,0.1,gpt-4o,0.2,0.3\n')] }),
    exit: 2,
    message: 'spend.csv:1: ambiguous header: column "spend" appears 3 times (columns 2, 4 and 5).',
  },
  {
    name: 'binary file given to ingest litellm',
    setup: (d) => ({
      args: ['ingest', 'litellm', w(d, 'image.bin', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d, 0xff, 0x00, 0x10]))],
    }),
    exit: 2,
    message: 'image.bin: not a LiteLLM file: binary content. Nothing from it was stored.',
  },
  {
    name: 'binary file given to ingest litellm, gzipped',
    setup: (d) => ({ args: ['ingest', 'litellm', w(d, 'blob.gz', gzipSync(Buffer.alloc(4096, 0)))] }),
    exit: 2,
    message: 'blob.gz: not a LiteLLM file: binary content.',
  },
  {
    name: 'self-referencing symlink named on the command line',
    setup: (d) => {
      const link = join(d, 'self.jsonl');
      symlinkSync(link, link);
      return { args: ['ingest', 'litellm', link] };
    },
    exit: 2,
    message: 'self.jsonl: too many levels of symbolic links',
  },
  {
    name: 'self-referencing symlink inside a directory (the other files are still read: none here)',
    setup: (d) => {
      const dir = join(d, 'logs');
      mkdirSync(dir);
      symlinkSync(join(dir, 'loop.jsonl'), join(dir, 'loop.jsonl'));
      return { args: ['ingest', 'litellm', dir] };
    },
    exit: 2,
    message: 'loop.jsonl: too many levels of symbolic links',
  },
  {
    name: 'dangling symlink inside a directory, auto-detected',
    setup: (d) => {
      const dir = join(d, 'gone');
      mkdirSync(dir);
      symlinkSync(join(d, 'nowhere.jsonl'), join(dir, 'spend.jsonl'));
      return { args: ['ingest', dir] };
    },
    exit: 2,
    message: 'spend.jsonl: no such file or directory.',
  },
  {
    name: 'a JSON array cut short (a truncated download)',
    setup: (d) => {
      const doc = litellmDocument(300, 'array', true);
      return { args: ['ingest', 'litellm', w(d, 'cut.json', doc.slice(0, Math.floor(doc.length * 0.6)))] };
    },
    exit: 2,
    message: 'not valid JSON (the document ends before it is complete); a truncated file or mixed formats?',
  },
  {
    name: 'a minified envelope with a stray brace in its middle',
    setup: (d) => {
      const doc = litellmDocument(300, 'envelope');
      const at = doc.indexOf('{"request_id":"chatcmpl-gen-150"');
      return { args: ['ingest', 'litellm', w(d, 'stray.json', `${doc.slice(0, at)}}${doc.slice(at)}`)] };
    },
    exit: 2,
    message: 'stray.json:1: not valid JSON (unexpected "}")',
  },
  {
    name: 'a pretty array with a second document after it',
    setup: (d) => ({ args: ['ingest', 'litellm', w(d, 'two.json', `${litellmDocument(3, 'array', true)}\n[]\n`)] }),
    exit: 2,
    message: 'not valid JSON (unexpected "[" after the end of the document)',
  },
  {
    name: 'a truncated JSON array on stdin, past the detection head',
    setup: () => {
      const doc = litellmDocument(400, 'array');
      return { args: ['ingest', '-'], input: doc.slice(0, doc.length - 100) };
    },
    exit: 2,
    message: '-:1: not valid JSON (the document ends before it is complete)',
  },
  {
    name: 'a truncated .gz on stdin, past the detection head',
    setup: () => ({ args: ['ingest', 'litellm', '-'], input: litellmGz.subarray(0, litellmGz.length >> 1) }),
    exit: 2,
    message: 'stdin: the gzip data is truncated or corrupt',
  },
  {
    name: 'JSON Lines whose last line is cut, on stdin',
    setup: () => ({ args: ['ingest', 'litellm', '-'], input: litellmLines.slice(0, litellmLines.length - 300) }),
    exit: 2,
    message: 'lines could not be read. Nothing from it was stored.',
  },
];

describe('input corpus: each case exits as expected, says where, and leaves the database unchanged', () => {
  const sb = sandbox();
  let before: string;
  beforeAll(() => {
    const r = sb.run(['ingest', fixture('csv', 'basic.csv'), '--json']);
    if (r.status !== 0) throw new Error(r.stderr);
    before = dbState(sb.db);
  });
  afterAll(() => sb.dispose());
  /** As sb.run, with stdin bytes (a .gz) piped as they are. */
  const run = (args: string[], input: string | Buffer = ''): { status: number | null; stderr: string } => {
    const env = {
      PATH: process.env.PATH ?? '',
      NO_COLOR: '1',
      TZ: 'UTC',
      COLUMNS: '120',
      LLMCOST_DB: sb.db,
      HOME: sb.dir,
      ...coverageEnv(),
    };
    const r = spawnSync(process.execPath, [BIN, ...args], { cwd: sb.dir, input, env });
    return { status: r.status, stderr: r.stderr.toString('utf8') };
  };

  it.each(cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const { args, input } = c.setup(sb.dir);
    const r = run(args, input);
    expect({ status: r.status, message: r.stderr.includes(c.message) ? c.message : r.stderr }).toEqual({
      status: c.exit,
      message: c.message,
    });
    expect(dbState(sb.db)).toBe(before);
    expect(storedRequests(sb.db)).toBe(7);
  });

  it('a binary file refused once is refused again (no ok run of 0 rows was recorded)', () => {
    const file = w(sb.dir, 'again.bin', Buffer.from([0, 1, 2, 3, 0xff]));
    for (let i = 0; i < 2; i++) {
      const r = sb.run(['ingest', 'litellm', file]);
      expect(r.status).toBe(2);
      expect(r.stderr).toContain('again.bin: not a LiteLLM file: binary content.');
    }
    expect(dbState(sb.db)).toBe(before);
  });
});
