import { isAbsolute, resolve } from 'node:path';
import { ArxError } from '../../core/errors.js';
import type { Db } from '../../store/repo-support.js';
import { SchedulesRepo } from '../../store/schedules-repo.js';
import { builtinWorkflow, findBuiltinWorkflow } from '../../workflows/library/index.js';
import type { Workflow } from '../../workflows/sdk/define.js';
import { loadWorkflowFromPath } from '../../workflows/sdk/load.js';

/** Where a registered workflow's code is: shipped with Arx, or a folder/file on this machine. */
export const BUILTIN_SOURCE = 'builtin';

/** A path, not a name: `./x`, `../x`, `/x`, `x/y`. */
export function looksLikePath(ref: string): boolean {
  return ref.startsWith('.') || ref.includes('/') || ref.includes('\\') || isAbsolute(ref);
}

/**
 * Resolves how arx.yaml names a workflow (`wiz-finding-distribution`, or `./workflows/my-sweep` relative to
 * the file) to the workflow and the source to store.
 * @example const { workflow, source } = await resolveWorkflowRef('./my-sweep', dirname(configFile));
 */
export async function resolveWorkflowRef(
  ref: string,
  baseDir: string,
): Promise<{ workflow: Workflow; source: string }> {
  if (!looksLikePath(ref)) return { workflow: builtinWorkflow(ref), source: BUILTIN_SOURCE };
  const path = resolve(baseDir, ref);
  return { workflow: await loadWorkflowFromPath(path), source: path };
}

/** Loads a workflow from a stored source, checking it still carries the registered name. */
export async function loadFromSource(name: string, source: string): Promise<Workflow> {
  const workflow = source === BUILTIN_SOURCE ? builtinWorkflow(name) : await loadWorkflowFromPath(source);
  if (workflow.name !== name) {
    throw new ArxError(
      'workflow_renamed',
      `${source} now defines the workflow "${workflow.name}", but it was registered as "${name}"`,
      { fault: 'caller', hint: 'register it again: arx register --config arx.yaml' },
    );
  }
  return workflow;
}

/**
 * What serve and workers execute runs with: a run names its workflow; a registered workflow loads from its
 * stored source, an unregistered one (a run started with `arx run <built-in>`) from the library. Loaded
 * workflows are cached by source, so a path workflow is compiled once per process.
 */
export class WorkflowResolver {
  private readonly cache = new Map<string, Promise<Workflow>>();
  constructor(private readonly db: Db) {}

  async resolve(name: string): Promise<Workflow | undefined> {
    const registration = await new SchedulesRepo(this.db).registration(name);
    const source = registration?.source ?? (findBuiltinWorkflow(name) ? BUILTIN_SOURCE : undefined);
    if (!source) return undefined;
    const key = `${source}\u0000${name}`;
    let loading = this.cache.get(key);
    if (!loading) {
      loading = loadFromSource(name, source);
      loading.catch(() => this.cache.delete(key));
      this.cache.set(key, loading);
    }
    return loading;
  }
}
