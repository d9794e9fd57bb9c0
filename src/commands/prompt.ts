/** `llmcost prompt`: one prompt through Amazon Bedrock, the answer, and exactly what it cost. */
import type { Command } from 'commander';
import type { Context } from '../core/context.js';
import { addDbOption, type CommonFlags, choiceOption, intOption, numberOption } from './options.js';

export interface PromptFlags extends CommonFlags {
  model?: string;
  file?: string;
  system?: string;
  maxTokens?: number;
  temperature?: number;
  region?: string;
  profile?: string;
  estimate?: boolean;
  force?: boolean;
  record?: boolean;
  stream?: boolean;
  listModels?: boolean;
  user?: string;
  guard?: 'exceeded' | 'breaker' | 'warning';
}

export function registerPrompt(program: Command, ctx: Context, run: (fn: () => Promise<number>) => Promise<void>): void {
  const cmd = program
    .command('prompt')
    .description('send one prompt through Amazon Bedrock; print the answer, its tokens and its exact cost, and record it')
    .argument('[prompt]', 'the prompt (else --file, else standard input)')
    .option('--model <model>', 'Bedrock model id, inference-profile id or ARN, or an alias (see --list-models)', 'claude-3-haiku')
    .option('--file <path>', 'read the prompt from a file')
    .option('--system <text>', 'system prompt')
    .option('--max-tokens <n>', 'largest answer, in tokens', intOption(1), 1024)
    .option('--temperature <t>', 'sampling temperature', numberOption(0, 2))
    .option('--region <region>', 'AWS region (default: AWS_REGION, AWS_DEFAULT_REGION, AWS_REGION_NAME, or us-east-1)')
    .option('--profile <name>', 'AWS profile from ~/.aws (credentials come from the SDK provider chain)')
    .option('--estimate', 'print the expected cost range and send nothing')
    .option('--force', 'send even when a budget guard for this usage holds')
    .addOption(
      choiceOption(
        '--guard <level>',
        'what stops the call: an exceeded budget; breaker: also an open circuit breaker (limits); warning: also a warning threshold (warnAt) or pace',
        ['exceeded', 'breaker', 'warning'],
        (v) => v.toLowerCase(),
      ).default('exceeded'),
    )
    .option('--no-record', 'leave the database untouched')
    .option('--stream', 'stream the answer (default when stdout is a terminal)')
    .option('--no-stream', 'wait for the whole answer')
    .option('--user <name>', 'user to record the call under (default: the OS user)')
    .option('--list-models', 'list the model aliases with their prices')
    .option('--json', 'print a JSON object with the answer, usage, cost and model');
  addDbOption(cmd);
  cmd.addHelpText(
    'after',
    `
The prompt text is never stored. Errors: no credentials / access denied / throttling exit 4, an unknown model or
a request Bedrock rejects exits 2, a model with no price exits 3, a budget guard that holds exits 1 (unless --force).
--model takes any spelling \`llmcost prices\` resolves (claude-3-sonnet), mapped to its Bedrock model id.

Examples:
  llmcost prompt "Summarize this in one line: ..." --model claude-3-haiku
  llmcost prompt --file question.txt --model us.anthropic.claude-sonnet-4-5-20250929-v1:0 --json
  llmcost prompt "Hi" --model nova-lite --estimate
  llmcost prompt "Hi" --model claude-3-sonnet --guard warning
  llmcost prompt "Hi" --guard breaker`,
  );
  cmd.action((prompt: string | undefined, flags: PromptFlags) =>
    run(async () => (await import('./prompt-run.js')).promptCommand(prompt, flags, ctx)),
  );
}
