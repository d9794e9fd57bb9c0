/**
 * The ingest pipeline every source shares: adapter records → normalized model → price → one
 * transaction per file (a failure leaves the database exactly as it was) → run summary.
 */
import { createHash, hash } from 'node:crypto';
import { resolve } from 'node:path';
import type { BillChange, FileSummary, IngestSummary, ParseIssue, RunCounts } from '../core/types.js';
import { UserError } from '../lib/errors.js';
import { canonicalProvider, type ParsedModel, parseModel } from '../pricing/normalize.js';
import type { Pricer } from '../pricing/pricer.js';
import { geoRegion } from '../pricing/service-tiers.js';
import { type Db, StoreError } from '../store/db.js';
import {
  alreadyIngested,
  deleteStored,
  legacyIdlessRowsPossible,
  type ReplaceScope,
  rebuildRollupRange,
  type UsageRow,
  UsageWriter,
} from '../store/queries/usage.js';
import { withIngestRun } from '../store/transactions.js';
import { checkUtf8, peek } from './input.js';
import { checkComputedCost, checkRecord, type ValueProblem } from './limits.js';
import { filesForWorker, ParallelReader, type WorkerMode } from './parallel-read.js';
import { ProbeCounter } from './probe-counter.js';
import { storedRecord } from './redact.js';
import type { IngestAdapter, InputFile, ParsedItem, Unfinished, UsageRecord } from './types.js';

export interface IngestOptions {
  dryRun?: boolean;
  skipInvalid?: boolean;
  /** Re-read files even when an identical file was already ingested. */
  force?: boolean;
  /**
   * Replace what earlier ingests stored: `file`, the rows earlier runs read from the same path; a range, every
   * row of the source in it (and the file must hold no rows outside it). Each file's replacement is one transaction.
   */
  replace?: 'file' | Extract<ReplaceScope, { since: number }>;
  /** Tag keys to keep (--tags-allow); free-text tags stay only when named whole. Undefined: every tag is kept. */
  tagsAllow?: ReadonlySet<string>;
  /** Called every few thousand records so a command can draw progress; knows nothing of terminals. */
  onProgress?: (p: { file: string; records: number; bytes: number; totalBytes: number | undefined }) => void;
  now: () => number;
  /** Parse on a second thread (LLMCOST_INGEST_WORKER); default `auto`. */
  worker?: WorkerMode;
}

const MAX_ISSUES = 50;

/** A file's summary line before anything is read from it (a skipped or failed file keeps it). */
export function noRows(file: string, source: string): FileSummary {
  return { file, source, read: 0, inserted: 0, duplicate: 0, rejected: 0, unpriced: 0 };
}

export function emptySummary(dryRun: boolean): IngestSummary {
  return {
    files: [],
    totals: { read: 0, inserted: 0, duplicate: 0, rejected: 0, unpriced: 0 },
    unpricedModels: [],
    uncertainCosts: [],
    issues: [],
    warnings: [],
    failures: [],
    redacted: 0,
    dryRun,
  };
}

/**
 * Bytes of SHA-256 kept as a dedupe key. 12 bytes (96 bits): two distinct rows collide with a probability of about
 * n²/2⁹⁷, 6·10⁻¹⁶ for 10M rows and 6·10⁻¹² for a billion, and each byte is stored twice (the row and its unique
 * index). Stores written with 16-byte keys are cut to these 12 bytes by migration 9, so their files still dedupe.
 */
export const KEY_BYTES = 12;

/**
 * Dedupe key: the source's own id when it has one, else the record's content, the identity of the
 * file it came from (see `fileIdentity`; none for records not read from a file) and which occurrence of that
 * content in the file it is.
 */
export function dedupeKey(source: string, r: UsageRecord, occurrence: number, file?: string): Buffer {
  // One-shot `hash` of the same bytes the incremental hash was fed: half the cost per row, the same keys.
  if (r.sourceId !== undefined) return hash('sha256', `${source}\u0000id\u0000${r.sourceId}`, 'buffer').subarray(0, KEY_BYTES);
  // The fields joined by NUL, as the key has always been built (the geo only when present, so records ingested
  // before inference_geo was read keep their keys); a template rather than an array joined: no array per row.
  const geo = r.inferenceGeo !== undefined ? `\u0000geo:${r.inferenceGeo}` : '';
  const tags = r.tags?.join(',') ?? '';
  const content = `${source}\u0000${r.ts}\u0000${r.provider ?? ''}\u0000${r.model}\u0000${r.region ?? ''}\u0000${r.user ?? ''}\u0000${r.team ?? ''}\u0000${r.apiKey ?? ''}\u0000${r.endpoint ?? ''}\u0000${r.serviceTier ?? ''}\u0000${r.requests}\u0000${r.inputTokens}\u0000${r.outputTokens}\u0000${r.cacheReadTokens}\u0000${r.cacheWriteTokens}\u0000${r.cacheWrite1hTokens}\u0000${r.reportedCostNanos ?? ''}\u0000${tags}\u0000${occurrence}${geo}`;
  const text = file === undefined ? content : `file\u0000${file}\u0000${content}`;
  return hash('sha256', text, 'buffer').subarray(0, KEY_BYTES);
}

/** How much of a file's beginning is its identity. */
const IDENTITY_BYTES = 4096;

/**
 * The identity of a file for its rows without an id: a hash of its first 4 KiB (decompressed). Not its path,
 * so the same export ingested again adds nothing after a touch, a rename, a move or a second download; a
 * file that grows by appended lines keeps its identity once it is past 4 KiB. Two files that begin
 * differently (two gateways' exports) are different files, so their identical lines each count. A corrected
 * re-export that begins differently is a new file: `ingest --replace` replaces the rows of the old one.
 */
export async function fileIdentity(input: InputFile): Promise<{ identity: string; input: InputFile }> {
  const { head, input: replay } = await peek(input, IDENTITY_BYTES);
  return { identity: createHash('sha256').update(head).digest('hex').slice(0, 32), input: replay };
}

const INVALID_UTF8 = 'invalid UTF-8: the bytes that are not UTF-8 were read as U+FFFD (�); the row is kept';

/** Hint for a file refused for its bad lines. */
const BAD_LINES_HINT = 'Fix the lines above, or pass --skip-invalid to store the valid lines and list the bad ones.';

/**
 * Ingests `inputs` one file at a time, each in its own transaction: a file with bad lines (without
 * --skip-invalid), or one that cannot be read, is rolled back and listed with its error in the summary,
 * and the files after it are still read. Errors other than UserError are bugs and propagate.
 */
export async function ingest<O>(
  db: Db,
  adapter: IngestAdapter<O>,
  source: string,
  inputs: InputFile[],
  adapterOptions: O,
  pricer: Pricer,
  options: IngestOptions,
): Promise<IngestSummary> {
  const summary = emptySummary(options.dryRun === true);
  const unpriced = new Map<string, UnpricedModel>();
  const uncertain = new Map<string, IngestSummary['uncertainCosts'][number]>();
  const writer = new UsageWriter(db);
  // Rows without an id stored before file identities existed (schema 1) are keyed by content alone: while a
  // store may hold them, a row whose old key is stored is that same row, not new usage.
  writer.checkLegacyKeys = options.replace === undefined && legacyIdlessRowsPossible(db);
  const fileOf = (input: InputFile): string => input.identity ?? (input.name === '-' ? '-' : resolve(input.name));
  const unchanged = (input: InputFile, file: string): boolean =>
    !options.force &&
    options.replace === undefined &&
    !options.dryRun &&
    file !== '-' &&
    input.size !== undefined &&
    input.mtimeMs !== undefined &&
    alreadyIngested(db, source, file, input.size, input.mtimeMs);
  // Files to read are parsed on a second thread when they are large enough (parallel-read.ts); only a source of
  // SOURCES can be started there by its id.
  const toRead = inputs.filter((input) => !unchanged(input, fileOf(input)));
  let threaded = filesForWorker(options.worker ?? 'auto', toRead, adapterOptions);
  if (threaded.length > 0 && (await import('./index.js')).adapterFor(adapter.id) !== adapter) threaded = [];
  const reader = threaded.length > 0 ? await ParallelReader.start(adapter.id, source, threaded, adapterOptions) : undefined;
  try {
    await ingestInputs();
  } finally {
    await reader?.close();
  }
  summary.unpricedModels = [...unpriced.values()].sort((a, b) => b.records - a.records);
  summary.uncertainCosts = [...uncertain.values()].sort((a, b) => b.records - a.records);
  return summary;

  async function ingestInputs(): Promise<void> {
    for (const input of inputs) {
      const file = fileOf(input);
      if (unchanged(input, file)) {
        reader?.skip(input.name);
        summary.files.push({ ...noRows(input.name, source), skipped: 'unchanged' });
        continue;
      }
      const counts: FileCounts = { read: 0, inserted: 0, duplicate: 0, rejected: 0, unpriced: 0, updated: 0 };
      const fileIssues: ParseIssue[] = [];
      const fileUnpriced = new Map<string, UnpricedModel>();
      const fileUncertain = new Map<string, IngestSummary['uncertainCosts'][number]>();
      let failure: UserError | undefined;
      let superseded: BillChange | undefined;
      const found = { unpriced: fileUnpriced, uncertain: fileUncertain, redacted: 0 };
      const warnings = new Map<number, ParseIssue>();
      const checked: InputFile = {
        ...input,
        open: () =>
          checkUtf8(input.open(), (line) => {
            if (!warnings.has(line)) warnings.set(line, { file: input.name, line, message: INVALID_UTF8 });
          }),
      };
      const onInvalid = (line: number): void => {
        if (!warnings.has(line)) warnings.set(line, { file: input.name, line, message: INVALID_UTF8 });
      };
      const threadedRead = reader?.has(input.name)
        ? { read: () => reader.read(input.name, onInvalid), bytes: () => reader.bytesRead(input.name) }
        : undefined;
      try {
        superseded = await ingestFile(
          db,
          writer,
          adapter,
          source,
          file,
          checked,
          adapterOptions,
          pricer,
          options,
          counts,
          fileIssues,
          found,
          threadedRead,
        );
      } catch (err) {
        // A database that cannot be written (locked past LLMCOST_LOCK_TIMEOUT) stops the run, not just this file.
        if (!(err instanceof UserError) || err instanceof StoreError) throw err;
        failure = err;
      }
      summary.issues.push(...fileIssues);
      // A file not stored kept no row: its warnings would only be noise beside its error.
      const warned = failure ? 0 : warnings.size;
      if (warned > 0) summary.warnings.push(...[...warnings.values()].sort((a, b) => a.line - b.line).slice(0, MAX_ISSUES));
      const { updated, replaced, unfinishedLine, ...runCounts } = counts;
      const fs: FileSummary = {
        file: input.name,
        source,
        ...runCounts,
        ...(superseded ? { superseded } : {}),
        ...(updated > 0 && !failure ? { updated } : {}),
        ...(replaced !== undefined && !failure ? { replaced } : {}),
        ...(unfinishedLine !== undefined ? { unfinishedLine } : {}),
        ...(warned > 0 ? { warnings: warned } : {}),
      };
      if (failure) {
        fs.inserted = 0;
        fs.duplicate = 0;
        fs.unpriced = 0;
        fs.error = failure.message;
        summary.failures.push({ file: input.name, message: failure.message, hint: failure.hint });
      } else {
        if (found.redacted > 0) {
          fs.redacted = found.redacted;
          summary.redacted += found.redacted;
        }
        for (const [key, u] of fileUnpriced) {
          const total = unpriced.get(key);
          if (total) {
            total.records += u.records;
            total.withReportedCost += u.withReportedCost;
          } else unpriced.set(key, u);
        }
        for (const [key, u] of fileUncertain) {
          const total = uncertain.get(key);
          if (total) total.records += u.records;
          else uncertain.set(key, u);
        }
      }
      summary.files.push(fs);
      addTotals(summary, fs);
    }
  }
}

type UnpricedModel = IngestSummary['unpricedModels'][number];

/** A file's counts while it is read: the run's, and what the file summary adds. */
interface FileCounts extends RunCounts {
  updated: number;
  replaced?: number;
  unfinishedLine?: number;
}

/** One file in one transaction; throws a UserError (after rolling back) when the file is not to be stored. */
async function ingestFile<O>(
  db: Db,
  writer: UsageWriter,
  adapter: IngestAdapter<O>,
  source: string,
  file: string,
  input: InputFile,
  adapterOptions: O,
  pricer: Pricer,
  options: IngestOptions,
  counts: FileCounts,
  fileIssues: ParseIssue[],
  found: { unpriced: Map<string, UnpricedModel>; uncertain: Map<string, IngestSummary['uncertainCosts'][number]>; redacted: number },
  /** The file's batches as the read worker parsed them (with the file's identity and each record's key), instead of `adapter.read` here. */
  threaded?: { read: () => AsyncIterable<KeyedBatch>; bytes: () => number },
): Promise<BillChange | undefined> {
  const { unpriced, uncertain } = found;
  const now = options.now();
  const reject = (line: number, p: ValueProblem): void => {
    counts.rejected++;
    const i: ParseIssue = { file: input.name, line, field: p.field, fieldKind: 'field', message: p.message };
    if (options.skipInvalid || fileIssues.length < MAX_ISSUES) fileIssues.push(i);
  };
  const occurrences = new ProbeCounter();
  let superseded: BillChange | undefined;
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  // Rows without an id are told apart by the file they come from; peeked before the transaction opens (the read
  // worker peeks its own reading of the file, and gives its identity and each record's key with the batches).
  const identified = threaded ? undefined : await fileIdentity(input);
  const scope: ReplaceScope | undefined =
    options.replace === undefined ? undefined : options.replace === 'file' ? { file } : options.replace;
  // Waits here, as long as it takes, while another process writes: the file stays one transaction.
  const run = { source, file, size: input.size, mtimeMs: input.mtimeMs, now: options.now };
  try {
    return await withIngestRun(db, run, async (runId) => {
      const replaced = scope && deleteStored(db, source, scope);
      if (replaced) counts.replaced = replaced.rows;
      for await (const { items: batch, keys, identity } of threaded
        ? threaded.read()
        : inline(adapter.read(identified?.input ?? input, adapterOptions), identified?.identity ?? '')) {
        for (let j = 0; j < batch.length; j++) {
          const item = batch[j] as (typeof batch)[number];
          if ('unfinished' in item) {
            counts.unfinishedLine = item.unfinished.line;
            continue;
          }
          counts.read++;
          if ('issue' in item) {
            counts.rejected++;
            if (options.skipInvalid || fileIssues.length < MAX_ISSUES) fileIssues.push(item.issue);
            continue;
          }
          const r = item.record;
          // Values beyond the limits (implausible time, cost, tokens, 50 MB names) are bad lines, not stored rows.
          const invalid = checkRecord(r, now);
          if (invalid) {
            reject(item.line, invalid);
            continue;
          }
          if (scope && !('file' in scope) && !inRange(r, scope)) {
            throw new UserError(
              `${input.name}:${item.line}: the record of ${new Date(r.ts).toISOString()} is outside the --since/--until range to replace.`,
              { hint: 'Widen --since/--until to the days the file covers, or drop them to replace by file path.' },
            );
          }
          let key = keys ? keys.subarray(j * KEY_BYTES, (j + 1) * KEY_BYTES) : dedupeKey(source, r, 0, identity);
          if (r.sourceId === undefined) {
            // Identical content lines in one file are distinct usage: number them so each is stored once,
            // and the same file read again maps each to the same key. A 48-bit probe keeps the map small;
            // a probe collision only shifts a line's occurrence number, which stays deterministic.
            const probe = key.readUIntBE(0, 6);
            const occurrence = occurrences.next(probe);
            if (occurrence > 0) key = dedupeKey(source, r, occurrence, identity);
            if (writer.checkLegacyKeys && writer.has(dedupeKey(source, r, occurrence))) {
              counts.duplicate++;
              continue;
            }
          }
          // Secrets hashed and tags filtered after the dedupe key: a row keeps the identity it always had.
          const stored = storedRecord(r, options.tagsAllow);
          const row = toRow(stored.record, source, runId, pricer, key);
          const costly = checkComputedCost(row.computedCostNanos);
          if (costly) {
            reject(item.line, costly);
            continue;
          }
          found.redacted += stored.redacted;
          // Billing rows carry the bill itself: a missing catalog price does not matter for them.
          if (row.computedCostNanos === null && row.costBasis !== 'billed') {
            // No catalog price. Without a reported cost the record is unpriced; with one, the reported cost
            // stands but llmcost cannot check it.
            if (row.costBasis === 'unpriced') counts.unpriced++;
            const reason = row.priceRef ?? 'unknown-model';
            const key = `${row.provider}\u0000${row.modelRaw}`;
            const u = unpriced.get(key) ?? { model: row.modelRaw, provider: row.provider, records: 0, withReportedCost: 0, reason };
            u.records++;
            if (row.costBasis === 'reported') u.withReportedCost++;
            unpriced.set(key, u);
            row.priceRef = storedPriceRef(row);
          }
          // A price_ref may carry several marks (a guessed token split and an unpriced service tier).
          for (const k of (row.priceRef ?? '').split(UNCERTAIN_MARK).slice(1)) {
            const [reason = '', reading = '', settledBy = ''] = k.split(':');
            const u = uncertain.get(k) ?? { reason, reading, settledBy, records: 0 };
            u.records++;
            uncertain.set(k, u);
          }
          if (writer.write(row)) {
            counts.inserted++;
            lo = Math.min(lo, row.ts);
            hi = Math.max(hi, row.ts);
          } else if (adapter.growingRecords && writer.grow(row)) counts.updated++;
          else counts.duplicate++;
        }
        options.onProgress?.({
          file: input.name,
          records: counts.read,
          bytes: threaded ? threaded.bytes() : (input.bytesRead?.() ?? 0),
          totalBytes: input.size,
        });
      }
      if (counts.rejected > 0 && !options.skipInvalid) {
        throw new UserError(`${input.name}: ${counts.rejected} of ${counts.read} lines could not be read.`, { hint: BAD_LINES_HINT });
      }
      writer.flush();
      // The rollup where replaced rows were is recomputed from what is stored now (the new rows included).
      if (replaced && replaced.rows > 0) rebuildRollupRange(db, source, replaced.since, replaced.until);
      if (adapter.afterStore) {
        superseded = counts.inserted > 0 ? adapter.afterStore(db, { since: lo, until: hi + 1 }) : { rows: 0, billedNanos: 0n, days: [] };
      }
      const complete = counts.unfinishedLine === undefined;
      return { value: superseded, counts, dryRun: options.dryRun === true, complete };
    });
  } catch (err) {
    writer.discard();
    throw err;
  }
}

/** A batch of parsed items, the identity of their file, and (from the read worker) each record's dedupe key at occurrence 0, KEY_BYTES each, by position. */
export interface KeyedBatch {
  items: (ParsedItem | Unfinished)[];
  identity: string;
  keys?: Buffer | undefined;
}

/** An adapter's batches as keyed batches without keys: the main thread keys each record. */
async function* inline(batches: AsyncIterable<(ParsedItem | Unfinished)[]>, identity: string): AsyncIterable<KeyedBatch> {
  for await (const items of batches) yield { items, identity };
}

/** Whether a record lies in the range `--replace --since/--until` replaces (day-only rows by their date). */
function inRange(r: UsageRecord, range: Extract<ReplaceScope, { since: number }>): boolean {
  return r.dayOnly ? r.ts >= range.wallSince && r.ts < range.wallUntil : r.ts >= range.since && r.ts < range.until;
}

function addTotals(summary: IngestSummary, fs: FileSummary): void {
  const t = summary.totals;
  t.read += fs.read;
  t.inserted += fs.inserted;
  t.duplicate += fs.duplicate;
  t.rejected += fs.rejected;
  t.unpriced += fs.unpriced;
}

const parsedModels = new Map<string, ParsedModel>();
function parseModelCached(raw: string): ParsedModel {
  let p = parsedModels.get(raw);
  if (!p) {
    p = parseModel(raw);
    if (parsedModels.size > 10_000) parsedModels.clear();
    parsedModels.set(raw, p);
  }
  return p;
}

/** Marks a price_ref whose computed cost rests on a guessed token split: `;uncertain=<reason>:<reading>:<settled by>`. */
const UNCERTAIN_MARK = ';uncertain=';

/** The columns pricing decides for a record; ingest stores them, and `llmcost reprice` recomputes stored rows with them. */
export type PriceColumns = Pick<
  UsageRow,
  'provider' | 'region' | 'costNanos' | 'costBasis' | 'reportedCostNanos' | 'computedCostNanos' | 'priceRef' | 'inputTokens'
>;

export function priceColumns(r: UsageRecord, pricer: Pricer): PriceColumns {
  const parsed = parseModelCached(r.model);
  // The Anthropic API's inference geo is where its request ran: kept in region, which reprice reads back.
  const region = r.region ?? parsed.region ?? geoRegion(r.inferenceGeo);
  const priceWith = (input: number) =>
    pricer.price({
      provider: r.provider,
      model: r.model,
      region,
      ts: r.ts,
      serviceTier: r.serviceTier,
      inferenceGeo: r.inferenceGeo,
      input,
      output: r.outputTokens,
      cacheRead: r.cacheReadTokens,
      cacheWrite: r.cacheWriteTokens,
      cacheWrite1h: r.cacheWrite1hTokens,
      requests: r.requests,
    });
  let inputTokens = r.inputTokens;
  let outcome = priceWith(inputTokens);
  const reported = r.reportedCostNanos ?? null;
  let uncertain: string | undefined;
  if (r.ambiguousInput && outcome.priced) {
    // Each reading priced; the one nearest the source's own cost wins, ties and no cost keep the default.
    const a = r.ambiguousInput;
    let label = a.label;
    let settledBy = 'default';
    if (reported !== null && reported > 0n) {
      settledBy = 'response_cost';
      let best = absDiff(outcome.nanos, reported);
      for (const other of a.others) {
        const o = priceWith(other.inputTokens);
        if (o.priced && absDiff(o.nanos, reported) < best) {
          best = absDiff(o.nanos, reported);
          outcome = o;
          inputTokens = other.inputTokens;
          label = other.label;
        }
      }
    }
    uncertain = `${UNCERTAIN_MARK}${a.reason}:${label}:${settledBy}`;
  }
  // A gateway cache hit made no provider call: priced, at $0, whatever the catalog says of its model.
  const noCall = r.status === 'cache-hit';
  const computed = noCall ? 0n : outcome.priced ? outcome.nanos : null;
  const costBasis = reported !== null ? (r.billed ? 'billed' : 'reported') : computed !== null ? 'computed' : 'unpriced';
  return {
    provider: outcome.priced ? outcome.providerId : (outcome.providerId ?? canonicalProvider(r.provider) ?? ''),
    region: region ?? null,
    // The reading of an ambiguous prompt_tokens that was priced is the one stored.
    inputTokens,
    costNanos: reported ?? computed,
    costBasis,
    reportedCostNanos: reported,
    computedCostNanos: computed,
    priceRef: noCall ? 'cache-hit' : outcome.priced ? `${outcome.ref}${uncertain ?? ''}` : outcome.reason,
  };
}

/**
 * The price_ref a row stores: the catalog entry its computed cost came from; for a billing row without a
 * catalog price, why there is none; else NULL (ingest reports the reason instead of storing it).
 */
export function storedPriceRef(c: PriceColumns): string | null {
  return c.computedCostNanos === null && c.costBasis !== 'billed' ? null : c.priceRef;
}

/** Normalizes and prices one record into a store row. */
export function toRow(r: UsageRecord, source: string, runId: number, pricer: Pricer, key: Buffer): UsageRow {
  const parsed = parseModelCached(r.model);
  const priced = priceColumns(r, pricer);
  return {
    ts: r.ts,
    dayOnly: r.dayOnly ? 1 : 0,
    source,
    dedupeKey: key,
    sourceId: r.sourceId ?? null,
    provider: priced.provider,
    modelRaw: r.model,
    model: parsed.model,
    region: priced.region,
    user: r.user ?? '',
    team: r.team ?? '',
    apiKey: r.apiKey ?? '',
    endpoint: r.endpoint ?? '',
    tags: r.tags && r.tags.length > 0 ? JSON.stringify(r.tags) : null,
    tagList: r.tags ?? [],
    customer: r.customer ?? null,
    serviceTier: r.serviceTier ?? 'standard',
    status: r.status ?? 'ok',
    failed: r.failed === undefined ? null : r.failed ? 1 : 0,
    cacheHit: r.cacheHit === undefined ? null : r.cacheHit ? 1 : 0,
    latencyMs: r.latencyMs ?? null,
    requests: r.requests,
    inputTokens: priced.inputTokens,
    outputTokens: r.outputTokens,
    cacheReadTokens: r.cacheReadTokens,
    cacheWriteTokens: r.cacheWriteTokens,
    cacheWrite1hTokens: r.cacheWrite1hTokens,
    costNanos: priced.costNanos,
    costBasis: priced.costBasis,
    reportedCostNanos: priced.reportedCostNanos,
    computedCostNanos: priced.computedCostNanos,
    priceRef: priced.priceRef,
    runId,
  };
}

const absDiff = (a: bigint, b: bigint): bigint => (a > b ? a - b : b - a);
