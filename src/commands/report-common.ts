/** What report, pareto and anomalies share: the `--by` dimensions and the bill days of a basis plan. */

import { type TagPair, tagPair } from '../core/tags.js';
import { UserError } from '../lib/errors.js';
import { dayNumberToIso } from '../lib/time.js';
import type { BasisPlan } from '../store/queries/basis.js';
import { DIMENSIONS, type Dimension, type UsageFilter } from '../store/queries/report.js';
import { listValues, type ScopeFlags } from './options.js';

/** The days each provider's figures came from the bill instead of request logs (ISO dates). */
export function billedDaysJson(plan: BasisPlan): { provider: string; days: string[] }[] {
  return plan.billed.map((b) => ({ provider: b.provider, days: b.days.map(dayNumberToIso) }));
}

/**
 * The `--by` dimensions: column dimensions (any case, api_key for api-key), `tag:KEY` (the key as written) and
 * `tag` (every tag; `single`: commands that rank or score one partition refuse it, as tags overlap).
 */
export function parseDims(values: string[] | undefined, single = false): Dimension[] {
  const dims: Dimension[] = [];
  for (const v of values ?? []) {
    const tag = /^tag(?::(.*))?$/i.exec(v.trim());
    if (tag) {
      const key = tag[1]?.trim();
      if (key === '') throw new UserError(`--by ${v}: the tag key is empty.`, { hint: 'Use --by tag:KEY, e.g. --by tag:project.' });
      if (key === undefined && single) {
        throw new UserError(`--by ${v}: a request can carry several tags, so tags overlap and cannot be ranked as one whole.`, {
          hint: 'Use --by tag:KEY (e.g. tag:project): each request counts once, untagged spend as "(untagged)". `llmcost report --by tag` lists every tag.',
        });
      }
      const d: Dimension = key === undefined ? 'tag' : `tag:${key}`;
      if (!dims.includes(d)) dims.push(d);
      continue;
    }
    const d = v.toLowerCase().replace('_', '-');
    if (!(d in DIMENSIONS)) {
      throw new UserError(`--by ${v}: unknown dimension.`, { hint: `Use one of ${Object.keys(DIMENSIONS).join(', ')}, tag:KEY, tag.` });
    }
    if (!dims.includes(d as Dimension)) dims.push(d as Dimension);
  }
  return dims;
}

/** `--tag` values as filters: `KEY=VALUE` (or `KEY:VALUE`) a key's value, a bare `VALUE` a plain tag. */
export function tagFilters(values: string[] | undefined): TagPair[] | undefined {
  if (!values || values.length === 0) return undefined;
  return values.map((v) => {
    const p = tagPair(v);
    if (p.value === '')
      throw new UserError(`--tag ${v}: the value is empty.`, { hint: 'Use --tag KEY=VALUE (e.g. project=checkout) or --tag VALUE.' });
    return p;
  });
}

/** The usage filter of the scope flags (as the user spelled them: storeFilter normalizes models and providers). */
export function scopeFilter(flags: ScopeFlags, range: { since?: number; until?: number }): UsageFilter {
  return {
    since: range.since,
    until: range.until,
    user: listValues(flags.user),
    team: listValues(flags.team),
    model: listValues(flags.model),
    endpoint: listValues(flags.endpoint),
    source: listValues(flags.source),
    provider: listValues(flags.provider),
    customer: listValues(flags.customer),
    tags: tagFilters(listValues(flags.tag)),
  };
}
