/** One way to name a model on the command line: `prices`, `cost`, `whatif`, `compare-selfhost` and `prompt` resolve it alike. */
import { ExitCode, UserError } from '../lib/errors.js';
import { parseModel } from '../pricing/normalize.js';
import type { Pricer } from '../pricing/pricer.js';

export type Resolved = NonNullable<ReturnType<Pricer['resolve']>>;

/** The catalog entry `model` names (as `llmcost prices MODEL` finds it), or exit 3: unpriced is never $0. */
export function lookupModel(pricer: Pricer, provider: string | undefined, model: string): Resolved {
  const hit = pricer.resolve(provider, model, parseModel(model));
  if (!hit) {
    throw new UserError(`No price for "${model}"${provider ? ` from provider ${provider}` : ''}: records of it are stored as unpriced.`, {
      exitCode: ExitCode.Data,
      hint: 'Check the spelling with `llmcost prices --provider …`, or add the model in a price file (--prices FILE).',
    });
  }
  return hit;
}
