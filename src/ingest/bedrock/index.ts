/** Amazon Bedrock model invocation logs: S3 delivery (JSON Lines, usually .json.gz) and CloudWatch exports. */
import { jsonItems } from '../records.js';
import type { IngestAdapter, InputFile, ParsedItem } from '../types.js';
import { parseBedrockLog } from './parse.js';

export const bedrockLogAdapter: IngestAdapter = {
  id: 'bedrock-log',
  description: 'Amazon Bedrock model invocation logs (S3 JSON Lines / .json.gz, CloudWatch Logs exports)',
  read: (input: InputFile): AsyncIterable<ParsedItem[]> => jsonItems(input, parseBedrockLog),
  accepts: (n) => /\.(json|jsonl|ndjson|log)(\.gz)?$|\.gz$/i.test(n),
  detect: (p) => p.json && /"schemaType"\s*:\s*"ModelInvocationLog"|\\"schemaType\\"\s*:\s*\\"ModelInvocationLog\\"/.test(p.text),
  command: {
    description: 'Amazon Bedrock model invocation logs (S3 delivery, JSON Lines / .json.gz; CloudWatch Logs exports)',
    argument: {
      name: '<paths...>',
      description: 'files, directories (e.g. AWSLogs/<account>/BedrockModelInvocationLogs/), or - for stdin',
    },
    help: `
The user is the IAM principal (identity.arn, e.g. assumed-role/Role/session) unless requestMetadata has "user".
Records are priced with the Bedrock price of their model and source region.`,
  },
};
