#!/usr/bin/env node
// Generates fixtures/demo/usage.csv: a deterministic (seeded) demo data set of daily aggregated
// usage lines. 61 days, 24 users in 4 teams, 8 models across Bedrock / OpenAI / Anthropic / Google
// (and one self-hosted model the catalog cannot price), weekday/weekend rhythm, a heavy-tailed user
// distribution, slow growth, and three planted spikes. Re-running it writes the same bytes.
import { writeFileSync } from 'node:fs';

let seed = 20260901;
// mulberry32: small, fast, deterministic.
function rand() {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = (list) => list[Math.floor(rand() * list.length)];
const noise = (spread) => 1 + (rand() * 2 - 1) * spread;

const teams = ['search', 'support', 'research', 'platform'];
const first = [
  'alice',
  'bob',
  'carol',
  'dave',
  'erin',
  'frank',
  'grace',
  'heidi',
  'ivan',
  'judy',
  'mallory',
  'niaj',
  'olivia',
  'peggy',
  'rupert',
  'sybil',
  'trent',
  'victor',
  'walter',
  'xena',
  'yara',
  'zoe',
  'quinn',
  'uma',
];
const models = {
  search: [
    ['openai', 'gpt-4o-mini', '/search/rerank'],
    ['aws', 'us.anthropic.claude-sonnet-4-5-20250929-v1:0', '/search/answer'],
  ],
  support: [
    ['anthropic', 'claude-3-5-haiku-20241022', '/support/triage'],
    ['openai', 'gpt-4o', '/support/reply'],
  ],
  research: [
    ['anthropic', 'claude-3-opus-20240229', '/research/analyze'],
    ['google', 'gemini-1.5-pro', '/research/long-context'],
    ['self-hosted', 'acme-llama-3-70b-ft', '/research/eval'],
  ],
  platform: [
    ['aws', 'amazon.nova-lite-v1:0', '/platform/classify'],
    ['aws', 'meta.llama3-70b-instruct-v1:0', '/platform/summarize'],
  ],
};
// Heavy tail: user i gets weight 1/(i+1)^1.1 (Zipf-like), so a few users dominate spend.
const users = first.map((name, i) => ({ name, team: teams[i % teams.length], weight: 1 / (i + 1) ** 1.1 }));

const start = Date.UTC(2026, 8, 1); // 2026-09-01
const days = 61;
const rows = [
  [
    'date',
    'user',
    'team',
    'provider',
    'model',
    'endpoint',
    'requests',
    'input_tokens',
    'output_tokens',
    'cache_read_tokens',
    'cache_write_tokens',
  ],
];
for (let d = 0; d < days; d++) {
  const date = new Date(start + d * 86_400_000);
  const iso = date.toISOString().slice(0, 10);
  const weekday = date.getUTCDay();
  const weekend = weekday === 0 || weekday === 6;
  const growth = 1 + 0.004 * d;
  for (const u of users) {
    if (weekend && rand() < 0.3) continue;
    const options = models[u.team];
    const used = options.filter(
      (_, i) =>
        i === 0 ||
        rand() < (weekend ? 0.5 : 0.92) ||
        (u.name === 'uma' && iso >= '2026-10-27') ||
        (u.name === 'erin' && iso === '2026-10-14'),
    );
    for (const [provider, model, endpoint] of used) {
      let requests = Math.max(1, Math.round(900 * u.weight * growth * (weekend ? 0.3 : 1) * noise(0.25)));
      // Planted anomalies: a research batch job, a runaway agent loop, and a new heavy spender.
      if (iso === '2026-09-22' && u.team === 'research' && model === 'gemini-1.5-pro') requests *= 6;
      if (iso === '2026-10-14' && u.name === 'erin' && endpoint === '/search/answer') requests += 6000;
      if (iso >= '2026-10-27' && u.name === 'uma' && endpoint === '/platform/summarize') requests += 6000;
      const inPer = endpoint.includes('long-context')
        ? 24_000
        : endpoint.includes('answer') || endpoint.includes('analyze')
          ? 3_500
          : 1_200;
      const outPer = endpoint.includes('reply') || endpoint.includes('answer') ? 450 : 180;
      const input = Math.round(requests * inPer * noise(0.15));
      const output = Math.round(requests * outPer * noise(0.2));
      const cacheable = provider === 'anthropic' || model.includes('anthropic');
      const cacheRead = cacheable ? Math.round(input * 0.35 * noise(0.3)) : 0;
      const cacheWrite = cacheable ? Math.round(input * 0.05 * noise(0.3)) : 0;
      rows.push([`${iso}T12:00:00Z`, u.name, u.team, provider, model, endpoint, requests, input, output, cacheRead, cacheWrite]);
    }
  }
}
void pick;
writeFileSync(new URL('../fixtures/demo/usage.csv', import.meta.url), `${rows.map((r) => r.join(',')).join('\n')}\n`);
console.log(`wrote ${rows.length - 1} rows`);
