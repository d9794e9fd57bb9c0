import { describe, expect, it } from 'vitest';
import { rateLimits } from './limits.js';

const m = (key: string, minute: number, requests: number, tokens: number) => ({ key, minute, requests, tokens });

describe('rateLimits', () => {
  it('spreads requests and tokens per active minute and suggests the busiest minute plus headroom', () => {
    const rows = [
      m('ci-bot', 100, 2, 1000),
      m('ci-bot', 101, 10, 4000),
      m('ci-bot', 102, 4, 9000),
      m('web', 100, 1, 100),
      // minutes without traffic are not rows: they do not pull p50 down
    ];
    const [ci, web] = rateLimits(rows, 0.5);
    expect(ci).toEqual({
      key: 'ci-bot',
      activeMinutes: 3,
      busiestMinute: '1970-01-01T01:41',
      rpm: { p50: 4, p99: 10, max: 10 },
      tpm: { p50: 4000, p99: 9000, max: 9000 },
      suggested: { rpm_limit: 15, tpm_limit: 13500 },
    });
    expect(web?.suggested).toEqual({ rpm_limit: 2, tpm_limit: 150 });
  });

  it('has no keys without rows', () => {
    expect(rateLimits([], 0.5)).toEqual([]);
  });
});
