/** The description of an organization usage API that the shared run (commands/org-usage-run.ts) drives. */
import type { UsageRecord } from '../types.js';
import type { BucketPage } from './lines.js';

/** One paginated GET: its path (after the endpoint URL) and query, without the page cursor. */
export interface PlannedRequest {
  /** usage: aggregated usage lines; cost: billing lines. */
  kind: 'usage' | 'cost';
  path: string;
  query: [string, string][];
}

export interface OrgApi {
  /** The source of the usage lines (`ingest <source>`); billing lines are stored as `billingSource`. */
  source: string;
  billingSource: string;
  provider: string;
  name: string;
  /** The environment variable that holds the admin key, and what kind of key it is. */
  keyEnv: string;
  keyKind: string;
  /** The environment variable that overrides the endpoint URL, and the real one. */
  endpointEnv: string;
  defaultEndpoint: string;
  /** The request headers; `key` is a placeholder in --dry-run. */
  headers(key: string): Record<string, string>;
  /** The requests for the UTC days [since, until) (epoch ms at midnight). */
  requests(since: number, until: number): PlannedRequest[];
  /** A page's buckets and cursor. */
  buckets(body: unknown, where: string): BucketPage;
  /** A page's lines. */
  lines(req: PlannedRequest, page: BucketPage, where: string): { records: UsageRecord[]; otherCurrency: number };
}

/** Days in [since, until), at most `max` (the APIs' bucket limit per page). */
export const pageLimit = (since: number, until: number, max: number): string =>
  String(Math.max(1, Math.min(max, Math.round((until - since) / 86_400_000))));
