// Benchmarks for gateway and agent logs: 1,000,000 LiteLLM spend-log records (about 1 KB each) and
// 1,000,000 Claude Code transcript lines; ingest, re-ingest, and a side-by-side with ccusage.
import { execFileSync, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DATA, fmt, llmcost, rng, timeMedian } from './lib.mjs';

const N = Number(process.env.BENCH_ROWS ?? 1_000_000);
const LINES = N;

export async function writeLines(file, count, make) {
  const out = createWriteStream(file);
  let buf = '';
  for (let i = 0; i < count; i++) {
    buf += `${make(i)}\n`;
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await new Promise((r) => out.once('drain', r));
      buf = '';
    }
  }
  out.write(buf);
  await new Promise((r) => out.end(r));
}

async function generateLiteLLM(file) {
  if (existsSync(file)) return;
  await writeLines(file, N, litellmRecords(N));
}

/** A maker of `n` realistic LiteLLM spend-log records (about 1 KB of JSON each), deterministic. */
export function litellmRecords(n) {
  const rand = rng(7);
  const models = [
    ['openai', 'gpt-4o', 'https://api.openai.com/v1'],
    ['openai', 'gpt-4o-mini', 'https://api.openai.com/v1'],
    ['anthropic', 'claude-sonnet-4-5-20250929', 'https://api.anthropic.com'],
    ['bedrock', 'bedrock/us.anthropic.claude-3-5-haiku-20241022-v1:0', 'https://bedrock-runtime.us-west-2.amazonaws.com'],
    ['bedrock', 'bedrock/amazon.nova-lite-v1:0', 'https://bedrock-runtime.us-east-1.amazonaws.com'],
  ];
  const start = Date.UTC(2026, 8, 1);
  const hex = (k) => Array.from({ length: k }, () => Math.floor(rand() * 16).toString(16)).join('');
  const key = hex(64);
  return (i) => {
    const [provider, model, apiBase] = models[Math.floor(rand() * models.length)];
    const u = Math.floor(rand() ** 3 * 300);
    const prompt = 200 + Math.floor(rand() * 6000);
    const cached = Math.floor(prompt * rand() * 0.5);
    const completion = 20 + Math.floor(rand() * 800);
    const t = new Date(start + Math.floor((i / n) * 60 * 86_400_000));
    return JSON.stringify({
      request_id: `chatcmpl-${hex(8)}-${i.toString(16)}`,
      call_type: 'acompletion',
      api_key: key,
      spend: Math.round(prompt * 0.0000025 * 1e9) / 1e9,
      total_tokens: prompt + completion,
      prompt_tokens: prompt,
      completion_tokens: completion,
      startTime: t.toISOString(),
      endTime: new Date(t.getTime() + 1800).toISOString(),
      completionStartTime: new Date(t.getTime() + 400).toISOString(),
      model,
      model_group: model.split('/').pop(),
      model_id: hex(16),
      custom_llm_provider: provider,
      api_base: apiBase,
      user: `user${u}`,
      team_id: `team-${u % 12}`,
      end_user: `customer-${Math.floor(rand() * 5000)}`,
      metadata: {
        user_api_key_alias: `service-${u % 40}`,
        user_api_key_team_alias: `team${u % 12}`,
        user_api_key_team_id: `team-${u % 12}`,
        user_api_key_user_id: `user${u}`,
        user_api_key_request_route: '/chat/completions',
        requester_ip_address: '10.0.0.1',
        user_agent: 'OpenAI/Python 1.51.0',
        spend_logs_metadata: { feature: `feature-${u % 9}`, environment: 'production' },
        usage_object: {
          prompt_tokens: prompt,
          completion_tokens: completion,
          total_tokens: prompt + completion,
          prompt_tokens_details: { cached_tokens: cached },
        },
        applied_guardrails: [],
        attempted_retries: 0,
      },
      cache_hit: 'False',
      cache_key: 'Cache OFF',
      request_tags: [`feature:feature-${u % 9}`, 'env:production'],
      requester_ip_address: '10.0.0.1',
      status: 'success',
    });
  };
}

/** Claude Code layout: HOME/.claude/projects/<project>/<session>.jsonl, compact JSON as Claude Code writes. */
export async function generateClaude(home, N = LINES) {
  const marker = join(home, '.done');
  if (existsSync(marker)) return;
  const rand = rng(11);
  const models = ['claude-sonnet-4-5-20250929', 'claude-opus-4-6', 'claude-haiku-4-5-20251001'];
  const files = 40;
  const perFile = Math.ceil(N / files);
  const start = Date.UTC(2026, 8, 1);
  for (let f = 0; f < files; f++) {
    const dir = join(home, '.claude', 'projects', `-home-dev-project${f % 8}`);
    mkdirSync(dir, { recursive: true });
    const session = `${f.toString(16).padStart(8, '0')}-0000-4000-8000-000000000000`;
    let msg = 0;
    let pending = [];
    await writeLines(join(dir, `${session}.jsonl`), perFile, (i) => {
      const ts = new Date(start + Math.floor(((f * perFile + i) / (files * perFile)) * 60 * 86_400_000)).toISOString();
      if (i % 4 === 0)
        return JSON.stringify({
          parentUuid: null,
          isSidechain: false,
          userType: 'external',
          cwd: `/home/dev/project${f % 8}`,
          sessionId: session,
          version: '2.1.39',
          type: 'user',
          message: { role: 'user', content: 'x' },
          uuid: `u${f}-${i}`,
          timestamp: ts,
        });
      if (pending.length === 0) {
        msg++;
        const usage = {
          input_tokens: 1 + Math.floor(rand() * 50),
          cache_creation_input_tokens: Math.floor(rand() * 20000),
          cache_read_input_tokens: Math.floor(rand() * 80000),
          output_tokens: 1 + Math.floor(rand() * 900),
          service_tier: 'standard',
        };
        const copies = 1 + Math.floor(rand() * 3); // one response is written as 1-3 lines sharing id and usage
        pending = Array.from({ length: copies }, () => ({ id: `msg_${f}_${msg}`, req: `req_${f}_${msg}`, model: models[msg % 3], usage }));
      }
      const p = pending.shift();
      return JSON.stringify({
        parentUuid: null,
        isSidechain: false,
        userType: 'external',
        cwd: `/home/dev/project${f % 8}`,
        sessionId: session,
        version: '2.1.39',
        message: {
          model: p.model,
          id: p.id,
          type: 'message',
          role: 'assistant',
          content: [{ type: 'text', text: 'ok' }],
          stop_reason: null,
          usage: p.usage,
        },
        requestId: p.req,
        type: 'assistant',
        uuid: `a${f}-${i}`,
        timestamp: ts,
      });
    });
  }
  writeFileSync(marker, '');
}

/** Runs ccusage 20.0.24 `daily --offline --json` on HOME's Claude Code logs (installed once under bench/.data/peer). */
export function ccusage(home) {
  const peer = join(DATA, 'peer');
  if (!existsSync(join(peer, 'node_modules', 'ccusage'))) {
    mkdirSync(peer, { recursive: true });
    writeFileSync(join(peer, 'package.json'), '{"name":"peer","private":true}');
    // Pinned per shared/PEERS.md: the last version pair with a linux-x64 binary. Kept out of package.json.
    execFileSync('npm', ['install', '--no-save', '--no-audit', '--no-fund', 'ccusage@20.0.24', '@ccusage/ccusage-linux-x64@20.0.24'], {
      cwd: peer,
      stdio: 'ignore',
    });
  }
  const t0 = process.hrtime.bigint();
  const r = spawnSync(join(peer, 'node_modules', '.bin', 'ccusage'), ['daily', '--offline', '--json'], {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
    env: { ...process.env, HOME: home, CLAUDE_CONFIG_DIR: join(home, '.claude'), TZ: 'UTC' },
  });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`ccusage failed: ${r.stderr}`);
  return { ms, json: JSON.parse(r.stdout) };
}

export async function benchLogs() {
  const rows = [];
  const litellm = join(DATA, `litellm-${N}.jsonl`);
  await generateLiteLLM(litellm);
  const mb = statSync(litellm).size / 1e6;
  const db = join(DATA, 'logs-bench.db');
  for (const s of ['', '-wal', '-shm']) rmSync(db + s, { force: true });
  const first = llmcost(['ingest', 'litellm', litellm, '--db', db, '--json']);
  const skip = llmcost(['ingest', 'litellm', litellm, '--db', db, '--json']);
  const forced = llmcost(['ingest', 'litellm', litellm, '--db', db, '--force', '--json']);
  rows.push(
    [
      'LiteLLM ingest',
      `${fmt(N)} records, ${fmt(mb, 0)} MB (${fmt((mb * 1e6) / N, 0)} B/record)`,
      `${fmt(first.ms / 1000, 2)} s`,
      `${fmt(N / (first.ms / 1000))} records/s`,
      `${fmt(first.rssMiB, 0)} MiB`,
    ],
    ['LiteLLM re-ingest, unchanged file (skipped)', '', `${fmt(skip.ms)} ms`, '', `${fmt(skip.rssMiB, 0)} MiB`],
    [
      'LiteLLM re-ingest --force (all duplicates)',
      '',
      `${fmt(forced.ms / 1000, 2)} s`,
      `${fmt(N / (forced.ms / 1000))} records/s`,
      `${fmt(forced.rssMiB, 0)} MiB`,
    ],
  );

  const home = join(DATA, `claude-home-${N}`);
  await generateClaude(home);
  const cdb = join(DATA, 'claude-bench.db');
  for (const s of ['', '-wal', '-shm']) rmSync(cdb + s, { force: true });
  const projects = join(home, '.claude', 'projects');
  const cIngest = llmcost(['ingest', 'claude-code', projects, '--db', cdb, '--json']);
  const firstReport = llmcost(['report', '--daily', '--tz', 'UTC', '--db', cdb, '--json']);
  const again = llmcost(['ingest', 'claude-code', projects, '--db', cdb, '--json']);
  const repeated = timeMedian(5, () => llmcost(['report', '--daily', '--tz', 'UTC', '--db', cdb, '--json']));
  const peer = ccusage(home);
  const peerAgain = ccusage(home);
  // Agreement: per-day cost and tokens, llmcost (exact nanos) vs ccusage (floats).
  const ours = new Map(JSON.parse(firstReport.stdout).rows.map((r) => [r.period, r]));
  let maxDiff = 0;
  let tokenMismatch = 0;
  for (const d of peer.json.daily) {
    const o = ours.get(d.period ?? d.date);
    if (!o) {
      tokenMismatch++;
      continue;
    }
    maxDiff = Math.max(maxDiff, Math.abs(o.costNanos / 1e9 - d.totalCost));
    if (
      o.inputTokens !== d.inputTokens ||
      o.outputTokens !== d.outputTokens ||
      o.cacheReadTokens !== d.cacheReadTokens ||
      o.cacheWriteTokens !== d.cacheCreationTokens
    )
      tokenMismatch++;
  }
  const ourTotal = JSON.parse(firstReport.stdout).totals.costNanos / 1e9;
  rows.push(
    [
      'Claude Code ingest',
      `${fmt(N)} lines in 40 files`,
      `${fmt(cIngest.ms / 1000, 2)} s`,
      `${fmt(N / (cIngest.ms / 1000))} lines/s`,
      `${fmt(cIngest.rssMiB, 0)} MiB`,
    ],
    ['llmcost first run (ingest + report --daily)', '', `${fmt((cIngest.ms + firstReport.ms) / 1000, 2)} s`, '', ''],
    ['llmcost re-ingest (unchanged files skipped)', '', `${fmt(again.ms)} ms`, '', ''],
    ['llmcost report --daily (repeated)', '', `${fmt(repeated)} ms`, 'median of 5', ''],
    [
      'ccusage daily --offline --json',
      'same files',
      `${fmt(peer.ms / 1000, 2)} s / ${fmt(peerAgain.ms / 1000, 2)} s`,
      'first / second run',
      '',
    ],
    [
      'agreement with ccusage',
      `${peer.json.daily.length} days`,
      `max daily cost difference $${maxDiff.toExponential(2)}`,
      `${tokenMismatch} days with different token counts`,
      `totals: llmcost $${ourTotal.toFixed(6)}, ccusage $${peer.json.totals.totalCost.toFixed(6)}`,
    ],
  );
  return rows;
}
