/**
 * Every error Arx raises on purpose is an ArxError: it says who is at fault and whether a retry can help.
 * The CLI prints `message` (and `hint`) for caller faults and never a stack trace.
 */
export type Fault = 'caller' | 'tool' | 'arx';

export interface ArxErrorOptions {
  fault?: Fault;
  retryable?: boolean;
  hint?: string;
  cause?: unknown;
  details?: Record<string, unknown>;
}

export class ArxError extends Error {
  readonly code: string;
  readonly fault: Fault;
  readonly retryable: boolean;
  readonly hint: string | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: string, message: string, options: ArxErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ArxError';
    this.code = code;
    this.fault = options.fault ?? 'arx';
    this.retryable = options.retryable ?? false;
    this.hint = options.hint;
    this.details = options.details;
  }
}

/** A mistake in how Arx was called (flags, arguments, files): exit code 2. */
export class UsageError extends ArxError {
  constructor(message: string, options: Omit<ArxErrorOptions, 'fault'> = {}) {
    super('usage', message, { ...options, fault: 'caller' });
    this.name = 'UsageError';
  }
}

/** A configuration file or value that cannot be used: exit code 2. `issues` lists every problem found. */
export interface ConfigIssue {
  path: string;
  message: string;
  line?: number;
  column?: number;
  allowed?: string;
  suggestion?: string;
}

export class ConfigError extends ArxError {
  readonly file: string | undefined;
  readonly issues: ConfigIssue[];
  constructor(file: string | undefined, issues: ConfigIssue[]) {
    const where = file ?? 'configuration';
    super('config_invalid', `${where}: ${issues.length} problem${issues.length === 1 ? '' : 's'}`, {
      fault: 'caller',
    });
    this.name = 'ConfigError';
    this.file = file;
    this.issues = issues;
  }
}

export function isArxError(err: unknown): err is ArxError {
  return err instanceof ArxError;
}
