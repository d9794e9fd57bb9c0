/** `llmcost prompt`: what runs (loaded by the action in prompt.ts, so `--help` loads none of it). */

import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { breakerWindowsOf, budgetAt, periodAt, spendWindows } from '../analysis/budget-period.js';
import type { PromptResponse } from '../aws/bedrock.js';
import { explainBedrockError } from '../aws/errors.js';
import type { Context } from '../core/context.js';
import { dedupeKey, toRow } from '../ingest/pipeline.js';
import type { UsageRecord } from '../ingest/types.js';
import { breakerText } from '../lib/breaker-text.js';
import { ExitCode, UserError } from '../lib/errors.js';
import { formatUsd, nanosToDecimal } from '../lib/money.js';
import { isoUtc } from '../lib/time.js';
import { estimateTokens } from '../pricing/estimate-tokens.js';
import { makePricer } from '../pricing/load.js';
import { parseModel } from '../pricing/normalize.js';
import type { Pricer } from '../pricing/pricer.js';
import { render } from '../render/index.js';
import { budgetSpend } from '../store/queries/budget.js';
import { UsageWriter } from '../store/queries/usage.js';
import { withIngestRun } from '../store/transactions.js';
import { lookupModel } from './model-lookup.js';
import { openFromFlags, openIfPresent, projectConfig, resolveTz } from './open.js';
import type { PromptFlags } from './prompt.js';
import { budgetScope } from './store-filter.js';

/** Short names for common Bedrock models (cross-region profiles where AWS requires them). */
const MODEL_ALIASES: Record<string, string> = {
  'claude-3-haiku': 'anthropic.claude-3-haiku-20240307-v1:0',
  'claude-3-5-haiku': 'us.anthropic.claude-3-5-haiku-20241022-v1:0',
  'claude-3-5-sonnet': 'anthropic.claude-3-5-sonnet-20240620-v1:0',
  'claude-3-7-sonnet': 'us.anthropic.claude-3-7-sonnet-20250219-v1:0',
  'claude-sonnet-4': 'us.anthropic.claude-sonnet-4-20250514-v1:0',
  'claude-sonnet-4-5': 'us.anthropic.claude-sonnet-4-5-20250929-v1:0',
  'claude-haiku-4-5': 'us.anthropic.claude-haiku-4-5-20251001-v1:0',
  'claude-opus-4-1': 'us.anthropic.claude-opus-4-1-20250805-v1:0',
  'nova-micro': 'amazon.nova-micro-v1:0',
  'nova-lite': 'amazon.nova-lite-v1:0',
  'nova-pro': 'amazon.nova-pro-v1:0',
  'llama3-8b': 'meta.llama3-8b-instruct-v1:0',
  'llama3-70b': 'meta.llama3-70b-instruct-v1:0',
  'llama3-3-70b': 'us.meta.llama3-3-70b-instruct-v1:0',
  'mistral-large': 'mistral.mistral-large-2402-v1:0',
};

function resolveModel(pricer: Pricer, model: string): string {
  const alias = MODEL_ALIASES[model.toLowerCase()];
  if (alias) return alias;
  const parsed = parseModel(model);
  if (parsed.bedrock || model.startsWith('arn:')) return model;
  const hit = lookupModel(pricer, undefined, model);
  if (hit.provider.id === 'aws') return model;
  const want = parsed.model;
  const aws = pricer.catalog.providers.find((p) => p.id === 'aws');
  const candidates = (aws?.models ?? [])
    .map((m) => m.id.replace(/^regional\./, ''))
    .filter((id) => !/^(global|us-gov)\./.test(id))
    .filter((id) => {
      const name = parseModel(id).model;
      return name === want || (name.startsWith(`${want}-`) && /^-\d{8}$/.test(name.slice(want.length)));
    })
    .sort((a, b) => (parseModel(b).model > parseModel(a).model ? 1 : -1));
  const id = candidates[0];
  if (!id)
    throw new UserError(
      `"${model}" (${hit.provider.id}/${hit.model.id}) is not a Bedrock model in the catalog: llmcost prompt sends through Bedrock.`,
      {
        hint: 'Use a Bedrock model id, an inference profile, or an alias from `llmcost prompt --list-models`.',
      },
    );
  return id;
}
function regionOf(flags: PromptFlags, ctx: Context): string {
  return flags.region ?? ctx.env.awsRegion ?? 'us-east-1';
}

async function readPrompt(arg: string | undefined, flags: PromptFlags): Promise<string> {
  if (arg !== undefined) return arg;
  if (flags.file) {
    try {
      return readFileSync(flags.file, 'utf8');
    } catch (err) {
      throw new UserError(`Cannot read ${flags.file}: ${(err as Error).message}`);
    }
  }
  if (process.stdin.isTTY)
    throw new UserError('No prompt given.', { hint: 'Pass it as an argument, with --file PATH, or on standard input.' });
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function promptCommand(arg: string | undefined, flags: PromptFlags, ctx: Context): Promise<number> {
  const region = regionOf(flags, ctx);
  const now = ctx.now();
  const maxTokens = flags.maxTokens ?? 1024;
  const temperature = flags.temperature;
  // Recording writes the call; listing and estimating only read a loaded price catalog, when there is one.
  const db =
    flags.listModels || flags.estimate || flags.record === false
      ? openIfPresent(flags, ctx)
      : openFromFlags(flags, ctx, undefined, 'write');
  try {
    const pricer = makePricer(db, projectConfig().prices, projectConfig());
    const modelId = flags.listModels ? '' : resolveModel(pricer, flags.model ?? 'claude-3-haiku');
    if (flags.listModels) {
      const rows = Object.entries(MODEL_ALIASES).map(([alias, id]) => {
        const m = pricer.resolve('bedrock', id);
        const p = m?.model.prices.at(-1);
        return { alias, id, input: typeof p?.input === 'number' ? p.input : '', output: typeof p?.output === 'number' ? p.output : '' };
      });
      const payload = { schemaVersion: 1, kind: 'model-aliases', unit: 'USD per 1M tokens', models: rows };
      ctx.out(
        render(
          flags.json ? 'json' : 'table',
          payload,
          [
            {
              title: 'Model aliases (Bedrock, USD per 1M tokens)',
              columns: [
                { key: 'alias', header: 'Alias', kind: 'text' },
                { key: 'id', header: 'Model id', kind: 'text' },
                { key: 'input', header: 'Input', kind: 'text' },
                { key: 'output', header: 'Output', kind: 'text' },
              ],
              rows,
            },
          ],
          ctx.view,
        ),
      );
      return ExitCode.Ok;
    }
    const prompt = await readPrompt(arg, flags);
    if (prompt.trim() === '')
      throw new UserError('The prompt is empty.', { hint: 'Pass it as an argument, with --file PATH, or on standard input.' });
    if (flags.estimate) {
      // An estimate by character class (CJK ≈ 1.3 tokens a character, else ≈ 4 characters a token); the answer is
      // at most --max-tokens.
      const inputTokens = estimateTokens(prompt).tokens + estimateTokens(flags.system ?? '').tokens;
      const low = cost(pricer, modelId, region, now, { input: inputTokens, output: 0, cacheRead: 0, cacheWrite: 0 });
      const high = cost(pricer, modelId, region, now, { input: inputTokens, output: maxTokens, cacheRead: 0, cacheWrite: 0 });
      if (!low.priced || !high.priced) throw new UserError(`No price for ${modelId}: cannot estimate.`, { exitCode: ExitCode.Data });
      const payload = {
        schemaVersion: 1,
        kind: 'prompt-estimate',
        model: modelId,
        region,
        estimatedInputTokens: inputTokens,
        estimateMethod: 'character-class',
        maxOutputTokens: maxTokens,
        minNanos: low.nanos,
        maxNanos: high.nanos,
        minUsd: nanosToDecimal(low.nanos),
        maxUsd: nanosToDecimal(high.nanos),
      };
      if (flags.json) ctx.out(render('json', payload, [], { color: false }));
      else
        ctx.out(
          `Estimate for ${modelId} in ${region}: ~${inputTokens.toLocaleString('en-US')} input tokens, up to ${maxTokens.toLocaleString('en-US')} output tokens → ${formatUsd(low.nanos, { decimals: 6 })} to ${formatUsd(high.nanos, { decimals: 6 })}. Nothing was sent.`,
        );
      return ExitCode.Ok;
    }
    // Budget guard: a configured budget covering this usage that is already exceeded stops the call; --guard
    // breaker also an open circuit breaker, --guard warning also those and a warning threshold or pace.
    const user = flags.user ?? safeUser();
    if (db && !flags.force) {
      const tz = resolveTz({});
      const parsed = parseModel(modelId);
      for (const configured of projectConfig().budgets) {
        // A per-user budget holds this call's user to the amount alone.
        const b = configured.perUser
          ? { ...configured, scope: { ...configured.scope, user: configured.scope.user?.includes(user) === false ? [] : [user] } }
          : configured;
        const s = b.scope;
        const applies =
          (!s.user || s.user.includes(user)) &&
          (!s.model || s.model.some((m) => parseModel(m).model === parsed.model)) &&
          (!s.provider || s.provider.some((p) => ['aws', 'bedrock'].includes(p.toLowerCase()))) &&
          (!s.source || s.source.includes('prompt')) &&
          !s.team &&
          !s.endpoint &&
          !s.apiKey;
        if (!applies) continue;
        const period = periodAt(b.period, now, tz);
        const w = spendWindows(now, tz);
        const spend = budgetSpend(db, budgetScope(b), { periodStart: period.start, ...w, breakers: breakerWindowsOf(b, now, tz) }, tz);
        const result = budgetAt(b, period, w, { ...spend, spentNanos: spend.inPeriod.costNanos });
        const spent = `${formatUsd(result.spentNanos)} of ${formatUsd(result.amountNanos)} ${periodWord(b.period)}`;
        if (result.status === 'exceeded') {
          throw new UserError(`Budget "${b.name}" is already exceeded (${spent}): not sending.`, {
            exitCode: ExitCode.GateTripped,
            hint: 'Pass --force to send anyway.',
          });
        }
        // --guard breaker (and warning, the strictest) also stops while a latched circuit breaker is open.
        if (flags.guard === 'breaker' || flags.guard === 'warning') {
          for (const [kind, br] of Object.entries(result.breakers)) {
            if (!br?.tripped) continue;
            throw new UserError(`Budget "${b.name}" has its ${breakerText(kind, br, isoUtc(now))}: not sending (--guard ${flags.guard}).`, {
              exitCode: ExitCode.GateTripped,
              hint: 'Pass --force to send anyway, or --guard exceeded to stop only at an exceeded budget.',
            });
          }
        }
        const warned = result.thresholdsCrossed.at(-1);
        if (flags.guard === 'warning' && (warned !== undefined || result.status === 'warning' || result.status === 'critical')) {
          const why =
            warned !== undefined
              ? `has reached its ${Math.round(warned * 100)}% warning threshold`
              : `is spending at a ${result.status} pace`;
          throw new UserError(`Budget "${b.name}" ${why} (${spent}): not sending (--guard warning).`, {
            exitCode: ExitCode.GateTripped,
            hint: 'Pass --force to send anyway, or --guard exceeded to stop only at an exceeded budget.',
          });
        }
      }
    }
    const sdk = await import('@aws-sdk/client-bedrock-runtime');
    const { sendPrompt } = await import('../aws/bedrock.js');
    const client = new sdk.BedrockRuntimeClient({
      region,
      ...(flags.profile ? { profile: flags.profile } : {}),
      maxAttempts: 4,
    });
    const stream = flags.stream ?? ctx.stdoutTTY;
    const printLive = stream && !flags.json;
    const started = Date.now();
    let response: PromptResponse;
    try {
      response = await sendPrompt(
        client,
        { modelId, prompt, system: flags.system, maxTokens, temperature },
        { stream, ...(printLive ? { onText: (t: string) => process.stdout.write(t) } : {}) },
      );
    } catch (err) {
      throw explainBedrockError(err, modelId, region);
    } finally {
      client.destroy();
    }
    const latencyMs = response.latencyMs ?? Date.now() - started;
    const u = response.usage;
    const priced = cost(pricer, modelId, region, now, {
      input: u.inputTokens,
      output: u.outputTokens,
      cacheRead: u.cacheReadTokens,
      cacheWrite: u.cacheWriteTokens,
    });
    let recorded = false;
    if (db && flags.record !== false) {
      const record: UsageRecord = {
        ts: now,
        sourceId: response.requestId ?? randomUUID(),
        provider: 'bedrock',
        model: modelId,
        region,
        user,
        endpoint: 'llmcost prompt',
        requests: 1,
        inputTokens: u.inputTokens,
        outputTokens: u.outputTokens,
        cacheReadTokens: u.cacheReadTokens,
        cacheWriteTokens: u.cacheWriteTokens,
        cacheWrite1hTokens: 0,
        // Served (a failed call throws above), with Bedrock's own latency when it gives one (`llmcost health`).
        failed: false,
        latencyMs,
      };
      recorded = await withIngestRun(db, { source: 'prompt', file: 'llmcost prompt', now: () => now }, (runId) => {
        const writer = new UsageWriter(db);
        const stored = writer.write(toRow(record, 'prompt', runId, pricer, dedupeKey('prompt', record, 0)));
        writer.flush();
        return {
          value: stored,
          counts: { read: 1, inserted: stored ? 1 : 0, duplicate: stored ? 0 : 1, rejected: 0, unpriced: priced.priced ? 0 : 1 },
        };
      });
    }
    const payload = {
      schemaVersion: 1,
      kind: 'prompt',
      model: modelId,
      region,
      answer: response.text,
      stopReason: response.stopReason ?? null,
      usage: u,
      costNanos: priced.priced ? priced.nanos : null,
      costUsd: priced.priced ? nanosToDecimal(priced.nanos) : null,
      priceRef: priced.priced ? priced.ref : null,
      latencyMs,
      requestId: response.requestId ?? null,
      recorded,
    };
    if (flags.json) {
      ctx.out(render('json', payload, [], { color: false }));
    } else {
      if (!printLive) ctx.out(response.text);
      else ctx.out('');
      const costText = priced.priced
        ? `${formatUsd(priced.nanos, { decimals: 6 })} (${nanosToDecimal(priced.nanos)} USD)`
        : 'unpriced (no catalog price for this model)';
      const cache = u.cacheReadTokens || u.cacheWriteTokens ? `, cache read ${u.cacheReadTokens}, cache write ${u.cacheWriteTokens}` : '';
      ctx.err(
        `\n— ${modelId} · ${u.inputTokens} input + ${u.outputTokens} output tokens${cache} · ${costText} · ${latencyMs} ms${recorded ? ' · recorded' : ''}\n`,
      );
    }
    return ExitCode.Ok;
  } finally {
    db?.close();
  }
}

function periodWord(period: string): string {
  const rolling = /^(\d+)d$/.exec(period);
  return rolling ? `in the last ${rolling[1]} days` : `this ${period.replace('ly', '').replace('dai', 'day')}`;
}

function safeUser(): string {
  try {
    return userInfo().username;
  } catch {
    return '';
  }
}

export function cost(
  pricer: Pricer,
  modelId: string,
  region: string,
  ts: number,
  u: { input: number; output: number; cacheRead: number; cacheWrite: number },
) {
  return pricer.price({ provider: 'bedrock', model: modelId, region, ts, ...u, cacheWrite1h: 0, requests: 1 });
}
