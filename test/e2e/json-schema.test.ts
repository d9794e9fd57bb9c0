import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { json, ROOT, sandbox, useDemoDb } from '../helpers/cli.js';

// Every schema/<kind>.schema.json but the config's describes one kind of --json output, and names in
// "x-llmcost-run" the invocations whose real output (at a fixed now) it must accept: on the demo data, or, when it
// has "x-llmcost-setup", on a fresh database after those commands (fixtures/… paths are the repository's). Adding
// a schema is adding that one file (scripts/schema-draft.mjs drafts it from sample outputs).
const demo = useDemoDb();
const dir = join(ROOT, 'schema');
const schemas = readdirSync(dir)
  .filter((f) => f.endsWith('.schema.json') && f !== 'llmcost.config.schema.json')
  .map((file) => ({ file, schema: JSON.parse(readFileSync(join(dir, file), 'utf8')) as Record<string, unknown> }));

const Ajv2020 = createRequire(import.meta.url)('ajv/dist/2020').default as new (
  o: object,
) => {
  addKeyword: (k: string) => void;
  compile: (s: object) => ((d: unknown) => boolean) & { errors?: unknown[] | null };
};
const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
ajv.addKeyword('x-llmcost-run');
ajv.addKeyword('x-llmcost-setup');

describe('JSON schemas', () => {
  it('there is one for each output kind the README documents', () => {
    expect(schemas.map((s) => s.file).sort()).toEqual(
      [
        'anomalies',
        'budget-check',
        'compare-selfhost',
        'cost',
        'forecast',
        'health',
        'ingest-summary',
        'model-prices',
        'pareto',
        'price-catalog',
        'rate-limits',
        'reconcile',
        'report',
        'roadmap',
        'unit-cost',
        'user-report',
        'whatif',
      ].map((k) => `${k}.schema.json`),
    );
  });

  it.each(schemas)('$file accepts the real output of its invocations', ({ schema }) => {
    const validate = ajv.compile(schema);
    const runs = schema['x-llmcost-run'] as string[][];
    const setup = schema['x-llmcost-setup'] as string[][] | undefined;
    expect(runs.length).toBeGreaterThan(0);
    const paths = (args: string[]): string[] => args.map((a) => (a.startsWith('fixtures/') ? join(ROOT, a) : a));
    const own = setup ? sandbox() : undefined;
    try {
      for (const args of setup ?? []) expect(own?.run(paths(args)).status, args.join(' ')).toBe(0);
      for (const args of runs) {
        const env = { LLMCOST_DB: own ? own.db : demo.db, LLMCOST_NOW: '2026-10-31T12:00:00Z' };
        const r = (own ?? demo.sb).run([...paths(args), '--json'], { env });
        // 1: a gate tripped, 3: a data problem; both still print the document.
        expect([0, 1, 3], `${args.join(' ')}: ${r.stderr}`).toContain(r.status);
        const doc = json(r);
        expect(validate(doc), `${args.join(' ')}: ${JSON.stringify(validate.errors, null, 1)}`).toBe(true);
        expect(doc.kind).toBe((schema.properties as { kind: { const: string } }).kind.const);
      }
    } finally {
      own?.dispose();
    }
  });

  it('a share out of [0, 1] (a percentage) is refused', () => {
    const validate = ajv.compile(schemas.find((s) => s.file === 'pareto.schema.json')?.schema ?? {});
    const r = demo.sb.run(['pareto', '--since', '2026-10-01', '--until', '2026-10-31', '--json'], { env: { LLMCOST_DB: demo.db } });
    const doc = json<{ rows: { share: number }[] }>(r);
    expect(validate(doc)).toBe(true);
    (doc.rows[0] as { share: number }).share = 25;
    expect(validate(doc)).toBe(false);
  });
});
