/** Paginated GetCostAndUsage (I/O only; mapping to rows lives in ingest/cost-explorer). Client injected. */
import type { CostExplorerClient, GetCostAndUsageCommandInput, ResultByTime } from '@aws-sdk/client-cost-explorer';

/** Cost Explorer service names that bill Bedrock: "Amazon Bedrock" and the per-model Marketplace editions. */
export async function bedrockServices(client: CostExplorerClient, start: string, end: string): Promise<string[]> {
  const sdk = await import('@aws-sdk/client-cost-explorer');
  const found = new Set<string>();
  let token: string | undefined;
  do {
    const out = await client.send(
      new sdk.GetDimensionValuesCommand({
        TimePeriod: { Start: start, End: end },
        Dimension: 'SERVICE',
        SearchString: 'Bedrock',
        ...(token ? { NextPageToken: token } : {}),
      }),
    );
    for (const v of out.DimensionValues ?? []) if (v.Value && /bedrock/i.test(v.Value)) found.add(v.Value);
    token = out.NextPageToken;
  } while (token);
  return [...found].sort();
}

/** Every page of GetCostAndUsage, following NextPageToken to the end. */
export async function getCostAndUsage(client: CostExplorerClient, input: GetCostAndUsageCommandInput): Promise<ResultByTime[]> {
  const sdk = await import('@aws-sdk/client-cost-explorer');
  const results: ResultByTime[] = [];
  let token: string | undefined;
  do {
    const out = await client.send(new sdk.GetCostAndUsageCommand({ ...input, ...(token ? { NextPageToken: token } : {}) }));
    results.push(...(out.ResultsByTime ?? []));
    token = out.NextPageToken;
  } while (token);
  return results;
}
