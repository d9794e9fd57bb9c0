/**
 * The one exit-code table of llmcost (README "Exit codes", `llmcost --help`).
 * 1 means "ran and found something" (a gate tripped); 2 and up mean "could not run".
 */
export const ExitCode = {
  Ok: 0,
  GateTripped: 1,
  Usage: 2,
  Data: 3,
  Remote: 4,
  Internal: 70,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export interface ErrorLocation {
  file?: string;
  line?: number;
  item?: number;
  field?: string;
  fieldKind?: 'column' | 'field';
}

/** An error the user can fix: printed as one message with no stack, mapped to its exit code. */
export class UserError extends Error {
  readonly exitCode: ExitCode;
  readonly hint: string | undefined;
  constructor(message: string, options: { exitCode?: ExitCode; hint?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'UserError';
    this.exitCode = options.exitCode ?? ExitCode.Usage;
    this.hint = options.hint;
  }
}

/** A data problem (no data, stale data, unpriced usage over the limit): exit 3. */
export class DataError extends UserError {
  constructor(message: string, hint?: string) {
    super(message, hint === undefined ? { exitCode: ExitCode.Data } : { exitCode: ExitCode.Data, hint });
    this.name = 'DataError';
  }
}

/** Formats `file:line: field: message` the same way everywhere. */
export function formatLocation(loc: ErrorLocation): string {
  let out = loc.file ?? '';
  if (loc.item !== undefined) out += `${out ? ': ' : ''}record ${loc.item}`;
  else if (loc.line !== undefined) out += `${out ? ':' : 'line '}${loc.line}`;
  if (loc.field !== undefined) out += `${out ? ': ' : ''}${loc.fieldKind ?? 'column'} "${loc.field}"`;
  return out;
}
