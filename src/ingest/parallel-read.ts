/**
 * Parsing on a second core. Ingest's main thread prices, keys and stores rows in one SQLite transaction per file;
 * reading and parsing (UTF-8 check, line split, JSON.parse or csv-parse, the adapter's normalization) can run
 * beside it, and on large inputs that is about half the work. A worker thread (read-worker.ts) runs the source's
 * own adapter over the files in order and posts batches of parsed items; the pipeline takes them in the same order
 * and does exactly what it does with the batches of an inline read, so the stored rows are the same either way
 * (test/e2e/parallel-read.test.ts compares the stores). The worker reads ahead by at most CREDITS batches.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Worker } from 'node:worker_threads';
import { DataError, type ExitCode, UserError } from '../lib/errors.js';
import type { KeyedBatch } from './pipeline.js';
import type { InputFile, ParsedItem, Unfinished } from './types.js';

/** LLMCOST_INGEST_WORKER: `auto` (a second thread for inputs of 8 MiB and more, on a machine with two cores or more), `always`, `never`. */
export type WorkerMode = 'auto' | 'always' | 'never';

export interface ReadRequest {
  /** The adapter's id (its entry in SOURCES). */
  adapter: string;
  /** The source the rows are stored under: part of each dedupe key. */
  source: string;
  /** The files' names as the pipeline knows them (their paths), in the order it takes them. */
  files: string[];
  options: unknown;
  credits: number;
}

type Batch = (ParsedItem | Unfinished)[];

export type WorkerMessage =
  | { index: number; batch: Batch; bytes: number; identity: string; keys: Uint8Array }
  | { index: number; done: true; invalidUtf8: number[] }
  | {
      index: number;
      error: { user: true; name: string; message: string; hint: string | undefined; exitCode: ExitCode } | { user: false; message: string };
    };

/** Below this many bytes in all, starting a thread (about 40 ms to load the adapters) costs more than it saves. */
const AUTO_MIN_BYTES = 8 << 20;
/** Batches the worker may have read ahead of the main thread: bounds memory whatever the file size. */
const CREDITS = 4;
const WORKER_URL = new URL('./read-worker.js', import.meta.url);

/** A file the worker can open by itself: a regular file read by path (not stdin, not a database page). */
const readable = (f: InputFile): boolean => f.name !== '-' && f.identity === undefined && f.size !== undefined && f.mtimeMs !== undefined;

/** The files a worker should read, or none: inline reading when the mode, the size or the options say so. */
export function filesForWorker(mode: WorkerMode, files: InputFile[], options: unknown): InputFile[] {
  if (mode === 'never') return [];
  const eligible = files.filter(readable);
  if (eligible.length === 0) return [];
  // Run from the TypeScript sources (vitest) there is no compiled worker to start: read inline.
  if (!existsSync(fileURLToPath(WORKER_URL))) return [];
  try {
    structuredClone(options);
  } catch {
    return [];
  }
  if (mode === 'always') return eligible;
  const bytes = eligible.reduce((s, f) => s + (f.size ?? 0), 0);
  return availableParallelism() > 1 && bytes >= AUTO_MIN_BYTES ? eligible : [];
}

export class ParallelReader {
  private readonly queues = new Map<number, WorkerMessage[]>();
  private readonly abandoned = new Set<number>();
  private readonly bytes = new Map<number, number>();
  private waiting: (() => void) | undefined;
  private failure: Error | undefined;
  private closing = false;

  private constructor(
    private readonly worker: Worker,
    private readonly index: Map<string, number>,
  ) {
    worker.on('message', (m: WorkerMessage) => {
      if (this.abandoned.has(m.index)) {
        if ('batch' in m) worker.postMessage('credit');
        return;
      }
      const q = this.queues.get(m.index);
      if (q) q.push(m);
      else this.queues.set(m.index, [m]);
      this.wake();
    });
    worker.on('error', (err) => {
      this.failure = err;
      this.wake();
    });
    worker.on('exit', (code) => {
      if (!this.closing) this.failure ??= new Error(`the ingest read worker stopped (exit code ${code})`);
      this.wake();
    });
  }

  static async start(adapter: string, source: string, files: InputFile[], options: unknown): Promise<ParallelReader> {
    const { Worker } = await import('node:worker_threads');
    const names = files.map((f) => f.name);
    const request: ReadRequest = { adapter, source, files: names, options, credits: CREDITS };
    const worker = new Worker(WORKER_URL, { workerData: request });
    return new ParallelReader(worker, new Map(names.map((n, i) => [n, i])));
  }

  has(name: string): boolean {
    return this.index.has(name);
  }

  /** Bytes of the file read so far (before decompression), for progress. */
  bytesRead(name: string): number {
    return this.bytes.get(this.index.get(name) ?? -1) ?? 0;
  }

  /**
   * The file's batches, as `adapter.read` would yield them, with the file's identity and each record's dedupe key
   * (occurrence 0); the lines the worker found not to be UTF-8 are given to `invalidUtf8` at the end. A UserError
   * in the worker is thrown here with its class, hint and exit code.
   */
  async *read(name: string, invalidUtf8: (line: number) => void): AsyncIterable<KeyedBatch> {
    const index = this.index.get(name);
    if (index === undefined) throw new Error(`ParallelReader: ${name} was not given to the worker`);
    let finished = false;
    try {
      for (;;) {
        const m = await this.next(index);
        if ('batch' in m) {
          this.worker.postMessage('credit');
          this.bytes.set(index, m.bytes);
          yield { items: m.batch, identity: m.identity, keys: Buffer.from(m.keys.buffer, m.keys.byteOffset, m.keys.byteLength) };
        } else if ('done' in m) {
          finished = true;
          for (const line of m.invalidUtf8) invalidUtf8(line);
          return;
        } else {
          finished = true;
          const e = m.error;
          if (!e.user) throw new Error(`in the ingest read worker: ${e.message}`);
          if (e.name === 'DataError') throw new DataError(e.message, e.hint);
          throw new UserError(e.message, e.hint === undefined ? { exitCode: e.exitCode } : { exitCode: e.exitCode, hint: e.hint });
        }
      }
    } finally {
      // The pipeline stopped taking this file (it failed, or was skipped): its batches give their credits back.
      if (!finished) this.skip(name);
    }
  }

  /** The pipeline will not read this file: drop what the worker reads of it. */
  skip(name: string): void {
    const index = this.index.get(name);
    if (index === undefined || this.abandoned.has(index)) return;
    this.abandoned.add(index);
    for (const m of this.queues.get(index) ?? []) if ('batch' in m) this.worker.postMessage('credit');
    this.queues.delete(index);
  }

  async close(): Promise<void> {
    this.closing = true;
    await this.worker.terminate();
  }

  private wake(): void {
    const w = this.waiting;
    this.waiting = undefined;
    w?.();
  }

  private async next(index: number): Promise<WorkerMessage> {
    for (;;) {
      const m = this.queues.get(index)?.shift();
      if (m) return m;
      if (this.failure) throw this.failure;
      await new Promise<void>((resolve) => {
        this.waiting = resolve;
      });
    }
  }
}
