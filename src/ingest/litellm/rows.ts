/**
 * Pure: rows read from LiteLLM's PostgreSQL → what the file adapter reads. A `LiteLLM_SpendLogs` row becomes the
 * JSON object a `psql \copy` or `/spend/logs` export holds (so parseLiteLLM maps both the same way), with the
 * key alias, team alias and user email of LiteLLM's own tables filled in where the row lacks them. A daily
 * aggregate row becomes one usage line of `api_requests` requests, on its day.
 */
import { FieldError, isObj, jsonish, type Obj, str, tokens, usd } from '../fields.js';
import type { ParsedItem, UsageRecord } from '../types.js';
import { inputSplit, keyAlias, parseLiteLLM } from './parse.js';

/** Columns the enrichment joins add to a spend-log row (see postgres.ts); never part of the export shape. */
const JOINED = ['_key_alias', '_key_user_id', '_key_team_id', '_team_alias', '_user_email'] as const;

/**
 * The export-shaped object of a spend-log row. Enrichment only fills what the row's metadata lacks, with the
 * metadata keys LiteLLM itself writes (user_api_key_alias, user_api_key_team_alias, user_api_key_team_id, and
 * the key owner's user_api_key_user_email, else user_api_key_user_id), so the mapping stays parseLiteLLM's.
 */
export function spendLogObject(row: Obj): Obj {
  const o: Obj = {};
  for (const [k, v] of Object.entries(row)) if (!(JOINED as readonly string[]).includes(k)) o[k] = v;
  const parsed = jsonish(row.metadata);
  const meta: Obj = isObj(parsed) ? { ...parsed } : {};
  const fill = (key: string, value: unknown): boolean => {
    const v = str(value);
    if (v === undefined || str(meta[key]) !== undefined) return false;
    meta[key] = v;
    return true;
  };
  let filled = fill('user_api_key_alias', row._key_alias);
  filled = fill('user_api_key_team_alias', row._team_alias) || filled;
  if (str(row.team_id) === undefined) filled = fill('user_api_key_team_id', row._key_team_id) || filled;
  // The key's owner names the user when the call named none: by email when LiteLLM_UserTable has it.
  if (str(row.user) === undefined && str(meta.user_api_key_user_id) === undefined && str(meta.user_api_key_user_email) === undefined) {
    filled = fill('user_api_key_user_email', row._user_email) || fill('user_api_key_user_id', row._key_user_id) || filled;
  }
  if (filled) o.metadata = meta;
  return o;
}

/** A spend-log row as the pipeline's item: the record, or the issue naming the row by its request_id. */
export function spendLogItem(row: Obj, label: string, n: number): ParsedItem {
  try {
    return { record: parseLiteLLM(spendLogObject(row)), line: n };
  } catch (err) {
    if (!(err instanceof FieldError)) throw err;
    const id = str(row.request_id) ?? '?';
    return {
      issue: {
        file: `${label}: request_id ${JSON.stringify(id)}`,
        line: n,
        item: n,
        field: err.field,
        fieldKind: 'field',
        message: err.message,
      },
    };
  }
}

/** Which entity a daily table's rows are per, and so which dimension of the usage line it fills. */
export type DailyEntity = 'user_id' | 'team_id' | 'tag';

/**
 * One daily aggregate row (LiteLLM_DailyUserSpend and its team/tag variants): a day-only usage line of
 * `api_requests` requests. prompt_tokens include the cache counts, as in the spend logs they sum, and are split
 * the same way; `spend` is kept as the reported cost. `_key_alias` and `_team_alias` (joined from LiteLLM's key and
 * team tables) name the key and the team when present.
 */
export function dailyRecord(row: Obj, table: string, entity: DailyEntity): UsageRecord {
  const date = str(row.date);
  if (!date || !/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`))) {
    throw new FieldError('date', `expected a date YYYY-MM-DD, got ${JSON.stringify(row.date)}`);
  }
  const id = str(row.id);
  if (!id) throw new FieldError('id', 'the row id is empty');
  const model = str(row.model) ?? str(row.model_group);
  if (!model) throw new FieldError('model', 'the model is empty');
  const read = tokens(row.cache_read_input_tokens, 'cache_read_input_tokens');
  const write = tokens(row.cache_creation_input_tokens, 'cache_creation_input_tokens');
  const who = entity === 'team_id' ? (str(row._team_alias) ?? str(row[entity])) : str(row[entity]);
  const modelGroup = str(row.model_group);
  const tags: string[] = [];
  if (entity === 'tag' && who) tags.push(who);
  if (modelGroup && modelGroup !== model) tags.push(`model_group:${modelGroup}`);
  return {
    ts: Date.parse(`${date}T00:00:00Z`),
    dayOnly: true,
    sourceId: `${table}:${id}`,
    provider: str(row.custom_llm_provider),
    model,
    user: entity === 'user_id' ? who : undefined,
    team: entity === 'team_id' ? who : undefined,
    apiKey: keyAlias(str(row._key_alias), str(row.api_key)),
    endpoint: str(row.endpoint),
    tags: tags.length > 0 ? tags : undefined,
    requests: tokens(row.api_requests, 'api_requests'),
    ...inputSplit(tokens(row.prompt_tokens, 'prompt_tokens'), { read, write }),
    outputTokens: tokens(row.completion_tokens, 'completion_tokens'),
    cacheReadTokens: read,
    cacheWriteTokens: write,
    cacheWrite1hTokens: 0,
    reportedCostNanos: usd(row.spend, 'spend'),
  };
}

/** A daily row as the pipeline's item. */
export function dailyItem(row: Obj, table: string, entity: DailyEntity, label: string, n: number): ParsedItem {
  try {
    return { record: dailyRecord(row, table, entity), line: n };
  } catch (err) {
    if (!(err instanceof FieldError)) throw err;
    const id = str(row.id) ?? '?';
    return {
      issue: {
        file: `${label}: "${table}" id ${JSON.stringify(id)}`,
        line: n,
        item: n,
        field: err.field,
        fieldKind: 'field',
        message: err.message,
      },
    };
  }
}
