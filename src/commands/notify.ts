/**
 * Alerts where the team is: `budget check` and `anomalies` send what tripped to Slack, Microsoft Teams or any
 * JSON webhook, once when it trips and once when it is resolved (every run with --notify-always). A failed
 * send is said on stderr and never changes the command's exit code.
 */

import type { Context } from '../core/context.js';
import type { Config } from '../lib/config.js';
import { UserError } from '../lib/errors.js';
import { type Alert, type AlertEvent, anomaliesAlert, anomalyKeys, budgetAlert, budgetKeys, type Driver, decide } from '../notify/alert.js';
import { failureText, postJson } from '../notify/send.js';
import { slackPayload } from '../notify/slack.js';
import { readState, statePath, writeState } from '../notify/state.js';
import { type NotifyCommand, resolveTargets, scrub, type Target } from '../notify/targets.js';
import { teamsPayload } from '../notify/teams.js';
import type { AnomaliesJson } from '../render/anomalies.js';
import type { BudgetCheckJson } from '../render/budget.js';
import { visible } from '../render/cells.js';
import { renderJson } from '../render/json.js';
import type { NotifyFlags } from './notify-options.js';
import { dbPathFrom } from './open.js';
import type { CommonFlags } from './options.js';

export interface Notifier {
  /** The budget report as printed, and the top spenders of each budget (read while the database is open). */
  budget(payload: BudgetCheckJson, drivers: Record<string, Driver[]>): void;
  anomalies(payload: AnomaliesJson): void;
  /**
   * Sends what was recorded, if it is news; call after the database is closed. `exitCode` is the command's
   * (anomalies: 3 is a data problem to report; the budget report carries its own). Never throws.
   */
  send(exitCode?: number): Promise<void>;
}

interface Recorded {
  check: string;
  json: unknown;
  keys: (exitCode: number) => string[];
  alert: (event: AlertEvent, previous: readonly string[], exitCode: number) => Alert;
}

/** The notifier of one run, or undefined when no webhook is configured. Bad URLs are usage errors (exit 2). */
export function notifier(command: NotifyCommand, flags: NotifyFlags & CommonFlags, ctx: Context, config: Config): Notifier | undefined {
  const configured = config.notify?.targets ?? [];
  if (flags.notifyAlways && (flags.notify?.length ?? 0) === 0 && configured.length === 0) {
    throw new UserError('--notify-always: there is no webhook to notify.', {
      hint: 'Add --notify URL, or "notify": {"targets": [{"urlEnv": "SLACK_WEBHOOK_URL"}]} to llmcost.config.json.',
    });
  }
  const targets = resolveTargets(command, flags.notify, configured, ctx.env.lookup, ctx.err);
  if (targets.length === 0) return undefined;
  const always = flags.notifyAlways === true || config.notify?.always === true;
  const path = statePath(dbPathFrom(flags, ctx, config));
  const link = ctx.env.githubRunUrl;
  let recorded: Recorded | undefined;
  return {
    budget(payload, drivers) {
      recorded = {
        check: 'budget-check',
        json: payload,
        keys: () => budgetKeys(payload),
        alert: (event, previous) => budgetAlert(payload, { event, previous, drivers, link }),
      };
    },
    anomalies(payload) {
      recorded = {
        check: `anomalies:${payload.granularity}${payload.by ? `:by=${payload.by}` : ''}`,
        json: payload,
        keys: (exitCode) => anomalyKeys(payload, exitCode),
        alert: (event, previous, exitCode) =>
          anomaliesAlert(payload, { event, previous, exitCode, link, at: new Date(ctx.now()).toISOString() }),
      };
    },
    async send(exitCode) {
      if (!recorded) return;
      try {
        await deliver(recorded, exitCode ?? 0, { targets, always, path, ctx });
      } catch (err) {
        ctx.err(
          `llmcost: notify: ${scrub(
            (err as Error).message,
            targets.map((t) => t.url),
          )}; the exit code is unchanged.\n`,
        );
      }
    },
  };
}

function body(t: Target, alert: Alert, json: unknown): string {
  if (t.kind === 'slack') return renderJson(slackPayload(alert));
  if (t.kind === 'teams') return renderJson(teamsPayload(alert));
  // Byte for byte what --json prints.
  return `${renderJson(json)}\n`;
}

async function deliver(
  r: Recorded,
  exitCode: number,
  o: { targets: Target[]; always: boolean; path: string; ctx: Context },
): Promise<void> {
  const { ctx } = o;
  const keys = r.keys(exitCode);
  const previous = readState(o.path, r.check, ctx.err);
  const event = decide(previous, keys, o.always);
  const save = (): void => {
    try {
      writeState(o.path, r.check, keys, new Date(ctx.now()).toISOString());
    } catch (err) {
      ctx.err(
        `llmcost: notify: cannot record the notified state in ${o.path} (${(err as Error).message}); the next run may notify again.\n`,
      );
    }
  };
  if (event === undefined) {
    if (keys.length > 0) ctx.err('llmcost: notify: not sent: the same as at the last notification (--notify-always sends on every run).\n');
    // Something resolved while something else still trips: no message, but the record follows.
    if (previous !== undefined && previous.join('\n') !== keys.join('\n')) save();
    return;
  }
  const alert = r.alert(event, previous ?? [], exitCode);
  const results = await Promise.all(
    o.targets.map((t) =>
      postJson(t.url, body(t, alert, r.json), {
        backoffMs: ctx.env.notifyBackoffMs,
        headers: t.kind === 'webhook' ? { 'x-llmcost-event': event } : {},
      }),
    ),
  );
  let failed = 0;
  for (const [i, res] of results.entries()) {
    const t = o.targets[i];
    if (!t) continue;
    if (res.ok) {
      ctx.err(`llmcost: notify: sent "${event}" to ${t.label} (${t.kind}).\n`);
      continue;
    }
    failed++;
    const line = `llmcost: notify: FAILED to send "${event}" to ${visible(failureText(t.url, res))}; the exit code is unchanged, and the next run sends again.`;
    ctx.err(`${line}\n`);
    if (ctx.env.githubActions) ctx.err(`::warning title=llmcost notify::${line}\n`);
  }
  // Recorded only when every target has it, so a failed target hears of it on the next run.
  if (failed === 0) save();
}
