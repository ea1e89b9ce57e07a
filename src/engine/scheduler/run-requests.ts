import { randomUUID } from 'node:crypto';
import type { Clock } from '../../core/clock.js';
import { ArxError } from '../../core/errors.js';
import type { Db } from '../../store/repo-support.js';
import { type RunRecord, RunsRepo } from '../../store/runs-repo.js';
import { SchedulesRepo } from '../../store/schedules-repo.js';
import { RUN_STATUSES } from '../../store/statuses.js';
import type { Workflow } from '../../workflows/sdk/define.js';
import { resolveOptions } from '../../workflows/sdk/options.js';
import { runParams } from '../engine.js';
import type { WorkflowResolver } from './workflow-source.js';

/**
 * A run asked for by a schedule or a person becomes a `queued` run row holding the workflow and its
 * resolved options, then a queue job naming the row. Options are resolved when the run is asked for, from
 * the registration (arx.yaml `workflows.<name>` as registered) and this process's environment.
 */
export interface RunTrigger {
  kind: 'schedule' | 'manual';
  /** The schedule's name, or who asked. */
  by: string;
  /** The occurrence a schedule fired for. */
  fireAt?: string;
}

export interface PreparedRun {
  workflow: Workflow;
  options: unknown;
}

/** The registered workflow `name` with its options resolved; fails with the fix when it cannot run. */
export async function prepareRegisteredRun(
  db: Db,
  workflows: WorkflowResolver,
  name: string,
  env: NodeJS.ProcessEnv,
): Promise<PreparedRun> {
  const registration = await new SchedulesRepo(db).registration(name);
  if (!registration) {
    throw new ArxError('workflow_not_registered', `the workflow ${name} is not registered`, {
      fault: 'caller',
      hint: 'register it first: arx register --config arx.yaml',
    });
  }
  const workflow = await workflows.resolve(name);
  if (!workflow) throw new ArxError('workflow_unavailable', `cannot load the workflow ${name}`);
  return { workflow, options: resolveOptions(workflow, registration.options, env) };
}

/** Creates the queued run row (inside the caller's transaction when `db` is one). */
export async function createQueuedRun(
  db: Db,
  clock: Clock,
  prepared: PreparedRun,
  trigger: RunTrigger,
  id: string = randomUUID(),
): Promise<RunRecord> {
  return new RunsRepo(db, clock).create({
    id,
    workflow: prepared.workflow.name,
    status: RUN_STATUSES.queued,
    params: {
      ...runParams({ options: prepared.options, requestedBy: `${trigger.kind}:${trigger.by}` }),
      trigger: { ...trigger },
    },
  });
}
