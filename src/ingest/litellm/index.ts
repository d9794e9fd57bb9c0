/** LiteLLM proxy logs: SpendLogs exports (JSON, JSONL, CSV, /spend/logs) and StandardLoggingPayload files. */
import { UserError } from '../../lib/errors.js';
import { peek } from '../input.js';
import { looksLikeJson } from '../lines.js';
import { csvObjectItems, jsonItems } from '../records.js';
import type { IngestAdapter, InputFile, ParsedItem } from '../types.js';
import { parseLiteLLM } from './parse.js';

async function* read(input: InputFile): AsyncIterable<ParsedItem[]> {
  const { head, input: replay } = await peek(input);
  // A NUL byte is never in JSON or CSV text: an image, an archive, UTF-16. Refused, so no empty run is recorded.
  if (head.includes('\u0000')) {
    throw new UserError(`${input.name}: not a LiteLLM file: binary content.`, {
      hint: 'Give LiteLLM spend logs as JSON, JSON Lines or CSV (UTF-8, .gz read transparently).',
    });
  }
  yield* looksLikeJson(head) ? jsonItems(replay, parseLiteLLM) : csvObjectItems(replay, parseLiteLLM);
}

export const litellmAdapter: IngestAdapter = {
  id: 'litellm',
  description: 'LiteLLM proxy spend logs and StandardLoggingPayload callback logs (JSON, JSONL, CSV, gzip)',
  read,
  // LiteLLM's GCS per-request objects have no extension, so any non-hidden file is read.
  accepts: (n) => !n.startsWith('.'),
  detect: (p) =>
    p.json
      ? (/"request_id"\s*:/.test(p.text) && /"(spend|startTime)"\s*:/.test(p.text)) ||
        /"response_cost"\s*:/.test(p.text) ||
        (/"call_type"\s*:/.test(p.text) && /"startTime"\s*:/.test(p.text))
      : /(^|,)"?request_id"?(,|$)/.test(p.header) && /(^|,)"?spend"?(,|$)/.test(p.header),
  command: {
    description: 'LiteLLM proxy spend logs (LiteLLM_SpendLogs as JSON/JSONL/CSV, /spend/logs) and StandardLoggingPayload logs',
    argument: {
      name: '[paths...]',
      description: 'files (.gz read transparently), directories (S3/GCS bucket layouts), or - for stdin; none with --database-url',
    },
    options: [
      {
        flags: '--database-url <url>',
        description: 'read the proxy’s PostgreSQL instead of files (postgres://…; without paths: LITELLM_DATABASE_URL, else DATABASE_URL)',
      },
      { flags: '--from <table>', description: 'with a database: spend-logs (default), daily (= daily-user), daily-team or daily-tag' },
      { flags: '--overlap <span>', description: 'with a database: re-read this far before the cursor, for rows written late (default 2h)' },
      { flags: '--page-size <rows>', description: 'with a database: rows per query (default 5000)' },
    ],
    help: `
The gateway's own cost (spend / response_cost) is kept as the reported cost; llmcost's computed cost is stored
beside it. prompt_tokens include cached tokens in LiteLLM: the cache counts (metadata.usage_object, else
response.usage) are subtracted so input, cache read and cache write are priced at their own rates. When
prompt_tokens may or may not include cache writes, the reading nearest the logged cost is kept and the computed
cost is marked uncertain. Cache hits cost $0 and count once across spend logs and callback payloads.

From the proxy's PostgreSQL (--database-url, LITELLM_DATABASE_URL or DATABASE_URL; sslmode or PGSSLMODE as libpq
reads them, PGPASSWORD, PGHOST, ~/.pgpass as the pg driver does): "LiteLLM_SpendLogs" in pages ordered by "startTime",
request_id, each in a READ ONLY transaction, with key alias, team alias and user email from the proxy's own
tables where a row lacks them. Incremental: the next run starts at the newest "startTime" read, less --overlap;
--since DATE reads from that day instead. Needs SELECT on the tables read. Examples:
  llmcost ingest litellm --database-url "$DATABASE_URL"
  llmcost ingest litellm --database-url "$DATABASE_URL" --from daily --since 2026-01-01`,
  },
};
