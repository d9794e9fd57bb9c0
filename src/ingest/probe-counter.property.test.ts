import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ProbeCounter } from './probe-counter.js';

describe('ProbeCounter (properties)', () => {
  it('counts like a Map, through collisions and growth, from any power-of-two capacity', () => {
    const key = fc.oneof(
      fc.integer({ min: 0, max: 40 }), // few distinct keys: many repeats
      fc.integer({ min: 0, max: 2 ** 48 - 1 }), // the full 48-bit range
      fc
        .integer({ min: 0, max: 9 })
        .map((k) => k * 2 ** 16), // same low bits: every key probes the same slot
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.array(key, { maxLength: 400 }), (log2, keys) => {
        const counter = new ProbeCounter(2 ** log2);
        const map = new Map<number, number>();
        for (const k of keys) {
          const seen = map.get(k) ?? 0;
          expect(counter.next(k)).toBe(seen);
          map.set(k, seen + 1);
        }
      }),
    );
  });
});
