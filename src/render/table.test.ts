import { describe, expect, it } from 'vitest';
import { renderTable } from './table.js';
import type { TableData } from './types.js';

const table = (rows: TableData['rows'], limit?: number): TableData => ({
  title: 'Spend',
  columns: [
    { key: 'who', header: 'User', kind: 'text' },
    { key: 'n', header: 'Requests', kind: 'int' },
    { key: 'cost', header: 'Cost', kind: 'usd' },
  ],
  rows,
  footer: { who: 'Total', n: 1_234_567, cost: 12_345_670_000_000n },
  notes: ['a note'],
  ...(limit === undefined ? {} : { limit }),
});

describe('renderTable', () => {
  it('draws boxes, right-aligns numbers and counts wide characters and emoji as two columns', () => {
    const rows = [
      { who: '東京', n: 1000, cost: 1_500_000_000n },
      { who: 'ana 🙂', n: 7, cost: null },
    ];
    expect(renderTable(table(rows), { color: false })).toBe(
      [
        'Spend',
        '┌────────┬───────────┬────────────┐',
        '│ User   │  Requests │       Cost │',
        '├────────┼───────────┼────────────┤',
        '│ 東京   │     1,000 │      $1.50 │',
        '│ ana 🙂 │         7 │          — │',
        '│ Total  │ 1,234,567 │ $12,345.67 │',
        '└────────┴───────────┴────────────┘',
        'a note',
      ].join('\n'),
    );
  });

  it('shows the first `limit` rows and a line with the number left out; the totals row stays', () => {
    const rows = Array.from({ length: 4 }, (_, i) => ({ who: `u${i}`, n: i, cost: 0n }));
    const out = renderTable(table(rows, 3), { color: false }).split('\n');
    expect(out.filter((l) => /^│ u\d/.test(l))).toHaveLength(3);
    expect(out.slice(-3)).toEqual(['└───────┴───────────┴────────────┘', '… 1 more row: --limit 0 for all, or --format csv', 'a note']);
    expect(renderTable(table(rows, 4), { color: false })).not.toContain('more row');
  });
});
