import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { BIN, ROOT } from '../helpers/cli.js';

// Reports every module file the ESM loader loads, on stderr.
const HOOK = `data:text/javascript,${encodeURIComponent(`
import { register } from 'node:module';
register('data:text/javascript,' + encodeURIComponent(
  "export async function load(u, c, next) { if (u.startsWith('file:')) process.stderr.write('LOADED ' + u + '\\\\n'); return next(u, c); }"));
`)}`;

function loaded(args: string[]): { status: number | null; stdout: string; modules: string[] } {
  const r = spawnSync(process.execPath, ['--import', HOOK, BIN, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, NO_COLOR: '1', TZ: 'UTC', COLUMNS: '120' },
  });
  const modules = r.stderr
    .split('\n')
    .filter((l) => l.startsWith('LOADED '))
    .map((l) => l.slice('LOADED '.length).replace(`file://${ROOT}/`, ''));
  return { status: r.status, stdout: r.stdout, modules };
}

describe('start-up', () => {
  it('--help lists every command without loading a command module, the store queries or a renderer', () => {
    const r = loaded(['--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('compare-selfhost [options]');
    expect(r.modules).toContain('dist/commands/registry.js');
    const heavy = r.modules.filter((m) =>
      /dist\/(commands\/(?!registry|context)|render\/|store\/queries\/|pricing\/)|node_modules\/(cli-table3|string-width)\//.test(m),
    );
    expect(heavy).toEqual([]);
  });

  it("a command's --help loads its options, not what it runs: no store, renderer, pricing or *-run module", () => {
    // (`ingest --help` loads the adapters: its subcommands come from their registrations in src/ingest/index.ts.)
    for (const args of [
      ['report', '--help'],
      ['budget', 'check', '--help'],
      ['prompt', '--help'],
      ['pareto', '--help'],
      ['cost', '--help'],
      ['whatif', '--help'],
      ['limits', '--help'],
      ['forecast', '--help'],
      ['budget', 'export', '--help'],
      ['anomalies', '--help'],
      ['dashboard', '--help'],
      ['demo', '--help'],
    ]) {
      const r = loaded(args);
      expect(r.status).toBe(0);
      const heavy = r.modules.filter((m) =>
        /dist\/(commands\/[a-z-]+-run\.js|commands\/open\.js|render\/(?!types)|store\/|pricing\/(?!gpus))|node_modules\/(csv-stringify|chalk|cli-table3|string-width|@aws-sdk|uplot)/.test(
          m,
        ),
      );
      expect([args.join(' '), heavy]).toEqual([args.join(' '), []]);
    }
    expect(loaded(['report', '--help']).modules).toContain('dist/commands/report.js');
    expect(loaded(['forecast', '--help']).modules).toContain('dist/commands/forecast.js');
    expect(loaded(['dashboard', '--help']).modules).toContain('dist/commands/dashboard.js');
  });

  it('--help does not read the time zone: a bad TZ is refused when a command runs, not when help is asked for', () => {
    const r = spawnSync(process.execPath, [BIN, '--help'], { encoding: 'utf8', env: { PATH: process.env.PATH, TZ: 'Europe/Berln' } });
    expect([r.status, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toContain('Usage: llmcost');
  });

  it('a command loads its own module and not the others', () => {
    const r = loaded(['prices', '--help']);
    expect(r.status).toBe(0);
    expect(r.modules).toContain('dist/commands/prices.js');
    expect(r.modules.filter((m) => /dist\/commands\/(report|budget|ingest|prompt)\.js/.test(m))).toEqual([]);
  });
});
