/**
 * What of a record's text is stored (README "What llmcost stores"): key-shaped secrets become a short stable hash,
 * and with --tags-allow only the named tag keys are kept. Applied after the dedupe key is taken, so rows keep the
 * identity they had before (re-ingesting an old file adds nothing).
 */
import { createHash } from 'node:crypto';
import { tagPair } from '../core/tags.js';
import type { UsageRecord } from './types.js';

/**
 * Secrets by shape: OpenAI / Anthropic / LiteLLM keys (`sk-…`, `sk-proj-…`, `sk-ant-…`; short `sk-` values only
 * with a digit, so "sk-learn" stays a name), `Bearer …` headers, AWS access key ids (`AKIA…`, `ASIA…`), Slack
 * tokens (`xoxb-…`), GitHub tokens (`ghp_…`, `github_pat_…`) and Google API keys (`AIza…`).
 */
const SECRET =
  /\b(?:[Bb]earer\s+([A-Za-z0-9._~+/=-]{8,})|sk-(?:[A-Za-z0-9_-]{16,}|(?=[A-Za-z0-9_-]*\d)[A-Za-z0-9_-]{4,})|(?:AKIA|ASIA)[A-Z0-9]{16}\b|xox[abposr]-[A-Za-z0-9-]{10,}|gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{22,}|AIza[0-9A-Za-z_-]{35})/g;

/** The stored form of a secret: `key:sha256:` and 12 hex digits of its hash (the token alone for `Bearer …`). */
export function secretHash(secret: string): string {
  return `key:sha256:${createHash('sha256').update(secret).digest('hex').slice(0, 12)}`;
}

/** `text` with every key-shaped secret replaced by its hash, and how many were replaced. */
export function redactSecrets(text: string): { text: string; count: number } {
  if (!/sk-|earer|AKIA|ASIA|xox|gh[pousr]_|github_pat_|AIza/.test(text)) return { text, count: 0 };
  let count = 0;
  const out = text.replace(SECRET, (match: string, bearer: string | undefined) => {
    count++;
    return secretHash(bearer ?? match);
  });
  return { text: out, count };
}

/**
 * A tag's key: `team:search` → "team", a cloud cost-allocation tag `tag:team=search` → "team"; undefined for a
 * free-text tag without one ("prod", "sidechain").
 */
export function tagKey(tag: string): string | undefined {
  return tagPair(tag).key;
}

/** Tags whose key is allowed; a free-text tag stays only when its whole text is in `allow`. */
export function allowTags(tags: readonly string[], allow: ReadonlySet<string>): string[] {
  return tags.filter((t) => {
    const key = tagKey(t);
    return key === undefined ? allow.has(t) : allow.has(key);
  });
}

const TEXT_KEYS = ['sourceId', 'model', 'provider', 'region', 'user', 'customer', 'team', 'apiKey', 'endpoint', 'status'] as const;

/** The record as stored: secrets hashed in every text field and tag, tags filtered by `tagsAllow`; `r` itself when nothing changes. */
export function storedRecord(r: UsageRecord, tagsAllow: ReadonlySet<string> | undefined): { record: UsageRecord; redacted: number } {
  let redacted = 0;
  let out = r;
  for (const key of TEXT_KEYS) {
    const v = out[key];
    if (v === undefined) continue;
    const x = redactSecrets(v);
    if (x.count > 0) {
      if (out === r) out = { ...r };
      out[key] = x.text;
      redacted += x.count;
    }
  }
  if (r.tags) {
    const kept = tagsAllow ? allowTags(r.tags, tagsAllow) : r.tags;
    let changed = kept.length !== r.tags.length;
    const tags = kept.map((t) => {
      const x = redactSecrets(t);
      redacted += x.count;
      if (x.count > 0) changed = true;
      return x.text;
    });
    if (changed) {
      if (out === r) out = { ...r };
      out.tags = tags;
    }
  }
  return { record: out, redacted };
}
