import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixture, json, sandbox } from '../helpers/cli.js';

let sb: ReturnType<typeof sandbox>;
beforeEach(() => {
  sb = sandbox();
  sb.run(['ingest', 'csv', fixture('csv', 'basic.csv')]);
});
afterEach(() => sb.dispose());

type Report = { range: { since: string | null; until: string | null }; totals: { requests: number } };
// 2026-10-03T09:30Z is 18:30 in Tokyo and 05:30 in New York (EDT).
const NOW = { LLMCOST_NOW: '2026-10-03T09:30:00Z' };
const report = (args: string[]): Report => {
  const r = sb.run(['report', '--by', 'user', ...args, '--json'], { env: NOW });
  expect(r.stderr).toBe('');
  return json<Report>(r);
};

describe('--since / --until', () => {
  it.each([
    // The first requests are at 09:00Z and 10:00Z on 2026-10-01; --until excludes its instant.
    ['2026-10-01T15:30+05', '2026-10-01T10:30:00.000Z', 2],
    ['2026-10-01T15:00+05:30', '2026-10-01T09:30:00.000Z', 1],
    ['2026-10-01 10:00:00 UTC', '2026-10-01T10:00:00.000Z', 1],
    ['2026-10-01T10:00:00Z', '2026-10-01T10:00:00.000Z', 1],
  ])('reads --until %s as the instant it names, whatever --tz says', (until, iso, requests) => {
    for (const tz of ['UTC', 'Asia/Tokyo', 'America/New_York']) {
      const r = report(['--since', '2026-10-01T00:00Z', '--until', until, '--tz', tz]);
      expect(r.range).toEqual({ since: '2026-10-01T00:00:00.000Z', until: iso });
      expect(r.totals.requests).toBe(requests);
    }
  });

  it('reads 0d as today in --tz: from its start for --since, to its end for --until', () => {
    expect(report(['--since', '0d', '--tz', 'Asia/Tokyo']).range).toEqual({ since: '2026-10-02T15:00:00.000Z', until: null });
    const today = report(['--since', '0d', '--until', '0d', '--tz', 'America/New_York']);
    expect(today.range).toEqual({ since: '2026-10-03T04:00:00.000Z', until: '2026-10-04T04:00:00.000Z' });
    expect(today.totals.requests).toBe(2); // r4 08:00Z and r5 09:00Z
    expect(report(['--since', '1d', '--until', '1d', '--tz', 'UTC']).range).toEqual({
      since: '2026-10-03T00:00:00.000Z',
      until: '2026-10-04T00:00:00.000Z',
    });
    // 0w is today too; 1w is today and the six days before.
    expect(report(['--since', '0w', '--tz', 'UTC']).range.since).toBe('2026-10-03T00:00:00.000Z');
    expect(report(['--since', '1w', '--tz', 'UTC']).range.since).toBe('2026-09-27T00:00:00.000Z');
  });

  it('names the flag and the forms it reads when a value is not a date', () => {
    const r = sb.run(['report', '--since', '2026-10-01T10:00 CET']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('llmcost: --since: cannot read "2026-10-01T10:00 CET" as a date.');
    expect(r.stderr).toContain('with Z or +05:30 to name an instant');
  });
});
