import { describe, expect, it } from 'vitest';
import { mapColumns, parseMapFlags } from './columns.js';
import { parseCsvRow, splitTags } from './parse.js';

const header = ['Date', 'User_ID', 'Model', 'Prompt Tokens', 'Completion_Tokens', 'cached_tokens', 'Cost USD', 'requests'];
const map = mapColumns(header, {}, 'f.csv');
const row = (over: Partial<Record<string, string>> = {}): string[] =>
  header.map(
    (h) =>
      over[h] ??
      {
        Date: '2026-10-01',
        User_ID: 'alice',
        Model: 'gpt-4o',
        'Prompt Tokens': '1000',
        Completion_Tokens: '200',
        cached_tokens: '',
        'Cost USD': '',
        requests: '',
      }[h] ??
      '',
  );

describe('column mapping', () => {
  it('recognizes common spellings case-insensitively', () => {
    expect(map).toMatchObject({
      timestamp: 0,
      user: 1,
      model: 2,
      input_tokens: 3,
      output_tokens: 4,
      cache_read_tokens: 5,
      cost: 6,
      requests: 7,
    });
  });
  it('lets --map override and names missing columns', () => {
    expect(mapColumns(['EventTime', 'model', 'tokens_in'], parseMapFlags(['timestamp=EventTime']), 'f.csv').timestamp).toBe(0);
    expect(() => mapColumns(['when', 'model', 'input_tokens'], {}, 'f.csv')).toThrow(/f\.csv:1: the header lacks a timestamp column/);
    expect(() => mapColumns(['date', 'model', 'x'], {}, 'f.csv')).toThrow(/token or cost columns/);
    expect(() => mapColumns(['date', 'model', 'input'], parseMapFlags(['user=Owner']), 'f.csv')).toThrow(/no column "Owner"/);
    expect(() => parseMapFlags(['colour=x'])).toThrow(/--map colour=x: expected FIELD=COLUMN/);
  });
});

describe('rows', () => {
  it('reads a good row', () => {
    const r = parseCsvRow(row({ 'Cost USD': '$1,234.50', requests: '3', cached_tokens: '10' }), header, map);
    expect(r).toEqual({
      record: expect.objectContaining({
        ts: Date.UTC(2026, 9, 1),
        user: 'alice',
        model: 'gpt-4o',
        inputTokens: 1000,
        outputTokens: 200,
        cacheReadTokens: 10,
        requests: 3,
        reportedCostNanos: 1_234_500_000_000n,
      }),
    });
  });

  it('subtracts cache tokens when the input column includes them', () => {
    const r = parseCsvRow(row({ cached_tokens: '300' }), header, map, { cachedInInput: true });
    expect('record' in r && r.record.inputTokens).toBe(700);
    const bad = parseCsvRow(row({ cached_tokens: '3000' }), header, map, { cachedInInput: true });
    expect(bad).toEqual({ issue: { field: 'Prompt Tokens', message: expect.stringMatching(/smaller than the cache tokens/) } });
  });

  it.each([
    [{ Date: '' }, 'Date', /timestamp is empty/],
    [{ Date: '01/10/2026' }, 'Date', /expected an ISO 8601 date.*got "01\/10\/2026"/],
    [{ Model: '' }, 'Model', /model is empty/],
    [{ 'Prompt Tokens': '-5' }, 'Prompt Tokens', /non-negative whole number of input tokens, got "-5"/],
    [{ Completion_Tokens: 'abc' }, 'Completion_Tokens', /output tokens, got "abc"/],
    [{ Completion_Tokens: '1.5' }, 'Completion_Tokens', /got "1.5"/],
    [{ 'Cost USD': 'ten' }, 'Cost USD', /non-negative USD amount, got "ten"/],
    [{ requests: '-1' }, 'requests', /whole number of requests/],
  ])('rejects %j naming the column', (over, field, message) => {
    const r = parseCsvRow(row(over), header, map);
    expect(r).toEqual({ issue: { field, message: expect.stringMatching(message) } });
  });
});

describe('service tiers', () => {
  const h = ['start_time', 'model', 'batch', 'service_tier', 'input_tokens', 'inference_geo'];
  const m = mapColumns(h, {}, 'f.csv');
  const tier = (batch: string, serviceTier: string) => {
    const r = parseCsvRow(['1761955200', 'gpt-4o', batch, serviceTier, '10', ''], h, m);
    return 'record' in r ? r.record.serviceTier : r.issue.message;
  };
  it('combines the batch and service_tier columns', () => {
    expect(m).toMatchObject({ batch: 2, service_tier: 3, inference_geo: 5 });
    expect(tier('False', 'flex')).toBe('flex');
    expect(tier('FALSE', 'priority')).toBe('priority');
    expect(tier('True', 'default')).toBe('batch');
    expect(tier('False', 'default')).toBeUndefined();
    expect(tier('', 'batch')).toBe('batch');
  });
  it('reads inference_geo', () => {
    const r = parseCsvRow(['1761955200', 'claude-opus-4-6', '', '', '10', 'us'], h, m);
    expect('record' in r && r.record.inferenceGeo).toBe('us');
  });
});

describe('tags cell', () => {
  it.each([
    ['["project:checkout","env:prod"]', ['project:checkout', 'env:prod']],
    ['["team:search, ranking", 42]', ['team:search, ranking', '42']],
    ['project=checkout;env=prod', ['project=checkout', 'env=prod']],
    ['a;b', ['a', 'b']],
    ['a, b | c', ['a', 'b', 'c']],
    ['[a;b]', ['a', 'b']],
    ['', []],
  ])('%s → %j', (cell, tags) => {
    expect(splitTags(cell)).toEqual(tags);
  });
});
