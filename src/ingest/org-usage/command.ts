/**
 * The `ingest openai-usage` / `ingest anthropic-usage` subcommand: options and help only; the action loads the
 * run (commands/org-usage-run.ts) and the API's description when it runs, so `ingest --help` loads neither.
 */
import { UserError } from '../../lib/errors.js';
import type { IngestAdapter, SourceCommand } from '../types.js';

interface Spec {
  id: 'openai-usage' | 'anthropic-usage';
  description: string;
  keyEnv: string;
  endpointEnv: string;
  defaultEndpoint: string;
  help: string;
}

function command(s: Spec): SourceCommand {
  return {
    description: s.description,
    options: [
      { flags: '--since <date>', description: 'first UTC day, YYYY-MM-DD (default: the last day an earlier run stored, else 30 days ago)' },
      { flags: '--until <date>', description: 'last UTC day, inclusive (default: yesterday; today only with --include-today)' },
      {
        flags: '--org <label>',
        description: 'a label for the organization of the key, when one database holds several: runs replace only their own lines',
      },
      { flags: '--include-today', description: "also read today's bucket, still growing: the next run replaces its lines" },
      { flags: '--endpoint-url <url>', description: `the API's base URL (default: $${s.endpointEnv}, else ${s.defaultEndpoint})` },
      { flags: '--prices <file>', description: 'user price file: overrides and additions to the catalog (see README "Prices")' },
      { flags: '--dry-run', description: 'print the requests that would be sent (no key needed), send nothing' },
    ],
    help: s.help,
    run: async (flags, ctx) => {
      const [{ runOrgUsage }, api] = await Promise.all([
        import('../../commands/org-usage-run.js'),
        s.id === 'openai-usage'
          ? import('../openai-usage/api.js').then((m) => m.openaiApi)
          : import('../anthropic-usage/api.js').then((m) => m.anthropicApi),
      ]);
      return runOrgUsage(api, flags, ctx);
    },
  };
}

/** An API source in SOURCES: it reads no files, so it never detects or accepts one. */
export function orgUsageSource(s: Spec): IngestAdapter {
  return {
    id: s.id,
    description: s.description,
    accepts: () => false,
    // biome-ignore lint/correctness/useYield: an API source has no file to read; it refuses before reading anything.
    async *read(input) {
      throw new UserError(`${input.name}: ${s.id} reads the organization usage API, not files.`, {
        hint: `Run: llmcost ingest ${s.id} --since YYYY-MM-DD (with ${s.keyEnv} set).`,
      });
    },
    command: command(s),
  };
}
