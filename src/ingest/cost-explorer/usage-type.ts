/**
 * Reads what a Bedrock usage type says (shared/FORMATS.md §3): billing region, model, token kind and the
 * unit of its usage amount. What it cannot read is left undefined, never guessed.
 *
 * - legacy  `USE1-Claude3Haiku-input-tokens`, `USW2-Claude4.5Haiku-cache-read-input-token-count-cross-region-global`
 *           (amounts in 1K tokens)
 * - mantle  `USE1-openai.gpt-oss-120b-mantle-input-tokens-standard` (1K tokens)
 * - Marketplace `USE1-MP:USE1_InputTokenCount-Units`, `USE1-MP:USE1_input_tokens_global_standard-Units`
 *           (millions of tokens; the model comes from the service name)
 */

export type TokenKind = 'input' | 'output' | 'cache-read' | 'cache-write';

export interface UsageTypeInfo {
  regionCode?: string;
  region?: string;
  model?: string;
  kind?: TokenKind;
  /** Tokens per unit of the usage amount. */
  tokensPerUnit?: number;
  batch: boolean;
  global: boolean;
}

/** Billing region codes used as usage-type prefixes. */
const REGIONS: Record<string, string> = {
  USE1: 'us-east-1',
  USE2: 'us-east-2',
  USW1: 'us-west-1',
  USW2: 'us-west-2',
  CAN1: 'ca-central-1',
  EUC1: 'eu-central-1',
  EUC2: 'eu-central-2',
  EUW1: 'eu-west-1',
  EUW2: 'eu-west-2',
  EUW3: 'eu-west-3',
  EUN1: 'eu-north-1',
  EUS1: 'eu-south-1',
  APN1: 'ap-northeast-1',
  APN2: 'ap-northeast-2',
  APN3: 'ap-northeast-3',
  APS1: 'ap-southeast-1',
  APS2: 'ap-southeast-2',
  APS3: 'ap-south-1',
  SAE1: 'sa-east-1',
  UGW1: 'us-gov-west-1',
  UGE1: 'us-gov-east-1',
};

/** Token kind from a usage type; cache-read/cache-write are matched before input (substring trap). */
function kindOf(text: string): TokenKind | undefined {
  const t = text.toLowerCase();
  if (/cache-?read|cacheread/.test(t)) return 'cache-read';
  if (/cache-?write|cachewrite/.test(t)) return 'cache-write';
  if (/output|outputtoken/.test(t)) return 'output';
  if (/input|inputtoken/.test(t)) return 'input';
  return undefined;
}

/** "Claude3Haiku" → "claude-3-haiku", "Claude4.5Haiku" → "claude-haiku-4-5", "NovaPro" → "nova-pro". */
function legacyModelName(name: string): string {
  const claude = /^Claude(\d+(?:\.\d+)?)(Haiku|Sonnet|Opus)$/i.exec(name);
  if (claude) {
    const version = (claude[1] ?? '').replace('.', '-');
    const family = (claude[2] ?? '').toLowerCase();
    // From Claude 4 on the family comes first in model ids (claude-sonnet-4-5); before it, the version.
    return Number.parseFloat(claude[1] ?? '0') >= 4 ? `claude-${family}-${version}` : `claude-${version}-${family}`;
  }
  return name
    .replace(/([a-z])([A-Z0-9])/g, '$1-$2')
    .replace(/([0-9])([A-Z])/g, '$1-$2')
    .replace(/\./g, '-')
    .toLowerCase();
}

export function parseUsageType(usageType: string): UsageTypeInfo {
  const info: UsageTypeInfo = { batch: /batch/i.test(usageType), global: /global/i.test(usageType) };
  const m = /^([A-Z]{3}\d)-(.+)$/.exec(usageType);
  const rest = m ? (m[2] ?? '') : usageType;
  if (m?.[1]) {
    info.regionCode = m[1];
    const region = REGIONS[m[1]];
    if (region) info.region = region;
  }
  const kind = kindOf(rest);
  if (kind) info.kind = kind;
  if (rest.startsWith('MP:')) {
    // Marketplace (Anthropic and others): the unit is millions of tokens; the model is in the service name.
    info.tokensPerUnit = 1_000_000;
    return info;
  }
  const mantle = /^([a-z0-9-]+\.[a-z0-9.-]+?)-mantle-/.exec(rest);
  if (mantle?.[1]) {
    info.model = mantle[1].replace(/^[a-z0-9-]+\./, '');
    info.tokensPerUnit = 1000;
    return info;
  }
  const legacy = /^(.+?)-(?:text-)?(?:input|output|cache)/i.exec(rest);
  if (legacy?.[1] && kind) {
    info.model = legacyModelName(legacy[1]);
    info.tokensPerUnit = 1000;
  }
  return info;
}

/** "Claude Opus 4.5 (Amazon Bedrock Edition)" → "claude-opus-4-5"; "Claude 3.5 Sonnet (…)" → "claude-3-5-sonnet". */
export function modelFromService(service: string): string | undefined {
  const m = /^(.+?)\s*\(Amazon Bedrock Edition\)$/i.exec(service.trim());
  if (!m?.[1]) return undefined;
  return m[1]
    .replace(/\(.*?\)/g, '')
    .trim()
    .toLowerCase()
    .replace(/\./g, '-')
    .replace(/\s+/g, '-');
}

/** The token columns of a billing line: its usage amount, in tokens, under the kind its usage type names. */
export function billedTokens(info: UsageTypeInfo, quantity: number) {
  const tokens = info.kind && info.tokensPerUnit && Number.isFinite(quantity) ? Math.round(quantity * info.tokensPerUnit) : 0;
  return {
    inputTokens: info.kind === 'input' ? tokens : 0,
    outputTokens: info.kind === 'output' ? tokens : 0,
    cacheReadTokens: info.kind === 'cache-read' ? tokens : 0,
    cacheWriteTokens: info.kind === 'cache-write' ? tokens : 0,
    cacheWrite1hTokens: 0,
  };
}
