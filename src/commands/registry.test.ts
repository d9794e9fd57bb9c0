import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import type { Context } from '../core/context.js';
import { COMMANDS, registerCommands } from './registry.js';

const ctx = {} as Context;
const run = async (): Promise<void> => {};

/** `llmcost --help`'s command list, with every command's hidden global flags added as cli.ts adds them. */
function listing(program: Command): string {
  for (const c of program.commands) c.option('--debug');
  return program.helpInformation();
}

describe('command registry', () => {
  it('lists each command in --help exactly as its module registers it', async () => {
    const stubs = new Command('llmcost');
    await registerCommands(stubs, ctx, run, ['--help']);
    const real = new Command('llmcost');
    for (const c of COMMANDS) (await c.load())(real, ctx, run);
    expect(listing(stubs)).toBe(listing(real));
    expect(stubs.commands.map((c) => c.name())).toEqual(real.commands.map((c) => c.name()));
  });

  it('registers only the command that runs, also after help', async () => {
    for (const argv of [
      ['--debug', 'report', '--since', '7d'],
      ['help', 'report'],
    ]) {
      const program = new Command('llmcost');
      await registerCommands(program, ctx, run, argv);
      expect(program.commands.map((c) => c.name())).toEqual(['report']);
    }
  });
});
