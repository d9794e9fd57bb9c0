#!/usr/bin/env node
// `npm run eval:anomalies`: evaluates anomaly detection on seeded, labeled cost series.
// 1,000 users × 365 days with weekly seasonality, growth, noise, sparse small users and a heavy-tailed
// spend distribution; planted spikes (2-10×), level shifts (2-3×), new spenders and runaway hours, each
// with a known date and culprit. Prints precision / recall / F1 per kind and method, how often the top
// root-cause user of a total anomaly is the planted culprit, and the runtime.
import { DEFAULTS, detectSeries, weekendSlot } from '../dist/analysis/anomalies.js';
import { scan } from '../dist/analysis/anomaly-scan.js';
import { rng } from './lib.mjs';

const USERS = 1000;
const DAYS = 365;
const START = 180; // days 0-179 are history only
const SEED = Number(process.env.SEED ?? 2026);

function gaussian(rand) {
  return Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());
}

function generate(seed, USERS = 1000, counts = { spikes: 60, shifts: 20, newSpenders: 30 }) {
  const rand = rng(seed);
  const users = Array.from({ length: USERS }, (_, u) => ({
    name: `user${u}`,
    base: Math.exp(gaussian(rand) * 1.5), // median $1/day, heavy tail
    weekend: 0.2 + rand() * 0.6,
    growth: -0.2 + rand() * 0.8, // per year
    noise: 0.1 + rand() * 0.2,
    sparse: rand() < 0.3 ? rand() * 0.3 : 0, // some small users skip days
    start: 0,
  }));
  const labels = [];
  const big = users.filter((u) => u.base >= 2);
  // New spenders: no history before their first day.
  for (let i = 0; i < counts.newSpenders; i++) {
    const u = users[Math.floor(rand() * USERS)];
    if (u.start) continue;
    u.start = START + 20 + Math.floor(rand() * (DAYS - START - 30));
    u.base = Math.max(u.base, 2 + rand() * 20);
    labels.push({ kind: 'new-spender', user: u.name, day: u.start });
  }
  const values = users.map((u) =>
    Array.from({ length: DAYS }, (_, d) => {
      if (d < u.start) return 0;
      if (u.sparse && rand() < u.sparse) return 0;
      const weekday = d % 7; // day 0 is a Monday
      const season = weekday >= 5 ? u.weekend : 1;
      const trend = 1 + (u.growth * d) / 365;
      return Math.max(0, u.base * season * trend * Math.exp(gaussian(rand) * u.noise));
    }),
  );
  const byName = new Map(users.map((u, i) => [u.name, i]));
  const taken = new Set();
  const pick = (minDay, maxDay) => {
    for (;;) {
      const u = big[Math.floor(rand() * big.length)];
      const day = minDay + Math.floor(rand() * (maxDay - minDay));
      const key = `${u.name}:${day}`;
      if (!taken.has(key) && !taken.has(u.name) && u.start === 0) {
        if (USERS > 100) taken.add(u.name);
        taken.add(key);
        return { u, day };
      }
    }
  };
  for (let i = 0; i < counts.spikes; i++) {
    const { u, day } = pick(START, DAYS);
    const factor = 2 + rand() * 8;
    const series = values[byName.get(u.name)];
    // A spike multiplies the user's *expected* day (a zero day of a sparse user becomes a normal one first).
    const before = series[day] || u.base;
    series[day] = before * factor;
    labels.push({ kind: 'spike', user: u.name, day, excess: series[day] - before, factor });
  }
  for (let i = 0; i < counts.shifts; i++) {
    const { u, day } = pick(START, DAYS - 14);
    const factor = 2 + rand();
    const series = values[byName.get(u.name)];
    for (let d = day; d < DAYS; d++) series[d] *= factor;
    labels.push({ kind: 'sustained-growth', user: u.name, day, factor });
  }
  return { users, values, labels };
}

function evaluate(data, method) {
  const options = { ...DEFAULTS[method] };
  const slot = (i) => weekendSlot(i % 7);
  const findings = [];
  const t0 = performance.now();
  data.users.forEach((u, i) => {
    for (const f of detectSeries(data.values[i], START, options, slot).findings) findings.push({ ...f, user: u.name, day: f.index });
  });
  const entityMs = performance.now() - t0;
  const kinds = ['spike', 'sustained-growth', 'new-spender'];
  const result = {};
  const shiftOf = new Map(data.labels.filter((l) => l.kind === 'sustained-growth').map((l) => [l.user, l.day]));
  for (const kind of kinds) {
    const truth = data.labels.filter((l) => l.kind === kind);
    const found = findings.filter((f) => f.kind === kind);
    const matches = (f, l) =>
      f.user === l.user &&
      (kind === 'sustained-growth'
        ? f.day >= l.day - 2 && f.day <= l.day + 7
        : Math.abs(f.day - l.day) <= (kind === 'new-spender' ? 1 : 0));
    const tp = truth.filter((l) => found.some((f) => matches(f, l))).length;
    // A spike in the 28 days after a planted level shift (before the baseline adapts) is a true anomalous day.
    const explained = (f) => kind === 'spike' && shiftOf.has(f.user) && f.day >= shiftOf.get(f.user) && f.day < shiftOf.get(f.user) + 28;
    const fp = found.filter((f) => !truth.some((l) => matches(f, l)) && !explained(f)).length;
    const precision = tp + fp === 0 ? 1 : tp / (tp + fp);
    const recall = truth.length === 0 ? 1 : tp / truth.length;
    result[kind] = {
      tp,
      fp,
      fn: truth.length - tp,
      precision,
      recall,
      f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall),
    };
  }
  const all = Object.values(result).reduce((a, r) => ({ tp: a.tp + r.tp, fp: a.fp + r.fp, fn: a.fn + r.fn }), { tp: 0, fp: 0, fn: 0 });
  const p = all.tp / Math.max(1, all.tp + all.fp);
  const r = all.tp / Math.max(1, all.tp + all.fn);
  result.all = { ...all, precision: p, recall: r, f1: (2 * p * r) / Math.max(1e-9, p + r) };
  return { result, entityMs };
}

/** Total-series scan with root cause: do the planted spikes that move the total name their culprit? */
function rootCauseAccuracy(method) {
  // A 50-user team, so a planted spike moves the total: is it found, and is its culprit named?
  const data = generate(SEED + 5, 50, { spikes: 20, shifts: 0, newSpenders: 0 });
  const total = Array.from({ length: DAYS }, (_, d) => data.values.reduce((a, s) => a + s[d], 0));
  const userSeries = new Map(data.users.map((u, i) => [u.name, data.values[i]]));
  const t0 = performance.now();
  const res = scan({
    buckets: Array.from({ length: DAYS }, (_, i) => i),
    start: START,
    total,
    drivers: { user: userSeries },
    options: { ...DEFAULTS[method], growthPoints: 0 },
    slotOf: (d) => weekendSlot(d % 7),
  });
  const ms = performance.now() - t0;
  const spikes = data.labels.filter((l) => l.kind === 'spike');
  let detected = 0;
  let named = 0;
  for (const f of res.findings.filter((x) => x.kind === 'spike')) {
    const planted = spikes.filter((l) => l.day === f.index);
    if (planted.length === 0) continue;
    detected++;
    const top = f.drivers?.user?.[0]?.entity;
    if (planted.some((l) => l.user === top)) named++;
  }
  const visible = spikes.filter((l) => l.excess >= 0.15 * (total[l.day] - l.excess)).length;
  return { detected, named, visible, findings: res.findings.length, ms };
}

function hourlyEval(method, seed) {
  // 50 API keys × 30 days of hours, diurnal rhythm; 10 runaway hours (one key burning 20× for an hour).
  const rand = rng(seed + 1);
  const keys = 50;
  const hours = 30 * 24;
  const start = 14 * 24;
  const series = Array.from({ length: keys }, () => {
    const base = Math.exp(gaussian(rand)) * 0.5;
    return Array.from({ length: hours }, (_, h) => {
      const hod = h % 24;
      const diurnal = hod >= 8 && hod < 20 ? 1 : 0.15;
      return base * diurnal * Math.exp(gaussian(rand) * 0.2);
    });
  });
  const labels = [];
  const used = new Set();
  while (labels.length < 10) {
    const k = Math.floor(rand() * keys);
    const h = start + Math.floor(rand() * (hours - start));
    if (used.has(k) || series[k][h] < 0.3) continue;
    used.add(k);
    series[k][h] *= 20;
    labels.push({ key: k, hour: h });
  }
  const options = { ...DEFAULTS[method], window: 168, season: 24, minHistory: 48, growthPoints: 0, minImpact: 1 };
  let tp = 0;
  let fp = 0;
  series.forEach((s, k) => {
    for (const f of detectSeries(s, start, options, (h) => h % 24).findings) {
      if (labels.some((l) => l.key === k && l.hour === f.index)) tp++;
      else fp++;
    }
  });
  const precision = tp + fp === 0 ? 1 : tp / (tp + fp);
  const recall = tp / labels.length;
  return {
    tp,
    fp,
    fn: labels.length - tp,
    precision,
    recall,
    f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall),
  };
}

const data = generate(SEED);
const f = (x) => x.toFixed(3);
console.log(`anomaly evaluation — seed ${SEED}, ${USERS} users × ${DAYS} days (first ${START} days history only)`);
console.log(
  `planted: ${data.labels.filter((l) => l.kind === 'spike').length} spikes (2-10×), ${data.labels.filter((l) => l.kind === 'sustained-growth').length} level shifts (2-3×), ${data.labels.filter((l) => l.kind === 'new-spender').length} new spenders, 10 runaway hours\n`,
);
console.log('| method | kind | TP | FP | FN | precision | recall | F1 |');
console.log('|---|---|---:|---:|---:|---:|---:|---:|');
const timings = {};
for (const method of ['robust', 'stddev']) {
  const { result, entityMs } = evaluate(data, method);
  timings[method] = entityMs;
  for (const [kind, r] of Object.entries(result))
    console.log(`| ${method} | ${kind} | ${r.tp} | ${r.fp} | ${r.fn} | ${f(r.precision)} | ${f(r.recall)} | ${f(r.f1)} |`);
  const h = hourlyEval(method, SEED);
  console.log(`| ${method} | runaway hour (hourly) | ${h.tp} | ${h.fp} | ${h.fn} | ${f(h.precision)} | ${f(h.recall)} | ${f(h.f1)} |`);
}
console.log(
  '\n50-user team, total series with root cause:\n\n| method | planted spikes visible in the total (excess ≥ 15 % of the day) | found on the total | top root-cause user = planted culprit | total-scan time |',
);
console.log('|---|---:|---:|---:|---:|');
for (const method of ['robust', 'stddev']) {
  const rc = rootCauseAccuracy(method);
  console.log(
    `| ${method} | ${rc.visible} | ${rc.detected} | ${rc.named} of ${rc.detected} (${rc.detected ? f(rc.named / rc.detected) : '—'}) | ${rc.ms.toFixed(0)} ms |`,
  );
}
console.log(
  `\nruntime, ${USERS} user series × ${DAYS} days: robust ${timings.robust.toFixed(0)} ms, stddev ${timings.stddev.toFixed(0)} ms`,
);
