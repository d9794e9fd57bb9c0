/** `llmcost whatif`: what a change (routing, a cascade, shorter prompts, caps, caching, batch) would do to a month of stored usage. */
import { type Command, InvalidArgumentError } from 'commander';
import type { Context } from '../core/context.js';
import type { Run } from './calculator-common.js';
import { addDbOption, addFormatOptions, addRangeOptions, type CommonFlags, intOption, shareOption } from './options.js';

export interface WhatifFlags extends CommonFlags {
  route?: string;
  share?: number;
  cascade?: string;
  trimInput?: number;
  promptTokens?: { from: number; to: number };
  maxOutput?: number | { percentile: number };
  cacheHitRate?: number;
  promptCache?: number;
  batchShare?: number;
  model?: string[];
  prices?: string;
}

function promptTokensOption(value: string): { from: number; to: number } {
  const m = /^\s*(\d+)\s*(?:→|->|:)\s*(\d+)\s*$/.exec(value);
  if (!m || Number(m[2]) > Number(m[1]))
    throw new InvalidArgumentError('Expected FROM→TO tokens per request with TO ≤ FROM, e.g. 200→50 (or 200->50).');
  return { from: Number(m[1]), to: Number(m[2]) };
}

function maxOutputOption(value: string): number | { percentile: number } {
  const p = /^\s*p(\d{1,2})\s*$/i.exec(value);
  if (p) {
    const n = Number(p[1]);
    if (n >= 1) return { percentile: n / 100 };
  }
  try {
    return intOption(1)(value);
  } catch {
    throw new InvalidArgumentError('Expected a whole number of tokens of at least 1, or a percentile such as p95.');
  }
}

export function registerWhatif(program: Command, ctx: Context, run: Run): void {
  const cmd = program
    .command('whatif')
    .description('what a change would do to a month of stored usage: routing, a cascade, shorter prompts, output caps, caching, batch')
    .option('--route <from=to>', 'move traffic of model FROM to model TO (names as `llmcost prices` resolves them)')
    .option('--share <share>', 'share of FROM traffic --route moves (default 1)', shareOption(0, 1))
    .option('--cascade <steps>', 'spread all traffic over models by share: "cheap-model:0.6,mid-model:0.25,premium-model:0.15"')
    .option('--trim-input <share>', 'prompts shorter by this share of their input tokens, e.g. 0.75', shareOption(0, 1))
    .option('--prompt-tokens <from→to>', 'each request sends FROM−TO fewer input tokens, e.g. 200→50', promptTokensOption)
    .option(
      '--max-output <n|pNN>',
      "cap answers (max_tokens) at N output tokens on every endpoint, or at each endpoint's own pNN output length (p95)",
      maxOutputOption,
    )
    .option('--cache-hit-rate <share>', 'a gateway cache answers this share of requests', shareOption(0, 1))
    .option(
      '--prompt-cache <share>',
      'provider prompt caching: this share of input is a repeated prefix, read from cache',
      shareOption(0, 1),
    )
    .option('--batch-share <share>', 'this share of standard traffic moves to batch prices', shareOption(0, 1))
    .option('--model <names...>', 'only the traffic of these models (names as `llmcost prices` resolves them)')
    .option('--prices <file>', 'user price file to include');
  addRangeOptions(cmd);
  addFormatOptions(cmd);
  addDbOption(cmd);
  cmd.addHelpText(
    'after',
    `
Every scenario starts from the priced request-level usage in the range (default the last 30 days; billing rows
and unpriced requests are left out), scaled to 30 days, and prints before → after with the arithmetic.

Examples:
  llmcost whatif --route claude-3-opus=claude-3-5-haiku --share 0.5
  llmcost whatif --cascade "amazon.nova-micro-v1:0:0.6,claude-3-5-sonnet:0.25,claude-3-opus:0.15"
  llmcost whatif --prompt-tokens 200→50 --max-output 500 --batch-share 0.2`,
  );
  cmd.action((flags: WhatifFlags) => run(async () => (await import('./whatif-run.js')).whatifCommand(flags, ctx)));
}
