#!/usr/bin/env node
// `npm run eval:forecast`: backtests the month-end forecast (src/analysis/forecast.ts). For every origin
// day d of a month, the forecast is made at the start of day d from the days before it (what
// `llmcost forecast` sees at midnight) and compared with the month's actual total. Prints the MAPE of the
// month-end figure and how often the 80 % and 95 % intervals held the actual total.
//
// Data: the demo data (fixtures/demo, loaded with `llmcost demo`; October 2026, total and per team), and
// the labeled scenarios of bench/scenarios.mjs (30 users, 120 days from Monday 2026-01-05, with their planted
// spikes, new spenders, level shifts and holidays; February to April). INTERVAL_SCALE was calibrated on the
// tuning seeds (SET=tune); the default prints the held-out seeds, which were not used for calibration.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { forecast } from '../dist/analysis/forecast.js';
import { dayNumber, dayNumberToIso } from '../dist/lib/time.js';
import { DATA, ROOT } from './lib.mjs';
import { KINDS, scenario } from './scenarios.mjs';

const SET = process.env.SET ?? 'held-out';
const PER_KIND = Number(process.env.PER_KIND ?? 10);
const BASE_SEED = SET === 'tune' ? 7 : 200_003;
const nanos = (usd) => BigInt(Math.round(usd * 1e9));

/**
 * Backtests one daily series (USD per day, `firstDay` the day number of series[0]) over the calendar months
 * that lie wholly inside it with at least 7 days of history before them. Returns one row per origin.
 */
function backtest(series, firstDay) {
  const rows = [];
  const lastDay = firstDay + series.length - 1;
  for (let day = firstDay; day <= lastDay; day++) {
    const iso = dayNumberToIso(day);
    if (!iso.endsWith('-01')) continue;
    const [y, m] = iso.split('-').map(Number);
    const next = dayNumber(m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`);
    const end = next - 1;
    if (end > lastDay || day - firstDay < 7) continue;
    const actual = series.slice(day - firstDay, end - firstDay + 1).reduce((a, v) => a + v, 0);
    for (let today = day; today <= end; today++) {
      const history = series.slice(0, today - firstDay).map(nanos);
      const spent = series.slice(day - firstDay, today - firstDay).reduce((a, v) => a + nanos(v), 0n);
      const f = forecast({ history, today, todayNanos: 0n, spentNanos: spent, endDay: end });
      const a = nanos(actual);
      rows.push({
        ape: Math.abs(Number(f.forecastNanos - a)) / Number(a),
        in80: a >= f.low80Nanos && a <= f.high80Nanos,
        in95: a >= f.low95Nanos && a <= f.high95Nanos,
        daysLeft: end - today + 1,
      });
    }
  }
  return rows;
}

function summary(name, rows) {
  const pct = (x) => `${(x * 100).toFixed(1)}%`;
  const by = (pred) => rows.filter(pred);
  const mape = (rs) => (rs.length ? pct(rs.reduce((a, r) => a + r.ape, 0) / rs.length) : '—');
  const cov = (rs, k) => (rs.length ? pct(rs.filter((r) => r[k]).length / rs.length) : '—');
  const early = by((r) => r.daysLeft > 20);
  const late = by((r) => r.daysLeft <= 10);
  console.log(
    `| ${name} | ${rows.length} | ${mape(rows)} | ${mape(early)} | ${mape(late)} | ${cov(rows, 'in80')} | ${cov(rows, 'in95')} |`,
  );
  return rows;
}

console.log(`forecast backtest — ${SET} seeds (${BASE_SEED}…): forecast at the start of each day of a month vs the month's actual total\n`);
console.log('| data | forecasts | MAPE | MAPE, > 20 days left | MAPE, ≤ 10 days left | 80 % interval held | 95 % interval held |');
console.log('|---|---:|---:|---:|---:|---:|---:|');

// The demo data, total and per team.
const db = join(DATA, 'eval-forecast-demo.db');
const removeDb = () => {
  for (const f of [db, `${db}-wal`, `${db}-shm`]) rmSync(f, { force: true });
};
removeDb();
execFileSync(process.execPath, [join(ROOT, 'bin', 'llmcost'), 'demo', '--db', db], { stdio: 'ignore', env: { ...process.env, TZ: 'UTC' } });
const report = (by) =>
  JSON.parse(
    execFileSync(
      process.execPath,
      [
        join(ROOT, 'bin', 'llmcost'),
        'report',
        '--db',
        db,
        '--tz',
        'UTC',
        '--since',
        '2026-09-01',
        '--until',
        '2026-10-31',
        '--daily',
        ...by,
        '--json',
      ],
      { encoding: 'utf8', maxBuffer: 1 << 26 },
    ),
  );
const first = dayNumber('2026-09-01');
const dailySeries = (rows, key) => {
  const s = new Array(61).fill(0);
  for (const r of rows) if (key(r) !== undefined) s[dayNumber(r.period) - first] += Number(r.costNanos) / 1e9;
  return s;
};
const demoTotal = summary(
  'demo, total (Oct 2026)',
  backtest(
    dailySeries(report([]).rows, () => ''),
    first,
  ),
);
const teams = report(['--by', 'team']).rows;
const demoTeams = [];
for (const team of new Set(teams.map((r) => r.group.team))) {
  demoTeams.push(
    ...backtest(
      dailySeries(
        teams.filter((r) => r.group.team === team),
        () => team,
      ),
      first,
    ),
  );
}
summary('demo, per team (4 teams)', demoTeams);
removeDb();

// The scenarios: the org total of each.
const all = [];
const scenarioFirst = dayNumber('2026-01-05'); // a Monday, as day 0 of the scenarios
for (const kind of KINDS) {
  const rows = [];
  for (let i = 0; i < PER_KIND; i++) {
    const s = scenario(BASE_SEED + i * 7919 + KINDS.indexOf(kind) * 104_729, kind);
    const total = Array.from({ length: s.days }, (_, d) => s.values.reduce((a, v) => a + v[d], 0));
    rows.push(...backtest(total, scenarioFirst));
  }
  all.push(...summary(`scenarios: ${kind} (${PER_KIND})`, rows));
}
summary('**all scenarios**', all);
summary('**everything**', [...demoTotal, ...demoTeams, ...all]);
