import { describe, expect, it } from 'vitest';
import { calculatorCsvTable, moneyJson } from './calculator-common.js';

describe('moneyJson', () => {
  it('turns every float …Usd figure into integer …Nanos (half-up) and an exact …Usd decimal, at any depth', () => {
    expect(
      moneyJson({ monthlyCostUsd: 913.14, phases: [{ savingsUsd: 0.0000000005, share: 0.5 }], gpuHourlyUsd: null, kind: 'x' }),
    ).toEqual({
      monthlyCostNanos: 913_140_000_000n,
      monthlyCostUsd: '913.140000000',
      phases: [{ savingsNanos: 1n, savingsUsd: '0.000000001', share: 0.5 }],
      gpuHourlyNanos: null,
      gpuHourlyUsd: null,
      kind: 'x',
    });
  });
});

describe('calculatorCsvTable', () => {
  it('flattens the payload into field,value rows of data, text formula-guarded', () => {
    const t = calculatorCsvTable(moneyJson({ a: { costUsd: 1.5 }, list: [2], basis: '=1+1', none: null }));
    expect(t.rows).toEqual([
      { field: 'a.costNanos', value: '1500000000' },
      { field: 'a.costUsd', value: '1.500000000' },
      { field: 'list.0', value: '2' },
      { field: 'basis', value: "'=1+1" },
      { field: 'none', value: '' },
    ]);
  });
});
