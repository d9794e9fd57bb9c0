import { describe, expect, it } from 'vitest';
import { fitTable, NAME_CAP, tableWidth, truncateMiddle } from './fit.js';

const cols = [
  { header: 'Model', text: true },
  { header: 'Requests', text: false, drop: 3 },
  { header: 'Cache read', text: false, drop: 2 },
  { header: 'Cache write', text: false, drop: 1 },
  { header: 'Cost', text: false },
];

describe('fitTable', () => {
  it('keeps a table that fits as it is', () => {
    const natural = [20, 8, 10, 11, 6];
    expect(tableWidth(natural)).toBe(71);
    expect(fitTable(cols, natural, 71)).toEqual({
      keep: [0, 1, 2, 3, 4],
      maxWidth: [undefined, undefined, undefined, undefined, undefined],
      hidden: [],
      shortened: false,
    });
  });

  it('hides columns in rank order (cache write, then cache read) until the table fits', () => {
    expect(fitTable(cols, [20, 8, 10, 11, 6], 70)).toMatchObject({ keep: [0, 1, 2, 4], hidden: ['Cache write'], shortened: false });
    expect(fitTable(cols, [20, 8, 10, 11, 6], 50)).toMatchObject({ keep: [0, 1, 4], hidden: ['Cache write', 'Cache read'] });
  });

  it(`cuts names over ${NAME_CAP} columns before hiding any column, and further only when nothing else can go`, () => {
    expect(fitTable(cols, [60, 8, 10, 11, 6], 91)).toEqual({
      keep: [0, 1, 2, 3, 4],
      maxWidth: [NAME_CAP, undefined, undefined, undefined, undefined],
      hidden: [],
      shortened: true,
    });
    expect(fitTable(cols, [60, 8, 10, 11, 6], 90)).toMatchObject({
      keep: [0, 1, 2, 4],
      maxWidth: [NAME_CAP, undefined, undefined, undefined],
    });
    // Every ranked column hidden: 1 + (w + 3) + (6 + 3) ≤ 40 → the name gets 27 columns.
    expect(fitTable(cols, [60, 8, 10, 11, 6], 40)).toEqual({
      keep: [0, 4],
      maxWidth: [27, undefined],
      hidden: ['Cache write', 'Cache read', 'Requests'],
      shortened: true,
    });
    // Never narrower than 12 (or its header): the table is then printed wider than asked.
    expect(fitTable(cols, [60, 8, 10, 11, 6], 20).maxWidth).toEqual([12, undefined]);
  });
});

describe('truncateMiddle', () => {
  it.each([
    ['claude-sonnet-4-5-20250929', 12, 'claude…50929'],
    ['claude-sonnet-4-5-20250929', 26, 'claude-sonnet-4-5-20250929'],
    ['東京東京東京東京', 7, '東…東京'],
    ['👩‍💻👩‍💻👩‍💻👩‍💻', 5, '👩‍💻…👩‍💻'],
  ])('%s in %i columns: %s', (s, max, out) => {
    expect(truncateMiddle(s, max)).toBe(out);
  });
});
