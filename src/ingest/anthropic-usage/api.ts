/** Anthropic's Usage & Cost Admin API, as llmcost queries it (/v1/organizations/usage_report/messages, /v1/organizations/cost_report). */
import { type OrgApi, pageLimit } from '../org-usage/api.js';
import { anthropicBuckets, costLines, usageLines } from './parse.js';

const iso = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z');

export const anthropicApi: OrgApi = {
  source: 'anthropic-usage',
  billingSource: 'anthropic-costs',
  provider: 'anthropic',
  name: 'Anthropic',
  keyEnv: 'ANTHROPIC_ADMIN_KEY',
  keyKind: 'an Anthropic Admin API key (sk-ant-admin…, Console → Settings → Admin keys; organizations only)',
  endpointEnv: 'LLMCOST_ANTHROPIC_ENDPOINT_URL',
  defaultEndpoint: 'https://api.anthropic.com',
  headers: (key) => ({ 'x-api-key': key, 'anthropic-version': '2023-06-01' }),
  requests(since, until) {
    const range: [string, string][] = [
      ['starting_at', iso(since)],
      ['ending_at', iso(until)],
      ['bucket_width', '1d'],
    ];
    // context_window and inference_geo too: a long-context or US-only line is priced apart.
    const usageGroups = ['model', 'api_key_id', 'workspace_id', 'service_tier', 'context_window', 'inference_geo'];
    return [
      {
        kind: 'usage',
        path: '/v1/organizations/usage_report/messages',
        query: [...range, ...usageGroups.map((g): [string, string] => ['group_by[]', g]), ['limit', pageLimit(since, until, 31)]],
      },
      {
        kind: 'cost',
        path: '/v1/organizations/cost_report',
        query: [...range, ['group_by[]', 'workspace_id'], ['group_by[]', 'description'], ['limit', pageLimit(since, until, 31)]],
      },
    ];
  },
  buckets: anthropicBuckets,
  lines(req, page, where) {
    return req.kind === 'cost' ? costLines(page, where) : { records: usageLines(page, where), otherCurrency: 0 };
  },
};
