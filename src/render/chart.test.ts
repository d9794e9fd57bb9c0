import { describe, expect, it } from 'vitest';
import { columnChart, periodPoints, sparkline } from './chart.js';

describe('sparkline', () => {
  it('scales from 0 to the largest value: ▁ for nothing, █ for the most', () => {
    expect(sparkline([0, 1, 2, 3, 4, 5, 6, 7])).toBe('▁▂▃▄▅▆▇█');
    expect(sparkline([10n, 0n, 5n, -3n])).toBe('█▁▅▁');
    expect(sparkline([0, 0])).toBe('▁▁');
    expect(sparkline([])).toBe('');
  });
});

describe('columnChart', () => {
  const day = (d: number, usd: number) => ({ label: `2026-10-0${d}`, valueNanos: BigInt(usd * 1e9) });

  it('draws one bar and a gap per period in eighths of a row, the largest amount on the axis, the ends under it when they fit', () => {
    const out = columnChart([day(1, 4), day(2, 1), day(3, 0), day(4, 2)], { title: 'Cost per day', width: 80, height: 4, color: false });
    expect(out).toBe(
      ['Cost per day', '$4.00 ┤█', '      │█', '      │█     █', '      │█ █   █', '   $0 └────────', '       10-01'].join('\n'),
    );
  });

  it('draws the latest periods that fit, one column each, and says so', () => {
    const points = Array.from({ length: 30 }, (_, i) => ({
      label: `2026-10-${String(i + 1).padStart(2, '0')}`,
      valueNanos: BigInt(i) * 100_000_000n,
    }));
    const lines = columnChart(points, { title: 'Cost per day', width: 30, height: 2, color: false }).split('\n');
    expect(lines).toEqual([
      'Cost per day (last 23 of 30)',
      '$2.90 ┤         ▁▁▂▂▃▄▄▅▅▆▆▇▇█',
      '      │▄▄▅▆▆▇▇████████████████',
      `   $0 └${'─'.repeat(23)}`,
      '       2026-10-08   2026-10-30',
    ]);
  });

  it('an all-zero series has an empty plot', () => {
    expect(columnChart([day(1, 0)], { title: 'T', width: 40, height: 1, color: false })).toBe(
      ['T', '$0.00 ┤', '   $0 └──', '       10-01'].join('\n'),
    );
  });
});

describe('periodPoints', () => {
  it('sums the rows of each period, in order', () => {
    expect(
      periodPoints([
        { period: '2026-10-01', costNanos: 1n },
        { period: '2026-10-01', costNanos: 2n },
        { period: '2026-10-02', costNanos: 5n },
      ]),
    ).toEqual([
      { label: '2026-10-01', valueNanos: 3n },
      { label: '2026-10-02', valueNanos: 5n },
    ]);
  });
});
