import { describe, expect, it } from 'vitest';
import { FieldError, type Obj } from '../fields.js';
import { cursorPage, generationRecord, generationV2Record, listPage, traceInfo, usageTokens } from './parse.js';

const generation = (over: Obj = {}): Obj => ({
  id: 'obs-1',
  traceId: 'tr-1',
  type: 'GENERATION',
  startTime: '2026-10-01T10:00:00.000Z',
  model: 'gpt-4o-mini',
  usageDetails: { input: 100, output: 20, total: 120 },
  costDetails: { total: 0.000027 },
  ...over,
});

describe('usageTokens', () => {
  it.each([
    [
      "Langfuse's convention: disjoint types, total = their sum",
      { input: 1500, input_cached_tokens: 500, output: 300, output_reasoning_tokens: 200, total: 2500 },
      { inputTokens: 1500, outputTokens: 500, cacheReadTokens: 500, cacheWriteTokens: 0, cacheWrite1hTokens: 0 },
    ],
    [
      "LiteLLM's callback: input includes the cache counts, total = input + output",
      { input: 12000, output: 800, total: 12800, cache_read_input_tokens: 10000, cache_creation_input_tokens: 1000 },
      { inputTokens: 1000, outputTokens: 800, cacheReadTokens: 10000, cacheWriteTokens: 1000, cacheWrite1hTokens: 0 },
    ],
    [
      "Langfuse's Anthropic names, 5-minute and 1-hour writes apart",
      { input: 40, input_cache_read: 9000, input_cache_creation: 100, input_cache_creation_1h: 2000, output: 500, total: 11640 },
      { inputTokens: 40, outputTokens: 500, cacheReadTokens: 9000, cacheWriteTokens: 100, cacheWrite1hTokens: 2000 },
    ],
    [
      'no total: the documented (disjoint) convention',
      { input: 300, input_cache_read: 700, output: 10 },
      { inputTokens: 300, outputTokens: 10, cacheReadTokens: 700, cacheWriteTokens: 0, cacheWrite1hTokens: 0 },
    ],
    [
      'modality details: audio input is input, cached text is a cache read already counted',
      { input: 50, input_audio_tokens: 25, input_cached_tokens: 10, input_cached_text_tokens: 10, output: 5, total: 90 },
      { inputTokens: 75, outputTokens: 5, cacheReadTokens: 10, cacheWriteTokens: 0, cacheWrite1hTokens: 0 },
    ],
  ])('%s', (_name, details, expected) => {
    expect(usageTokens(details)).toEqual(expected);
  });

  it('names the field of a count that is not a whole number', () => {
    expect(() => usageTokens({ input: 1.5 })).toThrow(
      new FieldError('usageDetails.input', 'expected a non-negative whole number of tokens, got 1.5'),
    );
  });
});

describe('generationRecord', () => {
  it('maps a generation and its trace: id, model, user, endpoint, tags and session, the reported cost exact', () => {
    const trace = { userId: 'alice', name: 'support-bot', sessionId: 's-9', tags: ['prod'] };
    expect(generationRecord(generation(), trace)).toEqual({
      ts: Date.parse('2026-10-01T10:00:00.000Z'),
      sourceId: 'obs-1',
      model: 'gpt-4o-mini',
      user: 'alice',
      endpoint: 'support-bot',
      tags: ['prod', 'session:s-9'],
      requests: 1,
      inputTokens: 100,
      outputTokens: 20,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      cacheWrite1hTokens: 0,
      reportedCostNanos: 27_000n,
    });
  });

  it.each([
    ['costDetails.total', { costDetails: { total: 0.1 + 0.2 } }, 300_000_000n],
    ['calculatedTotalCost when costDetails has none', { costDetails: {}, calculatedTotalCost: 1.2e-7 }, 120n],
    ['usage.totalCost on older servers', { costDetails: undefined, usage: { input: 1, output: 1, totalCost: '0.000000001' } }, 1n],
    ['none: only the computed cost', { costDetails: {}, calculatedTotalCost: null }, undefined],
  ])('reported cost from %s', (_name, over, nanos) => {
    expect(generationRecord(generation(over), undefined).reportedCostNanos).toBe(nanos);
  });

  it('reads the deprecated usage {input, output} when usageDetails is empty, and leaves a missing trace blank', () => {
    const r = generationRecord(
      generation({ usageDetails: {}, usage: { input: 2000, output: 100, total: 2100, unit: 'TOKENS' } }),
      undefined,
    );
    expect([r.inputTokens, r.outputTokens, r.user, r.endpoint, r.tags]).toEqual([2000, 100, undefined, undefined, undefined]);
  });

  it.each([
    ['model', { model: null }, 'the generation names no model'],
    ['id', { id: '' }, 'the observation id is empty'],
    ['startTime', { startTime: 'yesterday' }, 'expected an ISO 8601 time or epoch seconds, got "yesterday"'],
    ['costDetails.total', { costDetails: { total: -1 } }, 'expected a non-negative USD amount, got -1'],
  ])('refuses a generation with a bad %s', (field, over, message) => {
    expect(() => generationRecord(generation(over), undefined)).toThrow(new FieldError(field, message));
  });
});

describe('list pages and traces', () => {
  it('reads data and meta.totalPages, and refuses a page without them', () => {
    expect(listPage({ data: [{ id: 'a' }], meta: { page: 1, limit: 50, totalItems: 1, totalPages: 1 } })).toEqual({
      data: [{ id: 'a' }],
      totalPages: 1,
    });
    expect(() => listPage({ data: [] })).toThrow(FieldError);
    expect(() => listPage({ message: 'Invalid' })).toThrow(FieldError);
  });

  it('keeps what a trace says of the request: user, name, session, tags', () => {
    expect(traceInfo({ id: 't', name: 'chat', userId: null, sessionId: 's', tags: ['a', '', 'b'], public: false })).toEqual({
      id: 't',
      info: { userId: undefined, name: 'chat', sessionId: 's', tags: ['a', 'b'] },
    });
  });
});

describe('v2 observations', () => {
  it('takes the model from providedModelName, the trace fields from the observation, the cost from totalCost when costDetails has none', () => {
    const r = generationV2Record({
      id: 'obs-2',
      startTime: '2026-10-01T10:00:00.000Z',
      type: 'GENERATION',
      providedModelName: 'gpt-4o-mini',
      usageDetails: { input: 10, output: 2, total: 12 },
      costDetails: {},
      totalCost: 0.0000027,
      userId: 'carol',
      sessionId: null,
      traceName: 'rag',
      tags: ['eval'],
    });
    expect([r.model, r.user, r.endpoint, r.tags, r.inputTokens, r.reportedCostNanos]).toEqual([
      'gpt-4o-mini',
      'carol',
      'rag',
      ['eval'],
      10,
      2700n,
    ]);
  });

  it('reads the cursor of the next page, absent on the last', () => {
    expect(cursorPage({ data: [{ id: 'a' }], meta: { cursor: 'abc=' } })).toEqual({ data: [{ id: 'a' }], cursor: 'abc=' });
    expect(cursorPage({ data: [], meta: {} })).toEqual({ data: [], cursor: undefined });
    expect(() => cursorPage({ message: 'Unauthorized' })).toThrow(FieldError);
  });
});
