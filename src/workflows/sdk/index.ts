/**
 * The workflow SDK: what a workflow file imports. A workflow declares itself with `defineWorkflow` and acts
 * only through its `ctx` (the gate, the effect ledger, durable steps, finding queries); it never holds a
 * credential or a connector client.
 *
 * @example
 * import { defineWorkflow, fromEnv, z } from '../sdk/index.js';
 * export default defineWorkflow({ name: 'my-workflow', description: '...', connectors: ['jira'], async run(ctx) {} });
 */
export { z } from 'zod';
export { isPermissionDenied, PermissionDenied } from '../../governance/errors.js';
export type * from './context.js';
export { COUNTER_LABELS, SUMMARY_COUNTERS, type SummaryCounter } from './counters.js';
export {
  defineWorkflow,
  fromEnv,
  isWorkflow,
  type OptionsSchema,
  type Workflow,
  type WorkflowSpec,
} from './define.js';
export { type DryRunResult, isDryRun } from './dry-run.js';
