/**
 * Langfuse (where LiteLLM's callbacks and Langfuse's SDKs send traces): generations read from its public API with
 * LANGFUSE_PUBLIC_KEY / LANGFUSE_SECRET_KEY. Options and help only; the action loads commands/langfuse-run.ts.
 */
import { UserError } from '../../lib/errors.js';
import type { IngestAdapter } from '../types.js';

export const langfuseSource: IngestAdapter = {
  id: 'langfuse',
  description: 'Langfuse generations (public API), with LANGFUSE_PUBLIC_KEY and LANGFUSE_SECRET_KEY',
  accepts: () => false,
  // biome-ignore lint/correctness/useYield: an API source has no file to read; it refuses before reading anything.
  async *read(input) {
    throw new UserError(`${input.name}: langfuse reads the Langfuse public API, not files.`, {
      hint: 'Run: llmcost ingest langfuse (with LANGFUSE_PUBLIC_KEY and LANGFUSE_SECRET_KEY set).',
    });
  },
  command: {
    description: 'Langfuse generations (public API: observations and their traces), with LANGFUSE_PUBLIC_KEY and LANGFUSE_SECRET_KEY',
    options: [
      {
        flags: '--since <time>',
        description: 'first start time to read (date or ISO time; default: the cursor less --overlap, else 30 days ago)',
      },
      { flags: '--until <time>', description: 'read generations that started before this time (default: now)' },
      { flags: '--overlap <span>', description: 're-read this far before the cursor, for generations Langfuse stores late (default 2h)' },
      { flags: '--page-size <items>', description: 'items per request, 1 to 100 (default 100)' },
      {
        flags: '--endpoint-url <url>',
        description: 'the Langfuse host (default: $LLMCOST_LANGFUSE_ENDPOINT_URL, else $LANGFUSE_HOST, else https://cloud.langfuse.com)',
      },
      { flags: '--prices <file>', description: 'user price file: overrides and additions to the catalog (see README "Prices")' },
      { flags: '--dry-run', description: 'print the requests that would be sent (no keys needed), send nothing' },
    ],
    help: `
Needs LANGFUSE_PUBLIC_KEY (pk-lf-…) and LANGFUSE_SECRET_KEY (sk-lf-…), a project's API keys (Project settings →
API keys), sent as HTTP basic auth to LANGFUSE_HOST (default https://cloud.langfuse.com), never printed or stored.
Reads GET /api/public/v2/observations?type=GENERATION page by page (on a server without it, Langfuse v3: the v1
/api/public/observations and the traces they belong to, /api/public/traces): one request line per generation (its id is its identity, so a re-read adds nothing),
with usageDetails (input, output, cache read and write), the trace's userId (user), name (endpoint), tags and
session (tag session:<id>). Langfuse's cost (costDetails.total) is kept as the reported cost; llmcost's computed
cost is stored beside it. Incremental: the next run starts at the newest start time read, less --overlap.
Examples:
  llmcost ingest langfuse
  llmcost ingest langfuse --since 2026-10-01
  llmcost ingest langfuse --since 2026-10-01 --dry-run`,
    run: async (flags, ctx) => {
      const { runLangfuse } = await import('../../commands/langfuse-run.js');
      return runLangfuse(flags, ctx);
    },
  },
};
