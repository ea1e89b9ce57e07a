import pino, { type Logger } from 'pino';
import { REDACTED, secrets } from '../core/secrets.js';

export type { Logger };

/** Paths pino removes before a line is written; values registered as secrets are scrubbed as well. */
const REDACT_PATHS = [
  '*.password',
  '*.token',
  '*.apiToken',
  '*.api_token',
  '*.clientSecret',
  '*.client_secret',
  '*.secret',
  '*.authorization',
  '*.Authorization',
  '*.headers.authorization',
  '*.headers.Authorization',
  '*.routingKey',
  '*.routing_key',
  'password',
  'token',
  'secret',
  'authorization',
];

export interface LoggerOptions {
  level?: string;
  /** Defaults to stderr so stdout stays clean for `--json` output. */
  destination?: pino.DestinationStream;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const level = options.level ?? process.env.ARX_LOG_LEVEL ?? 'warn';
  return pino(
    {
      level,
      base: undefined,
      redact: { paths: REDACT_PATHS, censor: REDACTED },
      hooks: {
        // Scrub secret values that appear inside free text (messages, error strings).
        logMethod(args, method) {
          const scrubbed = args.map((arg) =>
            typeof arg === 'string' ? secrets.scrub(arg) : secrets.scrubValue(arg),
          ) as typeof args;
          method.apply(this, scrubbed);
        },
      },
    },
    options.destination ?? pino.destination(2),
  );
}

let shared: Logger | undefined;
export function logger(): Logger {
  shared ??= createLogger();
  return shared;
}
