// tsc emits only .js; the price catalog is data and ships beside the compiled pricing module.
import { copyFileSync, mkdirSync } from 'node:fs';

const assets = [['src/pricing/catalog.json', 'dist/pricing/catalog.json']];
for (const [from, to] of assets) {
  mkdirSync(to.slice(0, to.lastIndexOf('/')), { recursive: true });
  copyFileSync(from, to);
}

// The config schema compiled once, here, to a module: compiling it with ajv at run time took about as long as
// Node's start-up, on every `budget check`. config.ts checks with it and compiles only to explain a failure.
const { createRequire } = await import('node:module');
const { readFileSync, writeFileSync } = await import('node:fs');
const require = createRequire(import.meta.url);
const Ajv2020 = require('ajv/dist/2020').default;
const standalone = require('ajv/dist/standalone').default;
const schema = JSON.parse(readFileSync('schema/llmcost.config.schema.json', 'utf8'));
const ajv = new Ajv2020({ allErrors: false, strict: true, code: { source: true } });
ajv.addSchema(schema);
writeFileSync('dist/lib/config-check.cjs', standalone(ajv, { config: schema.$id, budget: `${schema.$id}#/$defs/budget` }));
