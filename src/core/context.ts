/** What a command needs from the outside world, decided once in cli.ts and passed in. */
import type { Env } from '../lib/env.js';
import type { RenderOptions } from '../render/types.js';

export interface Context {
  out: (text: string) => void;
  err: (text: string) => void;
  env: Env;
  color: boolean;
  /** stdout is a terminal (prompt streams its answer). */
  stdoutTTY: boolean;
  /** stderr is a terminal: progress bars may be drawn. */
  stderrTTY: boolean;
  now: () => number;
  /** How tables and charts are drawn: colors, the terminal's width (undefined when piped), --wide. */
  view: RenderOptions;
}
