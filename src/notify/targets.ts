/**
 * Webhook targets: from `--notify URL` (repeatable) or the config's `notify.targets`, with the message format
 * taken from the host unless the config names it. A webhook URL is a secret (its path is the credential), so
 * every message names a target by its redacted form only: scheme and host.
 */
import type { NotifyTargetConfig } from '../lib/config.js';
import { UserError } from '../lib/errors.js';

export type NotifyKind = 'slack' | 'teams' | 'webhook';
export type NotifyCommand = 'budget' | 'anomalies';

export interface Target {
  url: string;
  kind: NotifyKind;
  /** Safe to print: `https://hooks.slack.com/…`. */
  label: string;
}

/** `https://hooks.slack.com/services/T0/B0/XYZ?x=1` → `https://hooks.slack.com/…`: no path, query or user info. */
export function redactUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return '(not a URL)';
  }
  const rest = u.pathname.length > 1 || u.search !== '' || u.hash !== '' ? '/…' : '';
  return `${u.protocol}//${u.host}${rest}`;
}

/** Removes every given URL (and its percent-encoded form) from a text, e.g. an error message of fetch. */
export function scrub(text: string, urls: readonly string[]): string {
  let out = text;
  for (const url of urls) {
    for (const form of new Set([url, encodeURI(url), encodeURIComponent(url)])) {
      if (form !== '') out = out.split(form).join(redactUrl(url));
    }
  }
  return out;
}

/**
 * Slack incoming webhooks live on hooks.slack.com. Teams takes Adaptive Cards from a Workflows webhook
 * (…logic.azure.com, …powerautomate.com, …powerplatform.com) and from the older connectors
 * (…webhook.office.com). Anything else receives the command's JSON.
 */
export function kindOf(url: string): NotifyKind {
  const host = new URL(url).hostname.toLowerCase();
  const under = (domain: string): boolean => host === domain || host.endsWith(`.${domain}`);
  if (under('hooks.slack.com')) return 'slack';
  if (['webhook.office.com', 'logic.azure.com', 'powerautomate.com', 'powerplatform.com'].some(under)) return 'teams';
  return 'webhook';
}

function parseUrl(url: string, where: string): string {
  let u: URL | undefined;
  try {
    u = new URL(url.trim());
  } catch {
    u = undefined;
  }
  if (!u || (u.protocol !== 'https:' && u.protocol !== 'http:') || u.hostname === '') {
    // The value is not echoed: it may be a webhook URL with a typo, which is still a secret.
    throw new UserError(`${where}: expected an http(s) webhook URL (the value is not shown: webhook URLs are secrets).`, {
      hint: 'Give the URL the chat tool created, e.g. https://hooks.slack.com/services/…, quoted in the shell.',
    });
  }
  return u.href;
}

/**
 * The targets of one command: the `--notify` URLs when given (they replace the config's, as flags do), else
 * the config's targets for this command. A config target whose variable is unset is skipped with a note.
 */
export function resolveTargets(
  command: NotifyCommand,
  flagUrls: readonly string[] | undefined,
  config: readonly NotifyTargetConfig[],
  lookup: (name: string) => string | undefined,
  note: (text: string) => void,
): Target[] {
  const make = (url: string, kind: NotifyKind | undefined): Target => ({ url, kind: kind ?? kindOf(url), label: redactUrl(url) });
  if (flagUrls && flagUrls.length > 0) return flagUrls.map((u, i) => make(parseUrl(u, `--notify (#${i + 1})`), undefined));
  const out: Target[] = [];
  for (const t of config) {
    if (t.commands && !t.commands.includes(command)) continue;
    let raw = t.url;
    if (t.urlEnv !== undefined) {
      raw = lookup(t.urlEnv);
      if (raw === undefined) {
        note(`llmcost: notify: ${t.at}: $${t.urlEnv} is not set; that target is skipped.\n`);
        continue;
      }
    }
    if (raw === undefined) continue;
    out.push(make(parseUrl(raw, t.urlEnv ? `$${t.urlEnv} (${t.at}.urlEnv)` : `${t.at}.url`), t.kind));
  }
  return out;
}
