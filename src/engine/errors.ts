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

/**
 * The run asked for an approval and must not hold the store while a person decides (the embedded store has
 * one owning process, so `arx approvals approve` could not even open it). The run is parked as `waiting`;
 * the next `arx run` of the workflow resumes it, and the gate finds the decision by the call's key.
 */
export class RunParked extends ArxError {
  readonly approvalId: string;
  readonly operation: string;
  constructor(approvalId: string, operation: string, workflow: string) {
    super('run_waiting', `waiting for approval ${approvalId} of ${operation}`, {
      fault: 'caller',
      retryable: true,
      hint: `an approver runs: arx approvals approve ${approvalId} --as <name>; then run \`arx run ${workflow}\` again to continue`,
    });
    this.name = 'RunParked';
    this.approvalId = approvalId;
    this.operation = operation;
  }
}

export function isRunParked(err: unknown): err is RunParked {
  return err instanceof RunParked;
}

/** Errors that end the run rather than one item of a `ctx.each` loop. */
export function endsTheRun(err: unknown): boolean {
  return isRunStopped(err) || isRunInterrupted(err) || isRunParked(err);
}
