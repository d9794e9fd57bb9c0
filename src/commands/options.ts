/** Shared flags (--db, --format/--json, --since/--until/--tz) as one object, their parsers, and the range they give. */
import { type Command, InvalidArgumentError, Option } from 'commander';
import { DIMENSION_LIST } from '../core/types.js';
import { UserError } from '../lib/errors.js';
import { DAY_MS, parseBoundary } from '../lib/time.js';
import { FORMATS, type Format } from '../render/types.js';

export interface CommonFlags {
  db?: string;
  format?: string;
  json?: boolean;
  since?: string;
  until?: string;
  tz?: string;
}

export function addDbOption(cmd: Command): Command {
  return cmd.option('--db <path>', 'database file (default: $LLMCOST_DB, else $XDG_DATA_HOME/llmcost/llmcost.db)');
}

export function addFormatOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--format <format>', 'output format (default: table)').choices(FORMATS as string[]))
    .option('--json', 'same as --format json')
    .option('--wide', 'table format on a terminal: every column, names in full (default: fit the terminal)');
}

export function addRangeOptions(cmd: Command): Command {
  return cmd
    .option(
      '--since <date>',
      'start: YYYY-MM-DD, YYYY-MM, ISO date-time (in --tz; with Z/UTC/+05:30 the instant it names), today, 30d (today and the 29 days before; 0d and 1d = today), 4w, 24h',
    )
    .option('--until <date>', 'end, same forms; a day is included whole (YYYY-MM-DD, today, 0d: to the end of that day)')
    .option('--tz <zone>', 'IANA time zone for days, weeks and months (default: the system zone)');
}

export function resolveFormat(flags: CommonFlags): Format {
  if (flags.json && flags.format !== undefined && flags.format !== 'json')
    throw new UserError(`--json and --format ${flags.format} disagree.`, { hint: 'Give one of them.' });
  if (flags.json) return 'json';
  return (flags.format ?? 'table') as Format;
}

// Commander argParsers: a bad value is a usage error (exit 2) that names the flag and what it accepts, e.g.
// "option '--top <n>' argument 'abc' is invalid. Expected a whole number from 1 to 10000."
const rangeText = (min: number, max: number): string => (max === Number.POSITIVE_INFINITY ? `of at least ${min}` : `from ${min} to ${max}`);

function toNumber(value: string): number {
  const t = value.trim();
  return t === '' ? Number.NaN : Number(t);
}

/** A number from `min` to `max`. */
export function numberOption(min: number, max = Number.POSITIVE_INFINITY): (value: string) => number {
  return (value) => {
    const n = toNumber(value);
    if (!Number.isFinite(n) || n < min || n > max) throw new InvalidArgumentError(`Expected a number ${rangeText(min, max)}.`);
    return n;
  };
}

/** A whole number from `min` to `max`. */
export function intOption(min: number, max = Number.POSITIVE_INFINITY): (value: string) => number {
  return (value) => {
    const n = toNumber(value);
    if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`Expected a whole number ${rangeText(min, max)}.`);
    return n;
  };
}

/** A share as a fraction or a percentage (0.05 or 5%), from `min` to `max` as fractions. */
export function shareOption(min = 0, max = 1): (value: string) => number {
  return (value) => {
    const t = value.trim();
    const n = t.endsWith('%') ? toNumber(t.slice(0, -1)) / 100 : toNumber(t);
    if (!Number.isFinite(n) || n < min || n > max) {
      const upper = max === Number.POSITIVE_INFINITY ? 'or more' : `to ${max} (${shareText(max)})`;
      throw new InvalidArgumentError(`Expected a share from ${min} (${shareText(min)}) ${upper}, e.g. 0.05 or 5%.`);
    }
    return n;
  };
}

/** A span of hours or days (12h, 2d), in milliseconds. */
export function spanOption(value: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([hd])$/.exec(value.trim());
  if (!m) throw new InvalidArgumentError('Expected a span such as 12h or 2d.');
  return Number(m[1]) * (m[2] === 'h' ? 3_600_000 : DAY_MS);
}

/** The --by dimensions (tag:KEY beside them), and the spelling they are matched in (API_KEY and api_key are api-key). */
export const DIMENSION_NAMES: readonly string[] = [...DIMENSION_LIST, 'tag:KEY'];
/** `tag:Project` keeps its key as written (tag keys are matched exactly); other names are lower-cased. */
export const dimensionName = (value: string): string => {
  const tag = /^tag:(.+)$/i.exec(value.trim());
  if (tag) return `tag:${tag[1]}`;
  return value.toLowerCase().replace('_', '-');
};

/** `--by` of a command that ranks or scores one dimension: a column dimension or `tag:KEY`. */
export function byOption(description: string): Option {
  const option = new Option('--by <dimension>', description).choices(DIMENSION_NAMES);
  return option.argParser((value: string) => {
    const v = dimensionName(value);
    if (v.startsWith('tag:') || DIMENSION_NAMES.includes(v)) return v;
    throw new InvalidArgumentError(`Allowed choices are ${DIMENSION_NAMES.join(', ')}.`);
  });
}

/** The scope filters of the commands that read usage (report, health): each repeatable. */
export interface ScopeFlags {
  user?: string[];
  team?: string[];
  model?: string[];
  endpoint?: string[];
  provider?: string[];
  source?: string[];
  customer?: string[];
  tag?: string[];
}

/** --user, --team, --model, --endpoint, --provider, --source, --customer and --tag. */
export function addScopeOptions(cmd: Command, userHelp = 'only this user (repeatable)'): Command {
  cmd
    .option('--user <name>', userHelp, collect)
    .option('--team <name>', 'only this team (repeatable)', collect)
    .option('--model <model>', 'only this model, normalized or as logged (repeatable)', collect)
    .option('--endpoint <name>', 'only this endpoint / feature (repeatable)', collect)
    .option('--provider <name>', 'only this provider (repeatable)', collect)
    .option('--source <source>', 'only records from this source: csv, litellm, bedrock-log, … (repeatable)', collect)
    .option('--customer <name>', 'only requests made for this end user or customer (LiteLLM end_user; repeatable)', collect);
  return addTagOption(cmd);
}

/** `--tag` filters: repeatable, on every command that reads usage by scope. */
export function addTagOption(cmd: Command): Command {
  return cmd.option(
    '--tag <tag>',
    'only requests with this tag: KEY=VALUE, or VALUE for a plain tag (repeatable: one key any of its values, different keys all)',
    collect,
  );
}

/** A --max-age span as given back in messages: 2d, 12h. */
export const spanText = (ms: number): string => (ms % DAY_MS === 0 ? `${ms / DAY_MS}d` : `${ms / 3_600_000}h`);

/** A share as a percentage in messages: 0.05 → 5%. */
export const shareText = (share: number): string => `${Math.round(share * 10000) / 100}%`;

/**
 * An option with a fixed set of values (listed in --help); `normalize` maps accepted spellings
 * (DAILY for daily, api_key for api-key) onto them before the check.
 */
export function choiceOption(flags: string, description: string, values: readonly string[], normalize?: (v: string) => string): Option {
  const option = new Option(flags, description).choices(values);
  if (!normalize) return option;
  return option.argParser((value: string) => {
    const v = normalize(value);
    if (!values.includes(v)) throw new InvalidArgumentError(`Allowed choices are ${values.join(', ')}.`);
    return v;
  });
}

/** Where reports over "recent" usage start without --since: today and the 29 days before. */
export const DEFAULT_SINCE = '30d';

/** --since/--until as instants; without --since the range starts at `defaultSince` (when given). */
export function resolveRange(flags: CommonFlags, tz: string, now: number, defaultSince?: string): { since?: number; until?: number } {
  const out: { since?: number; until?: number } = {};
  const since = flags.since ?? defaultSince;
  if (since) out.since = parseBoundary(since, tz, now, false, '--since');
  if (flags.until) out.until = parseBoundary(flags.until, tz, now, true, '--until');
  if (out.since !== undefined && out.until !== undefined && out.until <= out.since) {
    throw new UserError(`--until (${flags.until}) is not after --since (${since}).`, { hint: 'Swap them, or widen the range.' });
  }
  return out;
}

/** Splits repeatable, comma-separated filter values: --user a,b --user c → [a, b, c]. */
export function listValues(values: string[] | undefined): string[] | undefined {
  if (!values || values.length === 0) return undefined;
  return values
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

export const collect = (value: string, previous: string[] = []): string[] => [...previous, value];
