import { ArxError } from '../core/errors.js';

/**
 * The run was stopped from outside: a freeze or suspension (kill switch) at its next write, or its lease
 * taken over. Not retryable by the run itself; the next `arx run` resumes what is left, and the effect
 * ledger keeps finished writes from being repeated.
 */
export class RunStopped extends ArxError {
  constructor(message: string, options: { hint?: string; cause?: unknown } = {}) {
    super('run_stopped', message, { fault: 'caller', retryable: false, ...options });
    this.name = 'RunStopped';
  }
}

export function isRunStopped(err: unknown): err is RunStopped {
  return err instanceof RunStopped;
}

/** The run's own abort signal fired (Ctrl-C, shutdown): the run stays resumable. */
export class RunInterrupted extends ArxError {
  constructor(reason: string) {
    super('run_interrupted', reason, { fault: 'caller', retryable: true });
    this.name = 'RunInterrupted';
  }
}

export function isRunInterrupted(err: unknown): err is RunInterrupted {
  return err instanceof RunInterrupted;
}
