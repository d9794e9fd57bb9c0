import { describe, expect, it } from 'vitest';
import { acceptsFor, adapterFor, detectSource, SOURCES } from './index.js';

describe('the source list', () => {
  it('holds each source once, each with the files it reads and, unless reached another way, a subcommand', () => {
    const ids = SOURCES.map((s) => s.id);
    expect(ids).toEqual(['csv', 'cur', 'litellm', 'bedrock-log', 'claude-code', 'openai-usage', 'anthropic-usage', 'langfuse']);
    expect(new Set(ids).size).toBe(ids.length);
    expect(SOURCES.filter((s) => s.command === undefined).map((s) => s.id)).toEqual(['cur']); // ingest csv --preset cur
    expect(adapterFor('cur')?.id).toBe('cur');
    expect(adapterFor('nope')).toBeUndefined();
    // The API sources' subcommands run a remote read and take no paths.
    expect(SOURCES.filter((s) => s.command?.run !== undefined).map((s) => [s.id, s.command?.argument])).toEqual([
      ['openai-usage', undefined],
      ['anthropic-usage', undefined],
      ['langfuse', undefined],
    ]);
  });

  it.each([
    ['csv', 'usage.tsv.gz', true],
    ['csv', 'notes.md', false],
    ['cur', 'cur-00001.csv.gz', true],
    ['cur', 'usage.tsv', false],
    ['litellm', '2026-10-05-abc', true],
    ['litellm', '.DS_Store', false],
    ['bedrock-log', 'part-0001.json.gz', true],
    ['bedrock-log', 'notes.txt', false],
    ['claude-code', 'session.jsonl', true],
    ['claude-code', 'session.json', false],
    // The organization usage APIs read no files.
    ['openai-usage', 'usage.json', false],
    ['anthropic-usage', 'usage.json', false],
    ['langfuse', 'observations.json', false],
    ['auto', 'README', true],
    ['auto', '.hidden', false],
  ])('%s reads %s: %s', (source, name, accepted) => {
    expect(acceptsFor(source)(name)).toBe(accepted);
  });

  it('tries the generic CSV probe last: a LiteLLM export with a model column is LiteLLM, a CUR is a CUR', () => {
    expect(detectSource('request_id,model,spend,startTime\n')).toBe('litellm');
    expect(detectSource('identity/LineItemId,lineItem/UsageType,product/model\n')).toBe('cur');
    expect(detectSource('model;input_tokens\n')).toBe('csv');
  });
});
