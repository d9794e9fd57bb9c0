/** OpenAI's organization Usage API (usage lines) and Costs API (the bill), read with an admin key. */
import { orgUsageSource } from '../org-usage/command.js';

export const openaiUsageSource = orgUsageSource({
  id: 'openai-usage',
  description: 'OpenAI organization usage (Usage API: completions, embeddings) and its bill (Costs API), with OPENAI_ADMIN_KEY',
  keyEnv: 'OPENAI_ADMIN_KEY',
  endpointEnv: 'LLMCOST_OPENAI_ENDPOINT_URL',
  defaultEndpoint: 'https://api.openai.com',
  help: `
Needs OPENAI_ADMIN_KEY: an admin key (sk-admin-…) from Organization settings → Admin keys. The key is sent only to
the endpoint URL, never printed or stored. Reads daily buckets (UTC) of /v1/organization/usage/completions and
/embeddings grouped by project, user, API key, model, batch and service tier: one line per group and day
(requests = num_model_requests; cached input, cache writes and batch priced at their rates), priced by the catalog.
/v1/organization/costs grouped by line item and project is stored as billing rows (source openai-costs), so
\`llmcost reconcile --provider openai\` compares computed with billed. Re-reading a day replaces its lines only
where they changed; today's bucket is still growing and is read only with --include-today.
Examples:
  llmcost ingest openai-usage --since 2026-10-01
  llmcost ingest openai-usage                      # from the last stored day to yesterday
  llmcost ingest openai-usage --since 2026-10-01 --dry-run`,
});
