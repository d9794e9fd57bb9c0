import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Obj } from '../fields.js';
import { parseLiteLLM } from './parse.js';
import { dailyItem, dailyRecord, spendLogItem, spendLogObject } from './rows.js';

const FIXTURES = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'litellm');
const lines = (f: string): Obj[] =>
  readFileSync(join(FIXTURES, f), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Obj);
const fileRows: Obj[] = [
  ...lines('spend-logs.jsonl'),
  ...lines('prompt-split.jsonl'),
  ...(JSON.parse(readFileSync(join(FIXTURES, 'cache-hit', 'spend-logs.json'), 'utf8')) as Obj[]),
];

/** A file record as pg returns its row: TIMESTAMP(3) as text (UTC, no zone), JSONB parsed, unknown keys absent. */
function asDbRow(o: Obj): Obj {
  const pgTime = (v: unknown) =>
    new Date(Date.parse(/[zZ]|[+-]\d\d:\d\d$/.test(String(v)) ? String(v) : `${String(v)}Z`))
      .toISOString()
      .replace('T', ' ')
      .replace('Z', '');
  return { ...o, startTime: pgTime(o.startTime), endTime: pgTime(o.endTime) };
}

describe('spend-log rows from PostgreSQL', () => {
  it.each(fileRows.map((o) => [String(o.request_id), o]))('%s maps as the file adapter maps its export', (_id, o) => {
    expect(parseLiteLLM(spendLogObject(asDbRow(o)))).toEqual(parseLiteLLM(o));
  });

  const bare: Obj = {
    request_id: 'r1',
    startTime: '2026-10-10 08:00:00',
    spend: 0.00036,
    model: 'gpt-4o-mini',
    custom_llm_provider: 'openai',
    prompt_tokens: 2000,
    completion_tokens: 100,
    api_key: '5d41402abc4b2a76b9719d911017c592e3b0c44298fc1c149afbf4c8996fb924',
    user: '',
    team_id: null,
    metadata: {},
  };
  const joined = {
    _key_alias: 'ops-cron',
    _key_user_id: 'u-31c9',
    _key_team_id: 'team-ops',
    _team_alias: 'ops',
    _user_email: 'dana@example.com',
  };

  it('fills key alias, team alias and the key owner (by email, else id) where the row lacks them', () => {
    const o = spendLogObject({ ...bare, ...joined });
    expect(Object.keys(o).filter((k) => k.startsWith('_'))).toEqual([]);
    expect(o.metadata).toEqual({
      user_api_key_alias: 'ops-cron',
      user_api_key_team_alias: 'ops',
      user_api_key_team_id: 'team-ops',
      user_api_key_user_email: 'dana@example.com',
    });
    const r = parseLiteLLM(o);
    expect([r.user, r.team, r.apiKey]).toEqual(['dana@example.com', 'ops', 'ops-cron']);
    expect(parseLiteLLM(spendLogObject({ ...bare, ...joined, _user_email: null })).user).toBe('u-31c9');
  });

  it('keeps what the row has: its user, team, key alias and the metadata user id', () => {
    const row = {
      ...bare,
      ...joined,
      user: 'alice',
      team_id: 'team-search',
      metadata: { user_api_key_alias: 'mine', user_api_key_team_alias: 'search', user_api_key_user_id: 'u-1' },
    };
    const o = spendLogObject(row);
    expect(o.metadata).toEqual(row.metadata);
    const r = parseLiteLLM(o);
    expect([r.user, r.team, r.apiKey]).toEqual(['alice', 'search', 'mine']);
    // Nothing joined (a key LiteLLM no longer has): the row as it is, the hashed token as the key.
    const alone = parseLiteLLM(spendLogObject({ ...bare, metadata: null, _key_alias: null }));
    expect([alone.user, alone.team, alone.apiKey]).toEqual([undefined, undefined, bare.api_key]);
  });

  it('names a bad row by its request_id and its place in the run', () => {
    expect(spendLogItem({ ...bare, prompt_tokens: -5 }, 'postgres://u@h:5432/litellm', 7)).toEqual({
      issue: {
        file: 'postgres://u@h:5432/litellm: request_id "r1"',
        line: 7,
        item: 7,
        field: 'prompt_tokens',
        fieldKind: 'field',
        message: 'expected a non-negative whole number of tokens, got -5',
      },
    });
  });
});

describe('daily aggregate rows', () => {
  const row: Obj = {
    id: 'd-1',
    date: '2026-10-05',
    api_key: 'sk-live-should-never-be-stored',
    model: 'gpt-4o',
    model_group: 'gpt-4o-prod',
    custom_llm_provider: 'openai',
    endpoint: '/chat/completions',
    prompt_tokens: '100000',
    completion_tokens: '20000',
    cache_read_input_tokens: '40000',
    cache_creation_input_tokens: '0',
    spend: 0.4,
    api_requests: '100',
    user_id: 'alice',
    team_id: 'team-search',
    tag: 'feature:answer',
  };

  it.each([
    ['user_id', { user: 'alice', team: undefined, tags: ['model_group:gpt-4o-prod'] }],
    ['team_id', { user: undefined, team: 'team-search', tags: ['model_group:gpt-4o-prod'] }],
    ['tag', { user: undefined, team: undefined, tags: ['feature:answer', 'model_group:gpt-4o-prod'] }],
  ] as const)('a %s row is one day line of api_requests requests', (entity, who) => {
    const r = dailyRecord(row, 'LiteLLM_DailyX', entity);
    expect(r).toMatchObject({
      ts: Date.UTC(2026, 9, 5),
      dayOnly: true,
      sourceId: 'LiteLLM_DailyX:d-1',
      provider: 'openai',
      model: 'gpt-4o',
      endpoint: '/chat/completions',
      requests: 100,
      inputTokens: 60000,
      outputTokens: 20000,
      cacheReadTokens: 40000,
      cacheWriteTokens: 0,
      reportedCostNanos: 400_000_000n,
      ...who,
    });
    expect(r.apiKey).toMatch(/^sha256:[0-9a-f]{16}$/);
  });

  it('names the key and the team by their aliases when LiteLLM’s tables have them', () => {
    const r = dailyRecord({ ...row, _key_alias: 'search-backend', _team_alias: 'search' }, 'LiteLLM_DailyTeamSpend', 'team_id');
    expect([r.apiKey, r.team]).toEqual(['search-backend', 'search']);
  });

  it('names a row with a bad date by its id', () => {
    expect(dailyItem({ ...row, date: '5/10/2026' }, 'LiteLLM_DailyUserSpend', 'user_id', 'postgres://u@h:5432/litellm', 3)).toEqual({
      issue: {
        file: 'postgres://u@h:5432/litellm: "LiteLLM_DailyUserSpend" id "d-1"',
        line: 3,
        item: 3,
        field: 'date',
        fieldKind: 'field',
        message: 'expected a date YYYY-MM-DD, got "5/10/2026"',
      },
    });
  });
});
