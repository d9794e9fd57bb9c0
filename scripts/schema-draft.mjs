#!/usr/bin/env node
// Drafts a JSON Schema (2020-12) for one kind of llmcost JSON output from real outputs of it, to start a new
// schema/<kind>.schema.json: `node scripts/schema-draft.mjs out1.json [out2.json …] > schema/x.schema.json`, then
// add "x-llmcost-run" (the invocations test/e2e/json-schema.test.ts validates) and review it by hand: a field seen
// with one type only in the samples (null in some other case) must be widened, open maps (`group`) loosened.
// The draft marks every object closed (additionalProperties: false), money strings (…Usd) as exact decimals and
// shares (share, …Share) as fractions from 0 to 1.
import { readFileSync } from 'node:fs';

const docs = process.argv.slice(2).map((f) => JSON.parse(readFileSync(f, 'utf8')));
const typeOf = (v) => (v === null ? 'null' : Array.isArray(v) ? 'array' : Number.isInteger(v) ? 'integer' : typeof v);

function infer(values, key) {
  const types = [...new Set(values.map(typeOf))];
  if (types.includes('integer') && types.includes('number')) types.splice(types.indexOf('integer'), 1);
  const s = { type: types.length === 1 ? types[0] : types };
  const present = values.filter((v) => v !== null);
  if (types.includes('object')) {
    const objs = present.filter((v) => typeOf(v) === 'object');
    const keys = [...new Set(objs.flatMap(Object.keys))];
    s.properties = Object.fromEntries(
      keys.map((k) => [
        k,
        infer(
          objs.filter((o) => k in o).map((o) => o[k]),
          k,
        ),
      ]),
    );
    s.required = keys.filter((k) => objs.every((o) => k in o));
    s.additionalProperties = false;
  }
  if (types.includes('array')) {
    const items = present.filter(Array.isArray).flat();
    if (items.length > 0) s.items = infer(items, key);
  }
  if (types.includes('string') && /Usd$/.test(key ?? '')) s.pattern = '^-?[0-9]+\\.[0-9]{9}$';
  if ((types.includes('number') || types.includes('integer')) && /^share$|Share$/.test(key ?? ''))
    Object.assign(s, { minimum: 0, maximum: 1 });
  return s;
}

const schema = infer(docs);
schema.properties.kind = { const: docs[0].kind };
schema.properties.schemaVersion = { const: 1 };
console.log(
  JSON.stringify(
    { $schema: 'https://json-schema.org/draft/2020-12/schema', title: `llmcost ${docs[0].kind} (--json)`, ...schema },
    null,
    2,
  ),
);
