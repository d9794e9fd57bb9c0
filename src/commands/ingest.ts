/** `llmcost ingest [source] PATH...`: stream a source into the store, idempotently, one transaction per file. */
import type { Command } from 'commander';
import type { Context } from '../core/context.js';
import { SOURCES } from '../ingest/index.js';
import { UserError } from '../lib/errors.js';
import { addDbOption, addFormatOptions, type CommonFlags, collect } from './options.js';

export interface IngestFlags extends CommonFlags {
  dryRun?: boolean;
  skipInvalid?: boolean;
  force?: boolean;
  replace?: boolean;
  prices?: string;
  tagsAllow?: string[];
}

type Run = (fn: () => Promise<number>) => Promise<void>;

function addIngestOptions(cmd: Command): Command {
  cmd
    .option('--dry-run', 'read, check and price everything, write nothing')
    .option('--skip-invalid', 'store the valid lines and list the bad ones, instead of failing the file')
    .option('--force', 're-read files already ingested unchanged (rows already stored are still not duplicated)')
    .option('--replace', 'replace the rows earlier ingests stored from the same file path (a corrected export), rollup rebuilt')
    .option('--since <date>', 'with --replace: replace the source’s rows from this day (YYYY-MM-DD, in --tz), not by path')
    .option('--until <date>', 'with --replace: … to the end of this day; the file must hold no rows outside the range')
    .option('--tz <zone>', 'with --replace --since/--until: the zone of those days (default: the system zone)')
    .option('--prices <file>', 'user price file: overrides and additions to the catalog (see README "Prices")')
    .option('--tags-allow <keys>', 'store only tags with these keys (comma-separated; free-text tags only when named whole)', collect);
  addFormatOptions(cmd);
  return addDbOption(cmd);
}

/** The sources that have a subcommand of their own. */
const NAMED = SOURCES.flatMap((s) => (s.command ? [s.id] : []));
/** The file sources among them (what a file of unknown source can be named as). */
export const FILE_SOURCES = SOURCES.flatMap((s) => (s.command && !s.command.run ? [s.id] : []));

/** Registers `ingest` and a subcommand per source in SOURCES; returns `ingest` (registry.ts adds `ingest cost-explorer`). */
export function registerIngest(program: Command, ctx: Context, run: Run): Command {
  const ingestCmd = program
    .command('ingest')
    .description('load usage into the database; re-running adds nothing new (source detected from content, or named)')
    .argument('[paths...]', 'files, directories, or - for stdin; each file’s format is detected from its content')
    // The sources repeat ingest's own options: without this, `ingest csv F --json` would give --json to ingest.
    .enablePositionalOptions();
  addIngestOptions(ingestCmd);
  ingestCmd.addHelpText(
    'after',
    `
Sources: ${NAMED.join(', ')} (run "llmcost ingest <source> --help").
Each file is its own transaction: a file that fails (bad lines without --skip-invalid, corrupt, source unknown)
is not stored, the other files are, and the exit code is 2. In a directory, files that are not usage data
(README.md, images, notes) are skipped with a note.
Examples:
  llmcost ingest spend-logs.jsonl.gz                  # detected: litellm
  llmcost ingest litellm /spend/logs-export.json
  llmcost ingest bedrock-log ./AWSLogs/123456789012/BedrockModelInvocationLogs/
  llmcost ingest claude-code                          # ~/.claude/projects by default
  llmcost ingest openai-usage --since 2026-10-01      # OPENAI_ADMIN_KEY: the organization Usage and Costs APIs`,
  );
  ingestCmd.action((paths: string[], flags: IngestFlags) =>
    run(async () => {
      if (paths.length === 0)
        throw new UserError('Give the files or directories to ingest.', {
          hint: 'Example: llmcost ingest usage.csv, or llmcost ingest litellm logs/',
        });
      return (await import('./ingest-run.js')).runIngest(paths, flags, ctx, 'auto', {});
    }),
  );

  for (const source of SOURCES) {
    const c = source.command;
    if (!c) continue;
    const sub = ingestCmd.command(source.id).description(c.description);
    if (c.argument) sub.argument(c.argument.name, c.argument.description);
    for (const o of c.options ?? []) {
      if (o.repeatable) sub.option(o.flags, o.description, collect);
      else if (o.default !== undefined) sub.option(o.flags, o.description, o.default);
      else sub.option(o.flags, o.description);
    }
    const remote = c.run?.bind(c);
    if (remote) {
      // A remote API: no paths, and none of the file options (--replace, --force, …); its own options say the rest.
      addFormatOptions(sub);
      addDbOption(sub);
      if (c.help) sub.addHelpText('after', c.help);
      sub.action((flags: Record<string, unknown>) => run(() => remote(flags, ctx)));
      continue;
    }
    addIngestOptions(sub);
    if (c.help) sub.addHelpText('after', c.help);
    sub.action((paths: string[], flags: IngestFlags & Record<string, unknown>) =>
      run(async () => {
        // LiteLLM's PostgreSQL instead of files: --database-url, or its environment variables when no path is given.
        if (source.id === 'litellm' && (flags.databaseUrl !== undefined || (paths.length === 0 && ctx.env.litellmDatabaseUrl))) {
          return (await import('./litellm-db-run.js')).runLitellmDb(paths, flags, ctx);
        }
        if (paths.length === 0 && !c.defaultPaths) {
          throw new UserError(`Give the files or directories to ingest.`, {
            hint:
              source.id === 'litellm'
                ? 'Example: llmcost ingest litellm logs/, or read the proxy’s database: llmcost ingest litellm --database-url postgres://…'
                : `Example: llmcost ingest ${source.id} PATH`,
          });
        }
        const { source: id = source.id, options } = c.select?.(flags) ?? { options: {} };
        const given = paths.length === 0 && c.defaultPaths ? c.defaultPaths(ctx.env) : paths;
        return (await import('./ingest-run.js')).runIngest(given, flags, ctx, id, options);
      }),
    );
  }
  return ingestCmd;
}
