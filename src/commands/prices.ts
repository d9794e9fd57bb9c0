/** `llmcost prices [MODEL]` lists the catalog or shows one model's dated prices; `prices update FILE` refreshes it. */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { ExitCode, UserError } from '../lib/errors.js';
import { validateCatalog } from '../pricing/catalog.js';
import { fromGenaiPrices } from '../pricing/import-genai.js';
import { activeCatalog, makePricer } from '../pricing/load.js';
import { parseModel } from '../pricing/normalize.js';
import type { Catalog, Price, PriceVariant } from '../pricing/types.js';
import { render } from '../render/index.js';
import type { TableData } from '../render/types.js';
import type { Context } from './context.js';
import { addDbOption, addFormatOptions, type CommonFlags, openFromFlags, openIfPresent, resolveFormat } from './options.js';

interface PricesFlags extends CommonFlags {
  provider?: string;
  prices?: string;
}

export function registerPrices(program: Command, ctx: Context, run: (fn: () => Promise<number>) => Promise<void>): void {
  const cmd = program
    .command('prices')
    .description('list the price catalog, or show how one model is priced')
    .argument('[model]', 'a model id as it appears in your logs, e.g. us.anthropic.claude-3-haiku-20240307-v1:0')
    .option('--provider <id>', 'only this provider (anthropic, openai, aws, google, azure, …)')
    .option('--prices <file>', 'user price file to include');
  addFormatOptions(cmd);
  addDbOption(cmd);
  cmd.action((model: string | undefined, flags: PricesFlags) => run(() => pricesCommand(model, flags, ctx)));

  const update = cmd
    .command('update')
    .description('load a newer catalog from a file: genai-prices data.json (v2) or an llmcost catalog JSON')
    .argument('<file>', 'the catalog file');
  addDbOption(update);
  update.action((file: string, flags: PricesFlags) => run(() => updateCommand(file, flags, ctx)));
}

const usd = (p: Price | undefined): string | number | undefined =>
  p === undefined ? undefined : typeof p === 'number' ? p : `${p.base} (>${p.tiers.map((t) => `${t.start}: ${t.price}`).join(', ')})`;

function variantCells(v: PriceVariant): Record<string, string | number | undefined> {
  return {
    from: v.from ?? '',
    input: usd(v.input),
    output: usd(v.output),
    cache_read: usd(v.cacheRead),
    cache_write: usd(v.cacheWrite),
    cache_write_1h: usd(v.cacheWrite1h),
  };
}

const PRICE_COLUMNS = [
  { key: 'from', header: 'From', kind: 'text' as const },
  { key: 'input', header: 'Input $/1M', kind: 'text' as const },
  { key: 'output', header: 'Output $/1M', kind: 'text' as const },
  { key: 'cache_read', header: 'Cache read', kind: 'text' as const },
  { key: 'cache_write', header: 'Cache write', kind: 'text' as const },
  { key: 'cache_write_1h', header: 'Write 1h', kind: 'text' as const },
];

async function pricesCommand(model: string | undefined, flags: PricesFlags, ctx: Context): Promise<number> {
  const format = resolveFormat(flags);
  const db = openIfPresent(flags, ctx);
  try {
    const catalog = activeCatalog(db);
    if (model) {
      const pricer = makePricer(db, flags.prices);
      const parsed = parseModel(model);
      const hit = pricer.resolve(flags.provider, model, parsed);
      if (!hit) {
        throw new UserError(
          `No price for "${model}"${flags.provider ? ` from provider ${flags.provider}` : ''}: records of it are stored as unpriced.`,
          {
            exitCode: ExitCode.Data,
            hint: 'Check the spelling with `llmcost prices --provider …`, or add the model in a price file (--prices FILE).',
          },
        );
      }
      const payload = {
        schemaVersion: 1,
        kind: 'model-prices',
        query: model,
        normalizedModel: parsed.model,
        provider: hit.provider.id,
        catalogModel: hit.model.id,
        source: hit.user ? 'user' : `${catalog.source.kind}@${catalog.source.version}`,
        unit: 'USD per 1M tokens',
        prices: hit.model.prices,
        regions: hit.model.regions ?? {},
        provenance: hit.model.provenance ?? [],
        checked: (hit.model.provenance ?? []).reduce((d, p) => (p.checked > d ? p.checked : d), '') || null,
      };
      const rows = [
        ...hit.model.prices.map((v) => ({ region: 'all', ...variantCells(v) })),
        ...Object.entries(hit.model.regions ?? {}).flatMap(([region, list]) => list.map((v) => ({ region, ...variantCells(v) }))),
      ];
      const table: TableData = {
        title: `${model} → ${hit.provider.id}/${hit.model.id} (reported as ${parsed.model})`,
        columns: [{ key: 'region', header: 'Region', kind: 'text' }, ...PRICE_COLUMNS],
        rows,
        notes: [
          `Source: ${payload.source}. The latest price whose "From" is not after a record's date applies.`,
          ...payload.provenance.map((p) => `Checked ${p.checked}: ${p.source}${p.note ? ` (${p.note})` : ''}`),
        ],
      };
      ctx.out(render(format, payload, [table], { color: ctx.color }));
      return ExitCode.Ok;
    }
    const providers = catalog.providers.filter((p) => !flags.provider || p.id === flags.provider.toLowerCase());
    if (flags.provider && providers.length === 0) {
      throw new UserError(`Unknown provider "${flags.provider}".`, { hint: `Providers: ${catalog.providers.map((p) => p.id).join(', ')}` });
    }
    const rows = providers.flatMap((p) =>
      p.models.map((m) => {
        const latest = m.prices.at(-1) ?? {};
        return {
          provider: p.id,
          model: m.id,
          ...variantCells(latest),
          from: m.prices.length > 1 ? `${latest.from ?? ''} (${m.prices.length} prices)` : (latest.from ?? ''),
        };
      }),
    );
    const payload = {
      schemaVersion: 1,
      kind: 'price-catalog',
      source: catalog.source,
      unit: 'USD per 1M tokens',
      providers: providers.map((p) => ({ id: p.id, name: p.name, batchMultiplier: p.batchMultiplier ?? null, models: p.models })),
    };
    const table: TableData = {
      title: `Price catalog (${catalog.source.kind}@${catalog.source.version}), USD per 1M tokens`,
      columns: [{ key: 'provider', header: 'Provider', kind: 'text' }, { key: 'model', header: 'Model', kind: 'text' }, ...PRICE_COLUMNS],
      rows,
    };
    ctx.out(render(format, payload, [table], { color: ctx.color }));
    return ExitCode.Ok;
  } finally {
    db?.close();
  }
}

async function updateCommand(file: string, flags: PricesFlags, ctx: Context): Promise<number> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UserError(`Cannot read ${file}: ${(err as Error).message}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new UserError(`${file} is not JSON: ${(err as Error).message}`, {
      hint: 'Give genai-prices data.json (v2) or an llmcost catalog.',
    });
  }
  const sha256 = createHash('sha256').update(text).digest('hex');
  let catalog: Catalog;
  try {
    catalog = Array.isArray(data)
      ? fromGenaiPrices(data, {
          kind: 'genai-prices',
          version: `file:${sha256.slice(0, 12)}`,
          checked: new Date(ctx.now()).toISOString().slice(0, 10),
        })
      : validateCatalog(data, file);
  } catch (err) {
    if (err instanceof UserError) throw err;
    throw new UserError(`${file}: not a price catalog (${(err as Error).message}).`, {
      hint: 'Give genai-prices data.json (v2) or an llmcost catalog.',
    });
  }
  const models = catalog.providers.reduce((n, p) => n + p.models.length, 0);
  if (models === 0) throw new UserError(`${file}: the catalog has no models with token prices; nothing was changed.`);
  const db = openFromFlags(flags, ctx, undefined, 'write');
  try {
    db.prepare('INSERT INTO price_catalogs (kind, version, sha256, loaded_at, file, data) VALUES (?, ?, ?, ?, ?, ?)').run(
      catalog.source.kind,
      catalog.source.version,
      sha256,
      ctx.now(),
      resolve(file),
      JSON.stringify(catalog),
    );
  } finally {
    db.close();
  }
  ctx.err(
    `Loaded ${models} models from ${file}; new ingests price with it. Stored rows keep the cost they were priced with until you run llmcost reprice.\n`,
  );
  return ExitCode.Ok;
}
