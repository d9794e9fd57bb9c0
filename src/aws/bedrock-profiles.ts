/**
 * Bedrock application inference profiles (ListInferenceProfiles, typeEquals APPLICATION) and the model each
 * routes to. I/O only; the client is injected so the command builds it lazily.
 */
import type { BedrockClient } from '@aws-sdk/client-bedrock';

export interface ApplicationProfile {
  id: string;
  arn: string;
  name: string;
  status: string | undefined;
  /** The model id llmcost prices the profile's requests as (see profileModel). */
  model: string | undefined;
  /** The foundation-model ARNs the profile routes to (one per region it can run in). */
  modelArns: string[];
}

/** Every application inference profile of the client's region, following nextToken to the end. */
export async function listApplicationProfiles(client: BedrockClient): Promise<ApplicationProfile[]> {
  const sdk = await import('@aws-sdk/client-bedrock');
  const out: ApplicationProfile[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(
      new sdk.ListInferenceProfilesCommand({ typeEquals: 'APPLICATION', maxResults: 100, ...(token ? { nextToken: token } : {}) }),
    );
    for (const s of page.inferenceProfileSummaries ?? []) {
      if (!s.inferenceProfileArn) continue;
      const modelArns = (s.models ?? []).map((m) => m.modelArn).filter((a): a is string => typeof a === 'string');
      out.push({
        id: s.inferenceProfileId ?? s.inferenceProfileArn.slice(s.inferenceProfileArn.lastIndexOf('/') + 1),
        arn: s.inferenceProfileArn,
        name: s.inferenceProfileName ?? '',
        status: s.status,
        model: profileModel(modelArns),
        modelArns,
      });
    }
    token = page.nextToken;
  } while (token);
  return out;
}

/**
 * The model id of a profile's `models[].modelArn` (arn:aws:bedrock:REGION::foundation-model/MODEL). A profile
 * copied from a cross-region profile lists the model in each region it routes to: within one geography it is
 * billed like the in-region id (AWS prices geo and in-region alike), across geographies like a `global.` profile.
 */
export function profileModel(modelArns: string[]): string | undefined {
  const parsed = modelArns
    .map((a) => /^arn:aws[a-z-]*:bedrock:([a-z0-9-]*):\d*:foundation-model\/(.+)$/.exec(a))
    .filter((m): m is RegExpExecArray => m !== null);
  const models = new Set(parsed.map((m) => m[2]));
  const [model] = models;
  if (models.size !== 1 || model === undefined) return undefined;
  const geos = new Set(parsed.map((m) => (m[1] ?? '').replace(/-.*$/, '')));
  return geos.size > 1 ? `global.${model}` : model;
}
