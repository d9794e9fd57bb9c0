/** Amazon Bedrock model invocation logs: S3 delivery (JSON Lines, usually .json.gz) and CloudWatch exports. */
import { jsonItems } from '../records.js';
import type { IngestAdapter, InputFile, ParsedItem } from '../types.js';
import { parseBedrockLog } from './parse.js';

export const bedrockLogAdapter: IngestAdapter = {
  id: 'bedrock-log',
  description: 'Amazon Bedrock model invocation logs (S3 JSON Lines / .json.gz, CloudWatch Logs exports)',
  read: (input: InputFile): AsyncIterable<ParsedItem[]> => jsonItems(input, parseBedrockLog),
};
