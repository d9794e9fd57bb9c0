/** `llmcost cost MODEL`: what runs (loaded by the action in cost.ts, so `--help` loads none of it). */

import type { Context } from '../core/context.js';
import { ExitCode, UserError } from '../lib/errors.js';
import { formatUsd, type Nanos, nanosToDecimal } from '../lib/money.js';
import { isoUtc, parseBoundary } from '../lib/time.js';
import { estimateTokens } from '../pricing/estimate-tokens.js';
import { activeCatalog, makePricer } from '../pricing/load.js';
import type { Pricer } from '../pricing/pricer.js';
import { render } from '../render/index.js';
import type { TableData } from '../render/types.js';
import type { CostFlags } from './cost.js';
import { lookupModel } from './model-lookup.js';
import { openIfPresent, projectConfig } from './open.js';
import { resolveFormat } from './options.js';

export interface CostLine {
  query: string;
  provider: string;
  catalogModel: string;
  /** The catalog entry and price date used, as stored rows record it (`price_ref`). */
  priceRef: string;
  /** First day of the price used; null when the entry has one undated price. */
  priceFrom: string | null;
  source: string;
  perRequestNanos: Nanos;
  perRequestUsd: string;
  totalNanos: Nanos;
  totalUsd: string;
}

function priceOne(pricer: Pricer, source: string, model: string, flags: CostFlags, usage: Usage, ts: number): CostLine {
  const hit = lookupModel(pricer, flags.provider, model);
  const outcome = pricer.price({
    provider: flags.provider,
    model,
    region: flags.region,
    serviceTier: flags.tier,
    ts,
    ...usage,
    cacheWrite1h: 0,
    requests: 1,
  });
  if (!outcome.priced) {
    const why =
      outcome.reason === 'no-price-at-date'
        ? `it has no price on ${isoUtc(ts).slice(0, 10)}`
        : outcome.reason === 'missing-price'
          ? 'the catalog entry lacks a price this usage needs'
          : 'the catalog has no entry for it';
    throw new UserError(`No price for "${model}" (${hit.provider.id}/${hit.model.id}): ${why}.`, {
      exitCode: ExitCode.Data,
      hint: 'Check `llmcost prices MODEL`, try another --at, or add the price in a price file (--prices FILE).',
    });
  }
  const requests = BigInt(flags.requests ?? 1);
  const from = /@(\d{4}-\d{2}-\d{2})/.exec(outcome.ref)?.[1] ?? null;
  return {
    query: model,
    provider: hit.provider.id,
    catalogModel: hit.model.id,
    priceRef: outcome.ref,
    priceFrom: from,
    source: hit.user ? 'user' : source,
    perRequestNanos: outcome.nanos,
    perRequestUsd: nanosToDecimal(outcome.nanos),
    totalNanos: outcome.nanos * requests,
    totalUsd: nanosToDecimal(outcome.nanos * requests),
  };
}

interface Usage {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
}

export async function costCommand(model: string, flags: CostFlags, ctx: Context): Promise<number> {
  const format = resolveFormat(flags);
  if (flags.text !== undefined && flags.input !== undefined)
    throw new UserError('--text and --input both give the input tokens.', { hint: 'Give one of them.' });
  const estimate = flags.text !== undefined ? estimateTokens(flags.text) : undefined;
  const usage: Usage = {
    input: estimate?.tokens ?? flags.input ?? 0,
    output: flags.output ?? 0,
    cacheRead: flags.cacheRead ?? 0,
    cacheWrite: flags.cacheWrite ?? 0,
  };
  if (usage.input + usage.output + usage.cacheRead + usage.cacheWrite === 0)
    throw new UserError('No tokens to price.', { hint: 'Give --input N and/or --output N (or --text TEXT).' });
  const ts = flags.at === undefined ? ctx.now() : parseBoundary(flags.at, 'UTC', ctx.now(), false, '--at');
  const db = openIfPresent(flags, ctx);
  let lines: CostLine[];
  try {
    const catalog = activeCatalog(db);
    const pricer = makePricer(db, flags.prices, projectConfig());
    const source = `${catalog.source.kind}@${catalog.source.version}`;
    lines = [model, ...(flags.compare ?? [])].map((m) => priceOne(pricer, source, m, flags, usage, ts));
  } finally {
    db?.close();
  }
  const requests = flags.requests ?? 1;
  const at = isoUtc(ts).slice(0, 10);
  const payload = {
    schemaVersion: 1,
    kind: 'cost',
    at,
    requests,
    tier: flags.tier ?? 'standard',
    region: flags.region ?? null,
    usage,
    inputEstimate: estimate
      ? { tokens: estimate.tokens, cjkChars: estimate.cjkChars, otherChars: estimate.otherChars, method: 'character-class' }
      : null,
    models: lines,
  };
  const base = lines[0]?.totalNanos ?? 0n;
  const parts = [
    `${usage.input.toLocaleString('en-US')} input`,
    `${usage.output.toLocaleString('en-US')} output`,
    ...(usage.cacheRead ? [`${usage.cacheRead.toLocaleString('en-US')} cache-read`] : []),
    ...(usage.cacheWrite ? [`${usage.cacheWrite.toLocaleString('en-US')} cache-write`] : []),
  ];
  const table: TableData = {
    title: `${requests.toLocaleString('en-US')} request${requests === 1 ? '' : 's'} of ${parts.join(' + ')} tokens${flags.tier && flags.tier !== 'standard' ? ` (${flags.tier})` : ''}, at prices in force on ${at}`,
    columns: [
      { key: 'query', header: 'Model', kind: 'text' },
      { key: 'entry', header: 'Catalog entry (price ref)', kind: 'text' },
      { key: 'per', header: 'Per request', kind: 'text' },
      { key: 'total', header: 'Total', kind: 'text' },
      { key: 'vs', header: `vs ${model}`, kind: 'text' },
    ],
    rows: lines.map((l) => ({
      query: l.query,
      entry: l.priceRef,
      per: formatUsd(l.perRequestNanos, { decimals: 6 }),
      total: formatUsd(l.totalNanos, { decimals: 6 }),
      vs: base > 0n ? `${(Number((l.totalNanos * 10000n) / base) / 100).toFixed(2)}%` : '',
    })),
    notes: [
      `Source: ${lines[0]?.source ?? ''}. Exact: ${lines.map((l) => `${l.query} ${l.totalUsd} USD`).join('; ')}.`,
      ...(estimate
        ? [
            `Input tokens estimated from the text (${estimate.cjkChars} CJK characters × 1.3 + ${estimate.otherChars} other characters / 4 = ${estimate.tokens}): an estimate, not the model's tokenizer.`,
          ]
        : []),
    ],
  };
  ctx.out(render(format, payload, [table], ctx.view));
  return ExitCode.Ok;
}
