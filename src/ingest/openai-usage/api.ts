/** OpenAI's organization Usage and Costs APIs, as llmcost queries them (openai/openai-openapi, /organization/usage/*, /organization/costs). */
import { type OrgApi, type PlannedRequest, pageLimit } from '../org-usage/api.js';
import { costLines, openaiBuckets, usageLines } from './parse.js';

/** Every grouping each usage endpoint offers: a line per bucket, project, user, key, model (and batch and tier). */
const USAGE: { path: string; kind: 'completions' | 'embeddings'; groupBy: string[] }[] = [
  {
    path: '/v1/organization/usage/completions',
    kind: 'completions',
    groupBy: ['project_id', 'user_id', 'api_key_id', 'model', 'batch', 'service_tier'],
  },
  { path: '/v1/organization/usage/embeddings', kind: 'embeddings', groupBy: ['project_id', 'user_id', 'api_key_id', 'model'] },
];

export const openaiApi: OrgApi = {
  source: 'openai-usage',
  billingSource: 'openai-costs',
  provider: 'openai',
  name: 'OpenAI',
  keyEnv: 'OPENAI_ADMIN_KEY',
  keyKind: 'an OpenAI admin key (sk-admin-…, Organization settings → Admin keys, with read access to usage)',
  endpointEnv: 'LLMCOST_OPENAI_ENDPOINT_URL',
  defaultEndpoint: 'https://api.openai.com',
  headers: (key) => ({ authorization: `Bearer ${key}` }),
  requests(since, until) {
    const range: [string, string][] = [
      ['start_time', String(since / 1000)],
      ['end_time', String(until / 1000)],
      ['bucket_width', '1d'],
    ];
    const usage: PlannedRequest[] = USAGE.map((u) => ({
      kind: 'usage',
      path: u.path,
      query: [...range, ...u.groupBy.map((g): [string, string] => ['group_by', g]), ['limit', pageLimit(since, until, 31)]],
    }));
    const cost: PlannedRequest = {
      kind: 'cost',
      path: '/v1/organization/costs',
      query: [...range, ['group_by', 'line_item'], ['group_by', 'project_id'], ['limit', pageLimit(since, until, 180)]],
    };
    return [...usage, cost];
  },
  buckets: openaiBuckets,
  lines(req, page, where) {
    if (req.kind === 'cost') return costLines(page, where);
    const kind = USAGE.find((u) => u.path === req.path)?.kind ?? 'completions';
    return { records: usageLines(kind, page, where), otherCurrency: 0 };
  },
};
