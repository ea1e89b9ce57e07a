import type { Command } from 'commander';
import { EXIT, type ExitCode } from './exit-codes.js';
import { reportError } from './output.js';

/**
 * Wraps a command handler: the handler returns an exit code (or nothing for success); thrown errors are
 * reported without a stack trace for user mistakes. Heavy modules are imported inside handlers so that
 * `--help` and store-less commands start fast.
 */
export function action<A extends unknown[]>(
  handler: (...args: A) => Promise<ExitCode | undefined> | ExitCode | undefined,
): (...args: A) => Promise<void> {
  return async (...args: A) => {
    const command = args[args.length - 1] as Command;
    const asJson = Boolean(command?.optsWithGlobals?.().json);
    try {
      const code = await handler(...args);
      process.exitCode = code ?? EXIT.ok;
    } catch (err) {
      process.exitCode = reportError(err, asJson);
    }
  };
}
