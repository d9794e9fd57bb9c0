/**
 * Model-name normalization, so that `bedrock/anthropic.claude-3-haiku-20240307-v1:0`,
 * `us.anthropic.claude-3-haiku-20240307-v1:0`, `anthropic.claude-3-haiku-20240307-v1:0` and
 * `claude-3-haiku-20240307` all report as the model `claude-3-haiku-20240307`.
 */

const BEDROCK_VENDORS =
  'anthropic|amazon|meta|mistral|cohere|ai21|deepseek|qwen|openai|google|writer|nvidia|minimax|moonshot|moonshotai|twelvelabs|stability|luma|zai';
const GEO = 'us|eu|apac|au|jp|us-gov|ca|global|in|ap';
const REGION_RE = /^[a-z]{2}(?:-gov)?-[a-z]+-\d$/;
const VENDOR_RE = new RegExp(`^(?:(?:${GEO})\\.)?(?:${BEDROCK_VENDORS})\\.`);
const GATEWAY_PREFIXES = new Set([
  'openai',
  'anthropic',
  'azure',
  'azure_ai',
  'gemini',
  'vertex_ai',
  'vertex_ai_beta',
  'google',
  'models',
  'bedrock',
  'bedrock_converse',
  'converse',
  'invoke',
  'mistral',
  'groq',
  'deepseek',
  'xai',
  'together_ai',
  'fireworks_ai',
  'cohere',
  'cohere_chat',
  'text-completion-openai',
]);

export type BedrockRoute = 'global' | 'geo' | 'in_region';

export interface ParsedModel {
  /** Normalized name used for reports. */
  model: string;
  /** The id with wrappers (gateway prefixes, ARNs) removed but vendor and geo prefix kept, for price matching. */
  priceKey: string;
  /** True when the id is a Bedrock id (vendor prefix, bedrock/ wrapper or Bedrock ARN). */
  bedrock: boolean;
  route?: BedrockRoute;
  /** Region named inside the id (`bedrock/eu-west-1/...`, ARN), when present. */
  region?: string;
  /** Provider named by a gateway prefix such as `openai/` or `gemini/`. */
  prefixProvider?: string;
}

export function parseModel(raw: string): ParsedModel {
  let s = raw.trim().toLowerCase();
  let bedrock = false;
  let region: string | undefined;
  let prefixProvider: string | undefined;
  const arn = /^arn:aws(?:-[a-z]+)?:bedrock:([a-z0-9-]*):\d*:(?:[a-z-]+)\/(.+)$/.exec(s);
  if (arn) {
    bedrock = true;
    if (arn[1]) region = arn[1];
    s = arn[2] ?? s;
  }
  // Gateway prefixes: "bedrock/eu-west-1/…", "bedrock/converse/…", "openai/gpt-4o", "vertex_ai/gemini-…".
  for (;;) {
    const slash = s.indexOf('/');
    if (slash <= 0) break;
    const head = s.slice(0, slash);
    if (REGION_RE.test(head)) {
      region ??= head;
    } else if (/^\d+-month-commitment$/.test(head)) {
      // Provisioned-throughput key form; the model follows.
    } else if (GATEWAY_PREFIXES.has(head)) {
      if (head.startsWith('bedrock') || head === 'converse' || head === 'invoke') bedrock = true;
      else prefixProvider ??= head;
    } else break;
    s = s.slice(slash + 1);
  }
  const priceKey = s;
  let route: BedrockRoute | undefined;
  const vendor = VENDOR_RE.exec(s);
  if (vendor) {
    bedrock = true;
    const geo = /^([a-z-]+)\.[a-z0-9-]+\./.exec(s)?.[1];
    route = geo && new RegExp(`^(?:${GEO})$`).test(geo) ? (geo === 'global' ? 'global' : 'geo') : 'in_region';
    s = s.slice(vendor[0].length);
    // Bedrock version suffixes: "-v1:0", "-v2:0", ":0".
    s = s.replace(/-v\d+(?::\d+)?$/, '').replace(/:\d+$/, '');
  } else if (bedrock) {
    route = 'in_region';
  }
  const out: ParsedModel = { model: s, priceKey, bedrock };
  if (route) out.route = route;
  if (region) out.region = region;
  if (prefixProvider) out.prefixProvider = prefixProvider;
  return out;
}

/** Maps provider names seen in logs and CSVs to catalog provider ids. */
export function canonicalProvider(name: string | undefined): string | undefined {
  if (!name) return undefined;
  const n = name.trim().toLowerCase();
  if (n === '') return undefined;
  if (/^(bedrock|bedrock_converse|bedrock_mantle|aws|amazon|amazon[ -]bedrock|aws[ -]bedrock)$/.test(n)) return 'aws';
  // LiteLLM also names Vertex routes vertex_ai-language-models, vertex_ai-anthropic_models, ...
  if (/^(gemini|google|vertex|vertex_ai(?:[-_][a-z_-]+)?|google[ -]ai|google[ -]vertex(?:[ -]ai)?)$/.test(n)) return 'google';
  if (/^(azure|azure_ai|azure[ -]openai)$/.test(n)) return 'azure';
  if (n === 'xai' || n === 'x-ai' || n === 'grok') return 'x-ai';
  if (n === 'together_ai') return 'together';
  if (n === 'fireworks_ai') return 'fireworks';
  if (n === 'openai' || n === 'text-completion-openai') return 'openai';
  return n;
}
