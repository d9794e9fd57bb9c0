/** The contract between source adapters and the ingest pipeline. */
import type { Readable } from 'node:stream';
import type { Context } from '../core/context.js';
import type { BillChange, ParseIssue } from '../core/types.js';
import type { Nanos } from '../lib/money.js';
import type { Db } from '../store/db.js';

/** One normalized usage line: a request, or an aggregate of `requests` requests. */
export interface UsageRecord {
  ts: number;
  /** The source gave a date without a time (daily exports): `ts` is that date's UTC midnight, and the
   * record belongs to that calendar day in every --tz. */
  dayOnly?: boolean | undefined;
  /** The source's own id for the record (request id); without one the content is hashed for dedupe. */
  sourceId?: string | undefined;
  provider?: string | undefined;
  model: string;
  region?: string | undefined;
  user?: string | undefined;
  team?: string | undefined;
  apiKey?: string | undefined;
  endpoint?: string | undefined;
  /** `key:value` (or `key=value`, `tag:key=value`) and plain tags: see src/core/tags.ts. */
  tags?: string[] | undefined;
  /** The end user or customer the caller served (LiteLLM `end_user`); `user` is who owns the key. */
  customer?: string | undefined;
  /** The provider's service tier; flex and priority are priced apart (README "Prices"). */
  serviceTier?: 'standard' | 'batch' | 'flex' | 'priority' | undefined;
  /** Anthropic API `usage.inference_geo` (`us`, `global`): US-only inference costs 1.1×. Stored in `region` when not global. */
  inferenceGeo?: string | undefined;
  /** `cache-hit`: a gateway answered from its own cache, no provider call: computed cost $0, left out of reconcile. */
  status?: string | undefined;
  /** The request failed (LiteLLM status "failure", a Bedrock errorCode); undefined: the source carries no status. */
  failed?: boolean | undefined;
  /** A gateway cache answered (LiteLLM cache_hit); undefined: the source has no gateway cache flag. */
  cacheHit?: boolean | undefined;
  /** Request start to end in whole milliseconds (LiteLLM endTime − startTime, Bedrock Converse metrics.latencyMs). */
  latencyMs?: number | undefined;
  requests: number;
  /** Uncached input tokens (Anthropic/Bedrock convention; adapters subtract cache from totals). */
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  cacheWrite1hTokens: number;
  /**
   * Set when the source's token convention is ambiguous (LiteLLM prompt_tokens with or without cache writes):
   * `inputTokens` is the default reading, named `label`; ingest prices it and each of `others`, keeps the one
   * nearest the reported cost, and marks the computed cost as uncertain in price_ref.
   */
  ambiguousInput?: { reason: string; label: string; others: { label: string; inputTokens: number }[] } | undefined;
  /** Cost as the source reported it; kept, and llmcost's computed cost is stored beside it. */
  reportedCostNanos?: Nanos | undefined;
  /** The reported cost is the cloud bill (Cost Explorer, CUR), not a gateway's estimate. */
  billed?: boolean | undefined;
}

export type { ParseIssue } from '../core/types.js';

export type ParsedItem = { record: UsageRecord; line: number } | { issue: ParseIssue };

/**
 * The file's last line has no newline and does not parse: a file still being written (a live Claude Code
 * session). The rest of the file is stored, and the file is read again by the next ingest.
 */
export type Unfinished = { unfinished: { file: string; line: number } };

export interface InputFile {
  /** Display name ("-" for stdin). */
  name: string;
  /** Opens the (decompressed) byte stream. */
  open(): Readable;
  size?: number;
  mtimeMs?: number;
  /** Found by walking a directory, rather than named on the command line. */
  inDirectory?: boolean;
  /** What the ingest run records as its file when the input is not a file (a database table: host:port/db table). */
  identity?: string;
  /** Bytes read from the file so far (before decompression), for progress. */
  bytesRead?: () => number;
}

/** The first bytes of a file, for the sources' detection probes. */
export interface Probe {
  /** The first bytes (up to 16 KiB), leading white space removed. */
  text: string;
  /** The text starts like JSON (a document or JSON Lines). */
  json: boolean;
  /** Not JSON: the first line, lower-cased, when it has a delimiter (comma, tab, semicolon); otherwise ''. */
  header: string;
}

/** An option of a source's subcommand, as commander declares it. */
export interface SourceOption {
  flags: string;
  description: string;
  default?: string;
  /** The flag may be given more than once; its values are collected in a list. */
  repeatable?: boolean;
}

/** The `llmcost ingest <id>` subcommand of a source: what it offers and how its flags become the adapter's options. */
export interface SourceCommand {
  description: string;
  /** The paths argument; absent for a source read from a remote API (see `run`). */
  argument?: { name: string; description: string };
  options?: readonly SourceOption[];
  /** Shown after the options in `llmcost ingest <id> --help`. */
  help?: string;
  /** Which source runs and with what options, from the subcommand's flags (csv --preset cur runs cur). */
  select?(flags: Record<string, unknown>): { source?: string; options: unknown };
  /** The paths read when none are given (claude-code: its default directories). */
  defaultPaths?(env: { home: string; claudeConfigDir: string | undefined }): string[];
  /**
   * A source read from a remote API rather than files (openai-usage, anthropic-usage): the subcommand takes no
   * paths, only its own `options` plus --format/--json/--db, and its action runs this (which loads what it
   * needs lazily, so `ingest --help` loads none of it) and returns the exit code.
   */
  run?(flags: Record<string, unknown>, ctx: Context): Promise<number>;
}

/**
 * A file source: everything llmcost knows of it lives in its folder (src/ingest/<id>/index.ts) and its entry in
 * SOURCES (src/ingest/index.ts): the reader, the files a directory walk picks up, the detection probe and the
 * `ingest <id>` subcommand.
 */
export interface IngestAdapter<Options = Record<string, unknown>> {
  id: string;
  description: string;
  /** Which files a directory walk picks up for this source. */
  accepts(fileName: string): boolean;
  /** Whether a file's first bytes are this source's (auto-detection); absent: the source must be named. */
  detect?(probe: Probe): boolean;
  /** Its probe matches any file of its kind (a CSV with a model column): tried after every other source. */
  generic?: boolean;
  /** The `llmcost ingest <id>` subcommand; absent for a source reached another way (cur: `ingest csv --preset cur`). */
  command?: SourceCommand;
  /** Yields batches of items (a batch per input chunk): per-item async iteration would cost more than parsing. */
  read(input: InputFile, options: Options): AsyncIterable<(ParsedItem | Unfinished)[]>;
  /**
   * The source writes a request before it is complete (Claude Code's streaming placeholder of output tokens):
   * a record whose id is already stored with fewer output tokens updates that row instead of being a duplicate.
   */
  growingRecords?: boolean;
  /**
   * Runs inside a file's transaction once its rows are stored, given the time span [since, until) of the rows it
   * inserted: removes what those rows supersede in another source (a CUR supersedes Cost Explorer) and says what.
   */
  afterStore?(db: Db, stored: { since: number; until: number }): BillChange;
}
