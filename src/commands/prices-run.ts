/** `llmcost prices`: what runs (loaded by the action in prices.ts, so `--help` loads none of it). */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ApplicationProfile } from '../aws/bedrock-profiles.js';
import type { Context } from '../core/context.js';
import { CONFIG_FILE, loadConfig } from '../lib/config.js';
import { ExitCode, UserError } from '../lib/errors.js';
import { embeddedCatalog, validateCatalog } from '../pricing/catalog.js';
import { fromGenaiPrices } from '../pricing/import-genai.js';
import { catalogFromLiteLLM, fromLiteLLM, isLiteLLMPriceMap } from '../pricing/litellm-prices.js';
import { activeCatalog, makePricer } from '../pricing/load.js';
import { parseModel } from '../pricing/normalize.js';
import type { Catalog, Price, PriceVariant } from '../pricing/types.js';
import { render } from '../render/index.js';
import type { TableData } from '../render/types.js';
import { insertCatalog } from '../store/queries/catalogs.js';
import { lookupModel } from './model-lookup.js';
import { openFromFlags, openIfPresent, projectConfig } from './open.js';
import { resolveFormat } from './options.js';
import type { MapProfilesFlags, PricesFlags } from './prices.js';

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

export async function pricesCommand(model: string | undefined, flags: PricesFlags, ctx: Context): Promise<number> {
  const format = resolveFormat(flags);
  const db = openIfPresent(flags, ctx);
  try {
    const catalog = activeCatalog(db);
    if (model) {
      const pricer = makePricer(db, flags.prices, projectConfig());
      const parsed = parseModel(model);
      const hit = lookupModel(pricer, flags.provider, model);
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
      ctx.out(render(format, payload, [table], ctx.view));
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
    ctx.out(render(format, payload, [table], ctx.view));
    return ExitCode.Ok;
  } finally {
    db?.close();
  }
}

export async function updateCommand(file: string, flags: PricesFlags, ctx: Context): Promise<number> {
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
      hint: 'Give genai-prices data.json (v2), a LiteLLM model_prices_and_context_window.json or an llmcost catalog.',
    });
  }
  const sha256 = createHash('sha256').update(text).digest('hex');
  let catalog: Catalog;
  try {
    const version = `file:${sha256.slice(0, 12)}`;
    catalog = Array.isArray(data)
      ? fromGenaiPrices(data, { kind: 'genai-prices', version, checked: new Date(ctx.now()).toISOString().slice(0, 10) })
      : isLiteLLMPriceMap(data)
        ? catalogFromLiteLLM(fromLiteLLM(data, file), { kind: 'litellm', version }, embeddedCatalog())
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
    insertCatalog(db, {
      kind: catalog.source.kind,
      version: catalog.source.version,
      sha256,
      loadedAt: ctx.now(),
      file: resolve(file),
      data: JSON.stringify(catalog),
    });
  } finally {
    db.close();
  }
  ctx.err(
    `Loaded ${models} models from ${file}; new ingests price with it. Stored rows keep the cost they were priced with until you run llmcost reprice.\n`,
  );
  return ExitCode.Ok;
}

export async function mapProfilesCommand(flags: MapProfilesFlags, ctx: Context): Promise<number> {
  const format = resolveFormat(flags);
  const region = flags.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1';
  const configFile = resolve(flags.config ?? CONFIG_FILE);
  // Refuse to write into a config llmcost cannot read, before any call to AWS.
  if (flags.write && existsSync(configFile)) loadConfig(configFile);
  const sdk = await import('@aws-sdk/client-bedrock');
  const { listApplicationProfiles } = await import('../aws/bedrock-profiles.js');
  const client = new sdk.BedrockClient({ region, maxAttempts: 4, ...(flags.profile ? { profile: flags.profile } : {}) });
  let profiles: ApplicationProfile[];
  try {
    profiles = await listApplicationProfiles(client);
  } catch (err) {
    throw explainBedrock(err, region);
  }
  const mapping: Record<string, string> = {};
  for (const p of profiles) if (p.model) mapping[p.id] = p.model;
  const unmapped = profiles.filter((p) => !p.model);
  if (flags.write) writeProfiles(configFile, mapping);
  const payload = {
    schemaVersion: 1,
    kind: 'inference-profiles',
    region,
    profiles: profiles.map((p) => ({
      id: p.id,
      arn: p.arn,
      name: p.name,
      status: p.status ?? null,
      model: p.model ?? null,
      modelArns: p.modelArns,
    })),
    inferenceProfiles: mapping,
    written: flags.write ? configFile : null,
  };
  const table: TableData = {
    title: `Application inference profiles in ${region}`,
    columns: [
      { key: 'id', header: 'Profile', kind: 'text' },
      { key: 'name', header: 'Name', kind: 'text' },
      { key: 'model', header: 'Priced as', kind: 'text' },
    ],
    rows: profiles.map((p) => ({ id: p.id, name: p.name, model: p.model ?? '(several models: map it by hand)' })),
    notes: [
      flags.write
        ? `Wrote ${Object.keys(mapping).length} profiles to "inferenceProfiles" in ${configFile}; llmcost reprice prices stored rows with them.`
        : 'Add --write to merge this mapping into the config\'s "inferenceProfiles".',
      ...(unmapped.length > 0 ? [`${unmapped.length} profile(s) route to several models and are left out: map them by hand.`] : []),
    ],
  };
  ctx.out(render(format, payload, [table], ctx.view));
  return ExitCode.Ok;
}

/** Merges `mapping` into the config's "inferenceProfiles", keeping every other key as it is. */
function writeProfiles(file: string, mapping: Record<string, string>): void {
  let data: Record<string, unknown> = {};
  if (existsSync(file)) {
    const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) data = parsed as Record<string, unknown>;
  }
  const existing = typeof data.inferenceProfiles === 'object' && data.inferenceProfiles !== null ? data.inferenceProfiles : {};
  data.inferenceProfiles = { ...existing, ...mapping };
  try {
    writeFileSync(file, `${JSON.stringify(data, null, 2)}\n`);
  } catch (err) {
    throw new UserError(`Cannot write ${file}: ${(err as Error).message}`);
  }
}

function explainBedrock(err: unknown, region: string): UserError {
  const e = err as Error & { name?: string; $metadata?: { httpStatusCode?: number } };
  const name = e.name ?? '';
  const message = e.message ?? String(err);
  if (name === 'CredentialsProviderError' || /Could not load credentials/i.test(message)) {
    return new UserError(`No AWS credentials: ${message}`, {
      exitCode: ExitCode.Remote,
      hint: 'Set AWS_PROFILE (or --profile), AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or sign in with aws sso login.',
    });
  }
  if (name === 'AccessDeniedException') {
    return new UserError(`Access denied by Bedrock (ListInferenceProfiles) in ${region}: ${message}`, {
      exitCode: ExitCode.Remote,
      hint: 'Grant bedrock:ListInferenceProfiles to this principal.',
    });
  }
  const status = e.$metadata?.httpStatusCode;
  return new UserError(
    `Bedrock ListInferenceProfiles failed in ${region} (${name || 'error'}${status ? `, HTTP ${status}` : ''}): ${message}`,
    {
      exitCode: ExitCode.Remote,
      hint: 'Check --region, AWS_ENDPOINT_URL_BEDROCK (if set) and any HTTPS_PROXY, then retry.',
    },
  );
}
