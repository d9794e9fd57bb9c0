/**
 * AWS SDK errors → what the user can do about them, with the exit code: 4 when the remote side failed
 * (credentials, access, throttling, network), 2 when the request itself was wrong. One place for every AWS command.
 */
import { ExitCode, UserError } from '../lib/errors.js';

export type CostExplorerOperation = 'GetDimensionValues' | 'GetCostAndUsage';

/** An SDK error's name, message and HTTP status (when the service answered). */
function awsErrorParts(err: unknown): { name: string; message: string; status: number | undefined } {
  const e = err as Error & { name?: string; $metadata?: { httpStatusCode?: number } };
  return { name: e.name ?? '', message: e.message ?? String(err), status: e.$metadata?.httpStatusCode };
}

function noCredentials(message: string): UserError {
  return new UserError(`No AWS credentials: ${message}`, {
    exitCode: ExitCode.Remote,
    hint: 'Set AWS_PROFILE (or --profile), AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or sign in with aws sso login.',
  });
}

export function explainCostExplorerError(err: unknown, operation: CostExplorerOperation): UserError {
  const { name, message, status } = awsErrorParts(err);
  if (name === 'CredentialsProviderError' || /Could not load credentials/i.test(message)) return noCredentials(message);
  if (name === 'SyntaxError' || /Deserialization error/i.test(message)) {
    // A proxy, captive portal or wrong endpoint answered with a page (often HTML) instead of Cost Explorer's JSON.
    const skip =
      operation === 'GetDimensionValues' ? 'To skip this discovery call, name the services: --service "Amazon Bedrock" (repeatable). ' : '';
    return new UserError(
      `Cost Explorer ${operation} failed: the endpoint answered${status ? ` HTTP ${status}` : ''} with a body that is not JSON (${message.split('\n')[0]}).`,
      {
        exitCode: ExitCode.Remote,
        hint: `${skip}Check that AWS_ENDPOINT_URL_COST_EXPLORER (if set), any HTTPS_PROXY and --region reach Cost Explorer, then retry.`,
      },
    );
  }
  if (name === 'AccessDeniedException') {
    return new UserError(`Access denied by Cost Explorer (${operation}): ${message}`, {
      exitCode: ExitCode.Remote,
      hint: 'Grant ce:GetCostAndUsage and ce:GetDimensionValues to this principal (in the payer account for consolidated billing).',
    });
  }
  if (name === 'DataUnavailableException') {
    return new UserError(`Cost Explorer has no data for this account: ${message}`, {
      exitCode: ExitCode.Remote,
      hint: 'Enable Cost Explorer in the Billing console; data appears within 24 hours.',
    });
  }
  if (name === 'LimitExceededException' || name === 'ThrottlingException') {
    return new UserError(`Cost Explorer throttled ${operation} after retries: ${message}`, {
      exitCode: ExitCode.Remote,
      hint: 'Retry later.',
    });
  }
  if (name === 'BillExpirationException' || /historical data|beyond/i.test(message)) {
    return new UserError(`Cost Explorer cannot return this range: ${message}`, {
      hint: 'Cost Explorer keeps 14 months (HOURLY: 14 days); narrow --since.',
    });
  }
  return new UserError(`Cost Explorer ${operation} failed (${name || 'error'}${status ? `, HTTP ${status}` : ''}): ${message}`, {
    exitCode: ExitCode.Remote,
  });
}

/** Bedrock runtime errors of `llmcost prompt`. */
export function explainBedrockError(err: unknown, modelId: string, region: string): UserError {
  const { name, message } = awsErrorParts(err);
  if (name === 'CredentialsProviderError' || /Could not load credentials|credential/i.test(message)) return noCredentials(message);
  if (name === 'AccessDeniedException') {
    return new UserError(`Access denied for ${modelId} in ${region}: ${message}`, {
      exitCode: ExitCode.Remote,
      hint: 'Grant model access in the Bedrock console (Model access) for this region, and bedrock:InvokeModel to your principal.',
    });
  }
  if (name === 'ResourceNotFoundException') {
    return new UserError(`Bedrock does not know the model ${modelId} in ${region}: ${message}`, {
      hint: 'See llmcost prompt --list-models, or check the id in the Bedrock console.',
    });
  }
  if (name === 'ValidationException')
    return new UserError(`Bedrock rejected the request: ${message}`, {
      hint: 'Check --model, --max-tokens and --temperature for this model.',
    });
  if (name === 'ThrottlingException' || name === 'ServiceQuotaExceededException') {
    return new UserError(`Bedrock throttled the request after retries: ${message}`, {
      exitCode: ExitCode.Remote,
      hint: 'Retry later, or request a higher quota.',
    });
  }
  return new UserError(`Bedrock call failed (${name || 'error'}): ${message}`, { exitCode: ExitCode.Remote });
}
