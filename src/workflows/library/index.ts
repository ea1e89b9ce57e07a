import { closest } from '../../config/suggest.js';
import { UsageError } from '../../core/errors.js';
import type { Workflow } from '../sdk/define.js';

/**
 * The workflows that ship with Arx, by name: what `arx run <name>` and the scheduler resolve. Each lives in
 * its own folder here (`library/<name>/workflow.ts`) and is added to this list with one line.
 */
export const builtinWorkflows: readonly Workflow[] = [
  // built-in workflows are added here, one line each
];

/** A built-in workflow by name, or undefined. */
export function findBuiltinWorkflow(name: string): Workflow | undefined {
  return builtinWorkflows.find((workflow) => workflow.name === name);
}

/**
 * A built-in workflow by name; an unknown name fails with the list and the closest match.
 * @example const workflow = builtinWorkflow('wiz-finding-distribution');
 */
export function builtinWorkflow(name: string): Workflow {
  const found = findBuiltinWorkflow(name);
  if (found) return found;
  const names = builtinWorkflows.map((workflow) => workflow.name);
  const suggestion = closest(name, names);
  throw new UsageError(
    `no built-in workflow named "${name}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`,
    {
      hint: names.length
        ? `built-in workflows: ${names.join(', ')}; or pass the path of a workflow folder, e.g. ./my-workflow`
        : 'pass the path of a workflow folder holding workflow.ts, e.g. ./my-workflow',
    },
  );
}

/**
 * What `arx run WORKFLOW` names: a built-in workflow, or a path (anything with a slash, starting with a
 * dot, or ending in .ts/.js) to a workflow folder or file.
 * @example const workflow = await resolveWorkflow('./workflows/my-sweep');
 */
export async function resolveWorkflow(nameOrPath: string, cwd: string = process.cwd()): Promise<Workflow> {
  const builtin = findBuiltinWorkflow(nameOrPath);
  if (builtin) return builtin;
  if (/[\\/]|^\.|\.(m?[jt]s)$/.test(nameOrPath)) {
    const { loadWorkflowFromPath } = await import('../sdk/load.js');
    return loadWorkflowFromPath(nameOrPath, cwd);
  }
  return builtinWorkflow(nameOrPath);
}
