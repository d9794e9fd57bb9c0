/**
 * A Microsoft Teams message: one Adaptive Card in a `message` activity, the shape that Workflows webhooks
 * ("When a Teams webhook request is received") and the older incoming-webhook connectors both accept.
 * Only Adaptive Card 1.2 elements: TextBlock, FactSet and Action.OpenUrl.
 */
import type { Alert } from './alert.js';

export function teamsPayload(a: Alert): Record<string, unknown> {
  const body: Record<string, unknown>[] = [
    {
      type: 'TextBlock',
      text: a.title,
      weight: 'Bolder',
      size: 'Medium',
      color: a.event === 'tripped' ? 'Attention' : 'Good',
      wrap: true,
    },
    { type: 'TextBlock', text: a.summary, wrap: true },
  ];
  for (const item of a.items) {
    body.push({
      type: 'TextBlock',
      text: `${item.title}${item.isNew && a.event === 'tripped' ? ' (new)' : ''}`,
      weight: 'Bolder',
      wrap: true,
      spacing: 'Medium',
    });
    body.push({ type: 'FactSet', facts: item.facts.map((f) => ({ title: f.label, value: f.value })) });
    if (item.drivers.length > 0)
      body.push({ type: 'TextBlock', text: `Top drivers: ${item.drivers.join(' · ')}`, wrap: true, isSubtle: true, size: 'Small' });
  }
  body.push({
    type: 'TextBlock',
    text: `llmcost ${a.command} · ${a.at.slice(0, 16).replace('T', ' ')} UTC`,
    isSubtle: true,
    size: 'Small',
    wrap: true,
  });
  const card: Record<string, unknown> = {
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    type: 'AdaptiveCard',
    version: '1.2',
    body,
  };
  if (a.link) card.actions = [{ type: 'Action.OpenUrl', title: 'View the job run', url: a.link }];
  return {
    type: 'message',
    attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', contentUrl: null, content: card }],
  };
}
