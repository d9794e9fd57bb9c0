/** Anthropic's Usage & Cost Admin API: the messages usage report (usage lines) and the cost report (the bill). */
import { orgUsageSource } from '../org-usage/command.js';

export const anthropicUsageSource = orgUsageSource({
  id: 'anthropic-usage',
  description: 'Anthropic organization usage (usage report: messages) and its bill (cost report), with ANTHROPIC_ADMIN_KEY',
  keyEnv: 'ANTHROPIC_ADMIN_KEY',
  endpointEnv: 'LLMCOST_ANTHROPIC_ENDPOINT_URL',
  defaultEndpoint: 'https://api.anthropic.com',
  help: `
Needs ANTHROPIC_ADMIN_KEY: an Admin API key (sk-ant-admin…) from Console → Settings → Admin keys (organizations
only). The key is sent only to the endpoint URL, never printed or stored. Reads daily buckets (UTC) of
/v1/organizations/usage_report/messages grouped by model, API key, workspace, service tier, context window and
inference geo: one line per group and day, with cache reads and 5-minute and 1-hour cache writes, priced by the
catalog. The report counts no requests: lines have 0 requests and are priced at base rates. The cost report
(amounts in cents) grouped by workspace and description is stored as billing rows (source anthropic-costs), so
\`llmcost reconcile --provider anthropic\` compares computed with billed (Priority Tier is not in the cost report).
Examples:
  llmcost ingest anthropic-usage --since 2026-10-01
  llmcost ingest anthropic-usage --since 2026-10-01 --until 2026-10-07 --dry-run`,
});
