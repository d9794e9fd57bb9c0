// Labeled cost scenarios for the anomaly and forecast evaluations: an org of 30 users with a heavy-tailed
// spend distribution, a working-day/weekend rhythm, org growth and per-user drift, lognormal noise of
// 10-30 %, some users who skip days, one model per user; 120 days (day 0 is a Monday), the last 30 scored.
// Each scenario plants one kind of event (or two close together, or none: a quiet control) with a known
// first day, last day and culprit.
import { rng } from './lib.mjs';

export const DAYS = 120;
export const START = 90;
export const MODELS = ['gpt-4o', 'claude-sonnet', 'gpt-4o-mini', 'gemini-flash'];
export const PRICIER = 'claude-opus';
export const KINDS = ['spike-weekday', 'spike-weekend', 'new', 'level-shift', 'two-events', 'holiday', 'control'];

export function gaussian(rand) {
  return Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());
}

const isWeekend = (d) => d % 7 >= 5;

/** The org's usual day (no noise) at day d, the size planted events are measured against. */
function expectedTotal(users, d, orgGrowth) {
  return users.reduce((a, u) => a + level(u, d, orgGrowth), 0);
}

function level(u, d, orgGrowth) {
  if (d < u.start) return 0;
  const season = isWeekend(d) ? u.weekend : 1;
  return u.base * season * (1 + (u.growth * d) / 365) * (1 + (orgGrowth * d) / 365) * (u.sparse ? 1 - u.sparse : 1);
}

/**
 * One scenario. Returns { users: [{ name, model }], values: number[user][day], models: Map(model → series),
 * labels: [{ kind, day, end, user }], kind }. `options.days` / `options.users` scale it up for timing.
 */
export function scenario(seed, kind, options = {}) {
  const days = options.days ?? DAYS;
  const nUsers = options.users ?? 30;
  const start = options.start ?? START;
  const rand = rng(seed);
  const orgGrowth = 0.2 + rand() * 0.8; // +20-100 % a year
  const users = Array.from({ length: nUsers }, (_, u) => ({
    name: `user${String(u).padStart(2, '0')}`,
    model: MODELS[Math.floor(rand() * MODELS.length)],
    base: Math.exp(gaussian(rand) * 1.3) * 8, // median $8/day, heavy tail
    weekend: 0.15 + rand() * 0.6,
    growth: -0.2 + rand() * 0.6,
    noise: 0.1 + rand() * 0.2,
    sparse: rand() < 0.25 ? rand() * 0.3 : 0,
    start: 0,
  }));
  const values = users.map((u) =>
    Array.from({ length: days }, (_, d) => {
      if (u.sparse && rand() < u.sparse) return 0;
      return level(u, d, orgGrowth) * Math.exp(gaussian(rand) * u.noise);
    }),
  );
  // The part of a user's spend that moved to the pricier model (level shifts), per user.
  const pricier = users.map(() => new Array(days).fill(0));
  const labels = [];
  const T = (d) => expectedTotal(users, d, orgGrowth);
  const pickDay = (weekend, from = start, to = days) => {
    for (;;) {
      const d = from + Math.floor(rand() * (to - from));
      if (weekend === undefined || isWeekend(d) === weekend) return d;
    }
  };
  const anyUser = () => users[Math.floor(rand() * nUsers)];
  const spike = (d, u) => {
    // +40 % to 10× the org's usual day, log-uniform, all from one user.
    const f = Math.exp(Math.log(0.4) + rand() * (Math.log(10) - Math.log(0.4)));
    values[users.indexOf(u)][d] += f * T(d);
    labels.push({ kind: 'spike', day: d, end: d, user: u.name, size: f });
  };
  const newSpender = (d) => {
    // 5 % to 100 % of the org's usual day; half stop after the first day, half keep spending.
    const s = Math.exp(Math.log(0.05) + rand() * (Math.log(1) - Math.log(0.05)));
    const keeps = rand() < 0.5;
    const name = `new${labels.length}`;
    users.push({ name, model: MODELS[0], base: 0, weekend: 1, growth: 0, noise: 0.2, sparse: 0, start: d });
    values.push(
      Array.from({ length: days }, (_, i) =>
        i === d ? s * T(d) : i > d && keeps ? s * T(d) * (isWeekend(i) ? 0.5 : 1) * Math.exp(gaussian(rand) * 0.2) : 0,
      ),
    );
    pricier.push(new Array(days).fill(0));
    labels.push({ kind: 'new', day: d, end: keeps ? days - 1 : d, user: name, size: s });
  };
  const shift = (d) => {
    // One of the ten largest users moves to a pricier model for 2-5 weeks (or to the end): its level rises
    // by 20-100 % of the org's day.
    const top = [...users].sort((a, b) => b.base - a.base).slice(0, 10);
    const u = top[Math.floor(rand() * top.length)];
    const i = users.indexOf(u);
    const e = 0.2 + rand() * 0.8;
    const end = Math.min(days - 1, d + 14 + Math.floor(rand() * 21));
    const factor = 1 + (e * T(d)) / level(u, d, orgGrowth);
    for (let x = d; x <= end; x++) {
      const extra = values[i][x] * (factor - 1);
      values[i][x] += extra;
      pricier[i][x] = extra;
    }
    labels.push({ kind: 'level-shift', day: d, end, user: u.name, size: e });
  };
  const holiday = (d) => {
    for (const s of values) s[d] *= 0.3;
  };
  if (kind === 'spike-weekday') spike(pickDay(false), anyUser());
  else if (kind === 'spike-weekend') spike(pickDay(true), anyUser());
  else if (kind === 'new') newSpender(pickDay(undefined));
  else if (kind === 'level-shift') shift(pickDay(undefined, start, days - 14));
  else if (kind === 'two-events') {
    const d = pickDay(undefined, start, days - 4);
    const a = anyUser();
    spike(d, a);
    const gap = 1 + Math.floor(rand() * 3);
    if (rand() < 0.5) newSpender(d + gap);
    else {
      let b = anyUser();
      while (b === a) b = anyUser();
      spike(d + gap, b);
    }
  } else if (kind === 'holiday') {
    // Quiet days (a public holiday, a weekday at 30 %): no event to find. A second holiday in the history.
    holiday(pickDay(false));
    holiday(pickDay(false, start - 40, start));
  }
  const models = new Map();
  users.forEach((u, i) => {
    const own = models.get(u.model) ?? new Array(days).fill(0);
    const up = models.get(PRICIER) ?? new Array(days).fill(0);
    for (let d = 0; d < days; d++) {
      own[d] += values[i][d] - pricier[i][d];
      up[d] += pricier[i][d];
    }
    models.set(u.model, own);
    if (pricier[i].some((x) => x > 0)) models.set(PRICIER, up);
  });
  return { kind, users, values, models, labels, days, start };
}

/** Hourly: 30 API keys × 21 days of hours with a diurnal rhythm; one key at 10× its usual rate for 2-6 hours. */
export function hourlyScenario(seed, control = false) {
  const rand = rng(seed);
  const keys = 30;
  const hours = 21 * 24;
  const start = hours - 48; // the CLI's default hourly range: the last 48 hours
  const series = Array.from({ length: keys }, () => {
    const base = Math.exp(gaussian(rand) * 1.2) * 0.5;
    const noise = 0.1 + rand() * 0.2;
    return Array.from({ length: hours }, (_, h) => {
      const hod = h % 24;
      const diurnal = hod >= 8 && hod < 20 ? 1 : 0.2;
      const weekend = Math.floor(h / 24) % 7 >= 5 ? 0.5 : 1;
      return base * diurnal * weekend * Math.exp(gaussian(rand) * noise);
    });
  });
  const labels = [];
  if (!control) {
    // A key large enough that 10× is material: at least $2 of excess in each hour of the loop.
    let k;
    let h;
    const len = 2 + Math.floor(rand() * 5);
    for (;;) {
      k = Math.floor(rand() * keys);
      h = start + Math.floor(rand() * (48 - len));
      if (series[k].slice(h, h + len).every((usual) => usual * 9 >= 2)) break;
    }
    for (let x = h; x < h + len; x++) series[k][x] *= 10;
    labels.push({ kind: 'runaway', day: h, end: h + len - 1, user: `key${k}` });
  }
  const keyNames = series.map((_, k) => `key${k}`);
  return { series, keyNames, labels, hours, start };
}
