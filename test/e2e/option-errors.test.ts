// Bad flag values are usage errors (exit 2) that name the flag and what it accepts, before anything runs.
import { afterAll, describe, expect, it } from 'vitest';
import { json, sandbox } from '../helpers/cli.js';

const sb = sandbox();
afterAll(() => sb.dispose());

const usage = (option: string, value: string, expected: string): string =>
  `error: option '${option}' argument '${value}' is invalid. ${expected}\n(run with --help for usage)\n`;

describe('option values', () => {
  it.each([
    [['pareto', '--top', 'abc'], usage('--top <n>', 'abc', 'Expected a whole number of at least 1.')],
    [['pareto', '--top', '0'], usage('--top <n>', '0', 'Expected a whole number of at least 1.')],
    [['pareto', '--top', '2.5'], usage('--top <n>', '2.5', 'Expected a whole number of at least 1.')],
    [
      ['pareto', '--by', 'colour'],
      usage(
        '--by <dimension>',
        'colour',
        'Allowed choices are user, team, model, provider, endpoint, api-key, source, region, customer, tag:KEY.',
      ),
    ],
    [['anomalies', '--granularity', 'weekly'], usage('--granularity <g>', 'weekly', 'Allowed choices are daily, hourly.')],
    [['anomalies', '--method', 'magic'], usage('--method <m>', 'magic', 'Allowed choices are robust, stddev.')],
    [['anomalies', '--fail-on', 'sometimes'], usage('--fail-on <severity>', 'sometimes', 'Allowed choices are warning, critical.')],
    [['anomalies', '--window', '1'], usage('--window <n>', '1', 'Expected a number of at least 2.')],
    [['anomalies', '--sensitivity', 'high'], usage('--sensitivity <k>', 'high', 'Expected a number of at least 0.1.')],
    [['report', '--basis', 'invoice'], usage('--basis <basis>', 'invoice', 'Allowed choices are usage, billed.')],
    [['budget', 'check', '--fail-on', 'never'], usage('--fail-on <level>', 'never', 'Allowed choices are exceeded, forecast, warning.')],
    [
      ['budget', 'check', '--max-unpriced', '150%'],
      usage('--max-unpriced <share>', '150%', 'Expected a share from 0 (0%) to 1 (100%), e.g. 0.05 or 5%.'),
    ],
    [['budget', 'check', '--max-age', 'week'], usage('--max-age <span>', 'week', 'Expected a span such as 12h or 2d.')],
    [['reconcile', '--threshold', 'five'], usage('--threshold <pct>', 'five', 'Expected a share from 0 (0%) or more, e.g. 0.05 or 5%.')],
    [
      ['ingest', 'cost-explorer', '--granularity', 'weekly'],
      usage('--granularity <g>', 'weekly', 'Allowed choices are DAILY, HOURLY, MONTHLY.'),
    ],
    [
      ['ingest', 'cost-explorer', '--metric', 'Cost'],
      usage('--metric <m>', 'Cost', 'Allowed choices are UnblendedCost, AmortizedCost, NetUnblendedCost, BlendedCost, NetAmortizedCost.'),
    ],
    [['compare-selfhost', '--pricing', 'free'], usage('--pricing <kind>', 'free', 'Allowed choices are on-demand, reserved.')],
    [['compare-selfhost', '--model-size', '13b'], usage('--model-size <class>', '13b', 'Allowed choices are 8b, 70b.')],
    [
      ['compare-selfhost', '--utilization', '2'],
      usage('--utilization <share>', '2', 'Expected a share from 0.01 (1%) to 1 (100%), e.g. 0.05 or 5%.'),
    ],
    [['compare-selfhost', '--overhead', '-5'], usage('--overhead <usd>', '-5', 'Expected a number of at least 0.')],
    [['roadmap', '--target', '100%'], usage('--target <share>', '100%', 'Expected a share from 0.01 (1%) to 0.99 (99%), e.g. 0.05 or 5%.')],
    [['unit-cost', '--revenue', 'lots'], usage('--revenue <usd>', 'lots', 'Expected a number of at least 0.')],
    [['prompt', '--max-tokens', '0', 'hi'], usage('--max-tokens <n>', '0', 'Expected a whole number of at least 1.')],
    [['prompt', '--temperature', '3', 'hi'], usage('--temperature <t>', '3', 'Expected a number from 0 to 2.')],
  ])('%j is a usage error', (args, stderr) => {
    const r = sb.run(args);
    expect(r).toEqual({ status: 2, stdout: '', stderr });
  });

  it('--json and --format csv disagree', () => {
    expect(sb.run(['report', '--json', '--format', 'csv'])).toEqual({
      status: 2,
      stdout: '',
      stderr: 'llmcost: --json and --format csv disagree.\n  Give one of them.\n',
    });
    expect(sb.run(['demo', '--format', 'table', '--json']).status).toBe(2);
  });

  it('keeps the spellings it accepted before', () => {
    const dry = sb.run([
      'ingest',
      'cost-explorer',
      '--dry-run',
      '--granularity',
      'monthly',
      '--since',
      '2026-09-01',
      '--until',
      '2026-09-30',
    ]);
    expect(dry.status).toBe(0);
    expect(json<{ requests: { Granularity: string }[] }>(dry).requests[0]?.Granularity).toBe('MONTHLY');
    // --json with --format json agrees.
    expect(sb.run(['ingest', 'cost-explorer', '--dry-run', '--json', '--format', 'json']).status).toBe(0);
  });
});
