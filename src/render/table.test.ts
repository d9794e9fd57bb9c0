import { Chalk } from 'chalk';
import Table from 'cli-table3';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { displayWidth, drawTable, renderTable } from './table.js';
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

describe('drawTable (cli-table3 frame, template body rows)', () => {
  const c = new Chalk({ level: 1 });
  const names = ['東京チーム', 'ana 🙂', 'zoë', '👩‍💻 dev', '🇯🇵 jp', 'ｆｕｌｌ', c.red('red'), 'x'];
  const aligns = ['left', 'right', 'right', 'left'] as const;
  const head = ['Team', 'Requests', 'Cost', 'Note'].map((h) => c.bold(h));
  const rowsOf = (n: number): string[][] =>
    Array.from({ length: n }, (_, i) => [
      `${names[i % names.length]}${i}`,
      (i * 7919).toLocaleString('en-US'),
      `$${(i * 1.37).toFixed(2)}`,
      i % 50 === 0 ? c.green('片仮名カタカナ') : '',
    ]);
  const single = (rows: string[][]): string => {
    const table = new Table({ head, colAligns: [...aligns], style: { head: [], border: [], compact: true } });
    for (const r of rows) table.push(r);
    return table.toString();
  };

  it.each([0, 1, 2, 199, 200, 201, 450])('prints %i rows (and a bold footer) byte for byte as one cli-table3 table', (n) => {
    const rows = rowsOf(n);
    expect(drawTable(head, rows, [...aligns])).toBe(single(rows));
    const withFooter = [...rows, ['Total', '1,234,567', '$12,345.67', ''].map((s) => c.bold(s))];
    expect(drawTable(head, withFooter, [...aligns])).toBe(single(withFooter));
  });

  it('any cells (ASCII, wide, emoji, combining marks, styled) print as cli-table3 prints them', () => {
    const piece = fc.constantFrom(
      'a',
      'Z',
      ' ',
      '9',
      '$',
      ',',
      '.',
      '東',
      'ｆ',
      '🙂',
      '👩‍💻',
      'é',
      'e\u0301',
      '\u200b',
      c.red('r'),
      c.bold('b'),
    );
    const cell = fc.array(piece, { maxLength: 6 }).map((p) => p.join(''));
    fc.assert(
      fc.property(fc.array(fc.tuple(cell, cell, cell, cell), { maxLength: 8 }), (rows) => {
        expect(drawTable(head, rows, [...aligns])).toBe(single(rows));
      }),
    );
  });

  it('a column with nothing in it (an empty head and empty cells) is drawn as cli-table3 draws it', () => {
    const rows = [['a', '', '1', 'x']];
    const empty = new Table({ head: ['A', '', 'C', 'D'], colAligns: [...aligns], style: { head: [], border: [], compact: true } });
    empty.push(rows[0] ?? []);
    expect(drawTable(['A', '', 'C', 'D'], rows, [...aligns])).toBe(empty.toString());
  });

  it('displayWidth is string-width (ASCII by its length)', () => {
    expect(['abc $1,234.56', '', '東京', '🙂', c.red('red'), 'e\u0301'].map(displayWidth)).toEqual([13, 0, 4, 2, 3, 1]);
  });

  it('renderTable keeps the title, the --limit line and the notes around the table', () => {
    const rows = Array.from({ length: 450 }, (_, i) => ({ who: `東${i}`, n: i, cost: BigInt(i) * 1_000_000n }));
    const out = renderTable(table(rows, 401), { color: true });
    const lines = out.split('\n');
    expect(lines[0]).toContain('Spend');
    expect(lines.filter((l) => l.includes('│ 東'))).toHaveLength(401);
    expect(lines.filter((l) => l.startsWith('┌') || l.startsWith('└'))).toHaveLength(2);
    expect(lines.slice(-2).map((l) => l.replace(/\u001b\[[0-9;]*m/g, ''))).toEqual([
      '… 49 more rows: --limit 0 for all, or --format csv',
      'a note',
    ]);
  });
});
