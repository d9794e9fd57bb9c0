/** Opens ingest inputs: files, directories' files, stdin; gzip is decompressed transparently. */

import { isUtf8 } from 'node:buffer';
import { createReadStream, readdirSync, realpathSync, type Stats, statSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough, pipeline, Readable, Transform } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { UserError } from '../lib/errors.js';
import { completeLength } from './lines.js';
import type { InputFile } from './types.js';

const GZIP_MAGIC = [0x1f, 0x8b];

/** Wraps a byte stream so gzip content (by magic bytes, not by name) is decompressed on the fly. */
function maybeGunzip(source: Readable, name: string): Readable {
  const out = new PassThrough();
  let decided = false;
  const fail = (err: Error): void => {
    const truncated = /unexpected end|incorrect header|invalid/i.test(err.message);
    out.destroy(
      new UserError(`${name}: ${truncated ? 'the gzip data is truncated or corrupt' : 'cannot read'} (${err.message}).`, {
        hint: truncated ? 'Re-download or re-export the file; nothing from it was stored.' : 'Check the path and permissions.',
      }),
    );
  };
  source.once('error', fail);
  source.once('readable', () => {
    if (decided) return;
    decided = true;
    const head: Buffer | null = source.read(2);
    if (head) source.unshift(head);
    if (head && head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1]) {
      const gunzip = createGunzip();
      gunzip.once('error', fail);
      source.pipe(gunzip).pipe(out);
    } else {
      source.pipe(out);
    }
  });
  source.once('end', () => {
    if (!decided) out.end();
  });
  return out;
}

/**
 * Expands paths into input files; directories are walked for files whose names pass `accept`. Symbolic links
 * are followed, to files and to directories; each real directory is walked once (a link cycle ends there) and
 * each real file is read once. An entry that cannot be reached (a dangling or looping link) is kept as an
 * input that fails with the reason, so the run names it instead of skipping it.
 */
export function resolveInputs(paths: string[], accept: (name: string) => boolean = () => true): InputFile[] {
  const files: InputFile[] = [];
  const seen = new Set<string>();
  const walk = (dir: string): void => {
    const real = realpathSync(dir);
    if (seen.has(real)) return;
    seen.add(real);
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isSymbolicLink()) {
        let st: Stats;
        try {
          st = statSync(full);
        } catch (err) {
          if (accept(entry.name)) files.push({ name: full, inDirectory: true, open: () => failing(full, err) });
          continue;
        }
        if (st.isDirectory()) walk(full);
        else if (st.isFile() && accept(entry.name)) addFile(full, st, true);
      } else if (entry.isFile() && accept(entry.name)) addFile(full, undefined, true);
    }
  };
  const addFile = (path: string, st: Stats | undefined, inDirectory: boolean): void => {
    const real = realpathSync(path);
    if (seen.has(real)) return;
    seen.add(real);
    files.push(inDirectory ? { ...fileInput(path, st), inDirectory } : fileInput(path, st));
  };
  for (const p of paths) {
    if (p === '-') {
      files.push({ name: '-', open: () => maybeGunzip(process.stdin, 'stdin') });
      continue;
    }
    let st: Stats;
    try {
      st = statSync(p);
    } catch (err) {
      throw new UserError(`${p}: ${unreachable(err)}.`, { hint: 'Check the path; use - to read standard input.' });
    }
    if (st.isDirectory()) walk(p);
    else addFile(p, st, false);
  }
  return files;
}

/** Why a path cannot be reached, in words: ELOOP is a link that points to itself or a cycle of links. */
function unreachable(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ELOOP') return 'too many levels of symbolic links (a link that points to itself, or a cycle of links)';
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return `cannot read (${(err as Error).message})`;
}

function failing(path: string, err: unknown): Readable {
  const stream = new PassThrough();
  process.nextTick(() => stream.destroy(new UserError(`${path}: ${unreachable(err)}.`, { hint: 'Fix or remove the link.' })));
  return stream;
}

export function fileInput(path: string, st: Stats = statSync(path)): InputFile {
  let read = 0;
  return {
    name: path,
    size: st.size,
    mtimeMs: Math.floor(st.mtimeMs),
    bytesRead: () => read,
    open: () => {
      read = 0;
      const stream = createReadStream(path, { highWaterMark: 1 << 20 });
      stream.on('data', (chunk) => {
        read += chunk.length;
      });
      const out = maybeGunzip(stream, path);
      // A reader that stops early (format detection reads only the head) must not leave the file open:
      // auto-detecting a directory of thousands of files would run out of file handles.
      out.once('close', () => stream.destroy());
      return out;
    },
  };
}

/**
 * Reads the first bytes of an input (decompressed) for format detection, and returns an input that
 * still yields every byte: files are simply opened again; stdin replays what was read, then the rest.
 */
export async function peek(input: InputFile, bytes = 64 * 1024): Promise<{ head: string; input: InputFile }> {
  const stream = input.open();
  const { chunks, ended } = await readHead(stream, bytes);
  const head = Buffer.concat(chunks).subarray(0, bytes).toString('utf8');
  if (input.name !== '-') {
    stream.destroy();
    return { head, input };
  }
  // stdin can be read once: the replay yields the chunks already read, then the rest of the same stream. An
  // error while it waits (a corrupt .gz) is kept by the stream and thrown by the replay, not left unhandled.
  stream.on('error', () => {});
  async function* replay(): AsyncGenerator<Buffer> {
    yield* chunks;
    if (!ended) for await (const chunk of stream) yield chunk as Buffer;
  }
  return { head, input: { ...input, open: () => Readable.from(replay(), { objectMode: false }) } };
}

/**
 * Reads at least `bytes` (or to the end) and leaves the stream paused where it stopped. Not `for await`
 * with `break`: that destroys the stream, and a replay of stdin would then never end.
 */
function readHead(stream: Readable, bytes: number): Promise<{ chunks: Buffer[]; ended: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (ended: boolean): void => {
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('error', onError);
      stream.pause();
      resolve({ chunks, ended });
    };
    const onData = (chunk: Buffer): void => {
      chunks.push(chunk);
      size += chunk.length;
      if (size >= bytes) finish(false);
    };
    const onEnd = (): void => finish(true);
    const onError = (err: Error): void => {
      stream.off('data', onData);
      stream.off('end', onEnd);
      reject(err);
    };
    stream.on('data', onData);
    stream.once('end', onEnd);
    stream.once('error', onError);
  });
}

/**
 * Passes a byte stream through unchanged and calls `onInvalid` once for each line (numbered from 1) that
 * holds bytes that are not UTF-8: decoding replaces them with U+FFFD, and the row is kept, so the user is
 * told where. Checked a chunk at a time (each cut at a whole character); only a bad chunk is read by line.
 */
export function checkUtf8(source: Readable, onInvalid: (line: number) => void): Readable {
  let line = 1;
  let tail: Buffer = Buffer.alloc(0);
  let reported = 0;
  const report = (n: number): void => {
    if (n === reported) return;
    reported = n;
    onInvalid(n);
  };
  const check = (body: Buffer): void => {
    if (isUtf8(body)) {
      for (let i = body.indexOf(0x0a); i !== -1; i = body.indexOf(0x0a, i + 1)) line++;
      return;
    }
    for (let start = 0; start <= body.length; ) {
      const nl = body.indexOf(0x0a, start);
      const end = nl === -1 ? body.length : nl;
      if (!isUtf8(body.subarray(start, end))) report(line);
      if (nl === -1) break;
      line++;
      start = nl + 1;
    }
  };
  const out = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      const buf = tail.length > 0 ? Buffer.concat([tail, chunk]) : chunk;
      const cut = completeLength(buf);
      tail = Buffer.from(buf.subarray(cut));
      check(buf.subarray(0, cut));
      done(null, chunk);
    },
    flush(done) {
      if (tail.length > 0) report(line);
      done();
    },
  });
  // pipeline, not pipe: an error of the source (a corrupt .gz) reaches the reader.
  pipeline(source, out, () => {});
  return out;
}
