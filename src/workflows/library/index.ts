import type { ArxConfig, PolicyRule } from '../../config/schema.js';
import { closest } from '../../config/suggest.js';
import { UsageError } from '../../core/errors.js';
import type { Workflow } from '../sdk/define.js';
import cloudMisconfigRemediation, {
  policy as misconfigPolicy,
} from './cloud-misconfig-remediation/workflow.js';
import criticalVulnEscalation, { policy as escalationPolicy } from './critical-vuln-escalation/workflow.js';
import { withShippedRules } from './shared/policy.js';
import vulnTicketCreation, { policy as vulnTicketPolicy } from './vuln-ticket-creation/workflow.js';
import wizFindingDistribution, { policy as distributionPolicy } from './wiz-finding-distribution/workflow.js';

/**
 * The workflows that ship with Arx, by name: what `arx run <name>` and the scheduler resolve. Each lives in
 * its own folder here (`library/<name>/workflow.ts`) and is added to this list with one line.
 */
export const builtinWorkflows: readonly Workflow[] = [
  // built-in workflows are added here, one line each
  wizFindingDistribution,
  cloudMisconfigRemediation,
  criticalVulnEscalation,
  vulnTicketCreation,
];

/** The policy rules the built-in workflows ship, each scoped to its own workflow (`shared/policy.ts`). */
export const builtinPolicyRules: readonly PolicyRule[] = [
  ...distributionPolicy,
  ...misconfigPolicy,
  ...escalationPolicy,
  ...vulnTicketPolicy,
];

/**
 * The configuration the gate should run with: arx.yaml plus the built-in workflows' shipped rules (a rule
 * arx.yaml defines by the same name wins). What `arx run` and `arx serve` hand to `createGovernance`.
 * @example const governance = createGovernance({ ...options, config: withBuiltinPolicy(config) });
 */
export function withBuiltinPolicy(config: ArxConfig): ArxConfig {
  return withShippedRules(config, builtinPolicyRules);
}

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
