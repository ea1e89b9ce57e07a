import { ArxError } from '../core/errors.js';
import type { RunsRepo } from '../store/runs-repo.js';
import type { RunState } from './run-state.js';

/** What a finished step stores: its output and the summary counts it added, replayed together. */
interface StoredStep {
  value?: unknown;
  counts?: Record<string, number>;
}

/**
 * `ctx.step`: durable, memoised work. A step that finished in an earlier attempt of the run is not run
 * again: its stored output is returned and the counts it added are added again. The output is kept as
 * JSON, and the first attempt gets the same JSON copy back, so a resumed run sees exactly what a fresh one
 * saw (Dates become strings in both). A dry run memoises nothing.
 */
export class DurableSteps {
  private readonly used = new Set<string>();

  constructor(
    private readonly runs: RunsRepo,
    private readonly runId: string,
    private readonly state: RunState,
    private readonly dryRun: boolean,
  ) {}

  async step<R>(name: string, fn: () => Promise<R>): Promise<R> {
    if (typeof name !== 'string' || name.trim() === '') {
      throw new ArxError('step_name_invalid', 'ctx.step needs a name, e.g. ctx.step("load-team-map", ...)', {
        fault: 'caller',
      });
    }
    if (this.used.has(name)) {
      throw new ArxError(
        'step_name_reused',
        `step "${name}" ran twice in one run: step names must be unique`,
        {
          fault: 'caller',
          hint: 'add what differs to the name, e.g. "tickets:" + the team name',
        },
      );
    }
    this.used.add(name);
    if (this.dryRun) return fn();

    const { replay, step } = await this.runs.beginStep(this.runId, name);
    if (replay) {
      const stored = (step.output ?? {}) as StoredStep;
      this.state.addAll(stored.counts ?? {});
      return stored.value as R;
    }
    try {
      const { value, deltas } = await this.state.capture(fn);
      const stored: StoredStep = JSON.parse(JSON.stringify({ value, counts: deltas }));
      await this.runs.completeStep(this.runId, name, stored);
      return stored.value as R;
    } catch (err) {
      await this.runs.failStep(this.runId, name, err).catch(() => {});
      throw err;
    }
  }
}
