/**
 * A Slack incoming-webhook message in Block Kit: `text` (the notification and fallback line) and `blocks`
 * (header, summary, one section per item with its facts as fields, drivers as context, the job link).
 * Limits kept: 50 blocks, header 150 characters, section text 3000, 10 fields of 2000, 10 context elements.
 */
import type { Alert } from './alert.js';

/** Slack mrkdwn: &, < and > are control characters (links, mentions) and must be escaped. */
const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const cut = (s: string, max: number): string => (s.length <= max ? s : `${s.slice(0, max - 1)}…`);

const ICON: Record<Alert['event'], string> = { tripped: ':rotating_light:', resolved: ':white_check_mark:', ok: ':white_check_mark:' };
/** Items beyond this are counted, not shown: 4 blocks of frame + 2 per item stay under Slack's 50. */
const MAX_ITEMS = 20;

export function slackPayload(a: Alert): { text: string; blocks: Record<string, unknown>[] } {
  const blocks: Record<string, unknown>[] = [
    { type: 'header', text: { type: 'plain_text', text: cut(`${ICON[a.event]} ${a.title}`, 150), emoji: true } },
    { type: 'section', text: { type: 'mrkdwn', text: cut(esc(a.summary), 3000) } },
  ];
  for (const item of a.items.slice(0, MAX_ITEMS)) {
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: cut(`*${esc(item.title)}*${item.isNew && a.event === 'tripped' ? ' (new)' : ''}`, 3000) },
      fields: item.facts.slice(0, 10).map((f) => ({ type: 'mrkdwn', text: cut(`*${esc(f.label)}*\n${esc(f.value)}`, 2000) })),
    });
    if (item.drivers.length > 0)
      blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: cut(`Top drivers: ${esc(item.drivers.join(' · '))}`, 3000) }] });
  }
  if (a.items.length > MAX_ITEMS)
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `…and ${a.items.length - MAX_ITEMS} more (see the job output)` }] });
  const footer = [`llmcost ${a.command}`, a.at.slice(0, 16).replace('T', ' ') + ' UTC'];
  if (a.link) footer.unshift(`<${a.link}|View the job run>`);
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: footer.join(' · ') }] });
  return { text: cut(`${a.title}. ${a.summary}`, 3000), blocks };
}
