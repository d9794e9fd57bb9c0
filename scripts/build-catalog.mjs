#!/usr/bin/env node
// Regenerates src/pricing/catalog.json from the pinned @pydantic/genai-prices package plus llmcost's sourced
// corrections (src/pricing/corrections.ts).
// Why a generated, committed file instead of importing the package at run time: price changes show
// up as reviewable diffs, the CLI does not load an 800 KB bundle, and the catalog format stays ours
// (`llmcost prices update FILE` reads the same genai-prices data.json shape).
// Usage: node scripts/build-catalog.mjs [--check]   (--check fails when the committed file is stale)
import { readFileSync, writeFileSync } from 'node:fs';
import { fromGenaiPrices } from '../dist/pricing/import-genai.js';

const pkg = JSON.parse(readFileSync(new URL('../node_modules/@pydantic/genai-prices/package.json', import.meta.url), 'utf8'));
const { waitForUpdate } = await import('@pydantic/genai-prices');
const providers = await waitForUpdate();
// The pinned release's publication day (`npm view @pydantic/genai-prices time`): the date its prices were current.
const RELEASED = { '0.1.8': '2026-09-23' };
const checked = RELEASED[pkg.version];
if (!checked) throw new Error(`add the release date of @pydantic/genai-prices@${pkg.version} to RELEASED in scripts/build-catalog.mjs`);
const catalog = fromGenaiPrices(providers, { kind: 'genai-prices', version: pkg.version, checked });
const text = `${JSON.stringify(catalog, null, 1)}\n`;
const target = new URL('../src/pricing/catalog.json', import.meta.url);
if (process.argv.includes('--check')) {
  const current = readFileSync(target, 'utf8');
  if (current !== text) {
    console.error('src/pricing/catalog.json is stale: run `npm run catalog` and commit it.');
    process.exit(1);
  }
  console.log('catalog.json is up to date');
} else {
  writeFileSync(target, text);
  const models = catalog.providers.reduce((n, p) => n + p.models.length, 0);
  console.log(`wrote ${catalog.providers.length} providers, ${models} models from ${pkg.name}@${pkg.version}`);
}
