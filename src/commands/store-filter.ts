/**
 * Filters as the store matches them: models by their normalized name and providers by their canonical id, so
 * every spelling selects the same rows. The store knows no pricing; commands normalize before they query.
 */

import type { BudgetConfig } from '../lib/config.js';
import { canonicalProvider, parseModel } from '../pricing/normalize.js';
import type { Dimension, UsageFilter } from '../store/queries/report.js';
import { tagFilters } from './report-common.js';

/** A filter value as stored: models normalized, providers canonical, other dimensions as given. */
export function storedValue(dim: Dimension, value: string): string {
  return dim === 'model' ? parseModel(value).model : dim === 'provider' ? (canonicalProvider(value) ?? value) : value;
}

/** The filter with its model and provider values as stored. */
export function storeFilter<F extends UsageFilter>(filter: F): F {
  return {
    ...filter,
    ...(filter.model ? { model: filter.model.map((m) => storedValue('model', m)) } : {}),
    ...(filter.provider ? { provider: filter.provider.map((p) => storedValue('provider', p)) } : {}),
  };
}

/** A budget's scope as the config spells it (for messages about values that match nothing). */
export function budgetScopeAsGiven(b: BudgetConfig): UsageFilter {
  const s = b.scope;
  return {
    team: s.team,
    user: s.user,
    model: s.model,
    endpoint: s.endpoint,
    apiKey: s.apiKey,
    provider: s.provider,
    source: s.source,
    tags: tagFilters(s.tag),
  };
}

/** A budget's scope as the store matches it. */
export function budgetScope(b: BudgetConfig): UsageFilter {
  return storeFilter(budgetScopeAsGiven(b));
}
