/** Entry point: builds the commander program, registers commands, and owns the ONE catch → exit code. */
import { readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { registerCommands } from './commands/registry.js';
import type { Context } from './core/context.js';
import { checkTz, type Env, quietAwsSdkNodeNotice, readEnv } from './lib/env.js';
import { ExitCode, UserError } from './lib/errors.js';

export const EXIT_CODES_HELP = `
Exit codes:
  0   ok
  1   a gate tripped: budget exceeded or forecast to exceed (--fail-on), anomaly at or above --fail-on,
      reconcile gap over --threshold. A finding, not a failure; the JSON verdict says which.
  2   usage or bad input: flags, files, config, unreadable lines, environment variables; a database that
      cannot be used (read-only, disk full, locked past LLMCOST_LOCK_TIMEOUT)
  3   data problem: no data in the period, data older than --max-age, unpriced usage over the limit
  4   a remote service failed: AWS credentials, an API key refused, access denied, network
  70  internal error (a bug: please report it with the output of --debug)

Environment:
  LLMCOST_DB      database path (else the config's "db", else $XDG_DATA_HOME/llmcost/llmcost.db,
                  default ~/.local/share/llmcost/llmcost.db)
  llmcost.config.json in the working directory: db, timezone, prices, inferenceProfiles, budgets (see README)
  NO_COLOR        disable colors; FORCE_COLOR forces them
  LLMCOST_COLUMNS lay tables and charts out for a terminal this wide, even when piped (tests, pagers)
  XDG_CACHE_HOME  where \`llmcost demo\` keeps its database (default ~/.cache/llmcost/demo.db)
  LLMCOST_NOW     the current time (ISO 8601), for reproducible reports
  LLMCOST_LOCK_TIMEOUT  seconds a write waits for another process writing to the database (default: as long
                  as it takes)
  TZ              default time zone for --tz (an IANA name)`;

// `llmcost report | head` closes the pipe early: that is the reader's choice, not an error. The rest of the
// output is dropped and the command still decides the exit code: exiting here would turn a tripped gate (1)
// or a data problem (3) into 0.
let stdoutClosed = false;
const writeStdout = (text: string): void => {
  if (!stdoutClosed) process.stdout.write(text);
};
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED') {
    stdoutClosed = true;
    return;
  }
  throw err;
});

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

export async function main(argv: string[]): Promise<number> {
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
    writeStdout(`${version()}\n`);
    return ExitCode.Ok;
  }
  const debug = argv.includes('--debug');
  let env: Env;
  try {
    env = readEnv();
    quietAwsSdkNodeNotice();
  } catch (err) {
    return await fail(err, debug);
  }
  const noColorFlag = argv.includes('--no-color');
  const color = !noColorFlag && !env.noColor && (env.forceColor || process.stdout.isTTY === true);
  let exitCode: number = ExitCode.Ok;
  const ctx: Context = {
    out: (text) => {
      writeStdout(text.endsWith('\n') ? text : `${text}\n`);
    },
    err: (text) => {
      process.stderr.write(text);
    },
    env,
    color,
    stdoutTTY: process.stdout.isTTY === true,
    stderrTTY: process.stderr.isTTY === true && !env.ci,
    now: () => env.now ?? Date.now(),
    view: { color, columns: env.columns ?? (process.stdout.isTTY === true ? process.stdout.columns || 80 : undefined) },
  };
  const run = async (fn: () => Promise<number>): Promise<void> => {
    checkTz();
    exitCode = await fn();
  };

  const program = new Command('llmcost')
    .description('Cost analysis and budgeting for LLM APIs: ingest usage, price it exactly, report, gate budgets in CI.')
    .version(version(), '-V, --version')
    .option('--debug', 'show stack traces for errors')
    .option('--no-color', 'disable colors')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => writeStdout(s),
      writeErr: (s) => process.stderr.write(s),
    })
    .addHelpText('after', EXIT_CODES_HELP);

  // --wide (on every command with --format) prints tables in full on a terminal too.
  program.hook('preAction', (_program, action) => {
    if (action.opts().wide === true) ctx.view.wide = true;
  });
  // Only the module of the command that runs is loaded: `llmcost --help` and `--version` stay cheap.
  await registerCommands(program, ctx, run, argv);
  // Positional options let `ingest csv F --json` give --json to csv rather than to ingest; the global flags
  // are then repeated (hidden) on every command so `llmcost report --debug` still works.
  program.enablePositionalOptions();
  const everyCommand = (c: Command): Command[] => [c, ...c.commands.flatMap(everyCommand)];
  for (const c of everyCommand(program).slice(1)) {
    c.exitOverride();
    c.addOption(new Option('--debug').hideHelp());
    c.addOption(new Option('--no-color').hideHelp());
  }

  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version come through here with exitCode 0 and must stay 0.
      return err.exitCode === 0 ? ExitCode.Ok : ExitCode.Usage;
    }
    return await fail(err, debug);
  }
}

/** The one mapping of errors to messages and exit codes: 70 is left for bugs only. */
async function fail(thrown: unknown, debug: boolean): Promise<number> {
  // The environment (a read-only or full disk, a lock held by another process) is not a bug. The store module
  // loads only here, on the error path: a SQLite error means it was loaded already.
  const { storeError } = await import('./store/db.js');
  const err = storeError(thrown) ?? thrown;
  if (err instanceof UserError) {
    process.stderr.write(`llmcost: ${err.message}\n`);
    if (err.hint) process.stderr.write(`  ${err.hint}\n`);
    if (debug && err.stack) process.stderr.write(`${err.stack}\n`);
    return err.exitCode;
  }
  const e = err as Error;
  process.stderr.write(`llmcost: internal error: ${e?.message ?? String(err)}\n`);
  process.stderr.write(debug && e?.stack ? `${e.stack}\n` : '  This is a bug. Run again with --debug and report the output.\n');
  return ExitCode.Internal;
}

const code = await main(process.argv.slice(2));
process.exitCode = code;
