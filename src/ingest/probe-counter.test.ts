import { describe, expect, it } from 'vitest';
import { ProbeCounter } from './probe-counter.js';

describe('ProbeCounter', () => {
  it('counts repeats and survives growth', () => {
    const c = new ProbeCounter(4);
    const keys = Array.from({ length: 5000 }, (_, i) => (i * 2_654_435_761) % 2 ** 48);
    for (const k of keys) expect(c.next(k)).toBe(0);
    for (const k of keys) expect(c.next(k)).toBe(1);
    expect(c.next(keys[42] ?? 0)).toBe(2);
    expect(c.next(0)).toBe(2); // key 0 was the first key, seen twice
  });
});
