import { describe, expect, it } from 'vitest';
import { closest } from './suggest.js';

describe('closest', () => {
  it.each([
    ['serach', ['research', 'search', 'platform'], ['search', 'research']],
    ['serach', ['research', 'growth'], ['research']],
    ['Research', ['research', 'growth'], ['research']],
    ['qa', ['platform', 'growth', 'ml'], []],
    ['gpt4o', ['gpt-4o', 'gpt-4o-mini', 'claude'], ['gpt-4o']],
  ])('%s among %j → %j', (typed, known, expected) => {
    expect(closest(typed, known)).toEqual(expected);
  });
});
