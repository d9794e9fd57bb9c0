/** The --notify options of `budget check` and `anomalies`: declared apart from the notifier, so `--help` loads none of it. */
import type { Command } from 'commander';
import { collect } from './options.js';

export interface NotifyFlags {
  notify?: string[];
  notifyAlways?: boolean;
}

export function addNotifyOptions(cmd: Command): Command {
  return cmd
    .option(
      '--notify <url>',
      'webhook to alert when something trips and when it is resolved: Slack, Teams, or any URL (gets the JSON report); repeatable, replaces the config\'s "notify" targets',
      collect,
    )
    .option('--notify-always', 'notify on every run, also when nothing changed since the last notification');
}
