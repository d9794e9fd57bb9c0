/**
 * The worker thread of `parallelReader` (parallel-read.ts): reads files with a source's own adapter (read, UTF-8
 * check, line split, JSON.parse or csv-parse, normalization) and posts each batch of parsed items to the main
 * thread, which prices and stores them. It reads ahead only while it holds credits, which the main thread returns
 * as it takes batches, so the batches in flight stay bounded whatever the file size.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { UserError } from '../lib/errors.js';
import { adapterFor } from './index.js';
import { checkUtf8, fileInput } from './input.js';
import type { ReadRequest, WorkerMessage } from './parallel-read.js';
import { dedupeKey, fileIdentity, KEY_BYTES } from './pipeline.js';

const port = parentPort;
if (!port) throw new Error('read-worker.ts runs as a worker thread');
const request = workerData as ReadRequest;

let credits = request.credits;
let wake: (() => void) | undefined;
port.on('message', (m: 'credit') => {
  if (m !== 'credit') return;
  credits++;
  const w = wake;
  wake = undefined;
  w?.();
});

const post = (m: WorkerMessage): void => port.postMessage(m);

async function run(): Promise<void> {
  const adapter = adapterFor(request.adapter);
  if (!adapter) throw new Error(`read-worker: unknown source ${request.adapter}`);
  for (const [index, name] of request.files.entries()) {
    const input = fileInput(name);
    const invalidUtf8: number[] = [];
    const checked = { ...input, open: () => checkUtf8(input.open(), (line) => invalidUtf8.push(line)) };
    try {
      // The identity of this reading of the file (its first 4 KiB), as the pipeline would peek it.
      const { identity } = await fileIdentity(checked);
      for await (const batch of adapter.read(checked, request.options as never)) {
        // Each record's dedupe key at occurrence 0 (SHA-256: a tenth of the main thread's work), by position.
        const keys = new Uint8Array(batch.length * KEY_BYTES);
        for (const [j, item] of batch.entries()) {
          if ('record' in item) keys.set(dedupeKey(request.source, item.record, 0, identity), j * KEY_BYTES);
        }
        while (credits === 0)
          await new Promise<void>((r) => {
            wake = r;
          });
        credits--;
        post({ index, batch, bytes: input.bytesRead?.() ?? 0, identity, keys });
      }
      post({ index, done: true, invalidUtf8 });
    } catch (err) {
      // A UserError keeps its class, exit code and hint; anything else is a bug and keeps its stack.
      post({
        index,
        error:
          err instanceof UserError
            ? { user: true, name: err.name, message: err.message, hint: err.hint, exitCode: err.exitCode }
            : { user: false, message: err instanceof Error ? (err.stack ?? err.message) : String(err) },
      });
    }
  }
}

// The main thread ends the worker once it has taken what it needs.
await run();
