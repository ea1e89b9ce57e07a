import { Cron } from 'croner';
import { z } from 'zod';
import { ArxError } from '../../core/errors.js';
import type { WorkflowContext } from './context.js';

/**
 * A workflow is plain data plus one async function: a name (its principal in policy and audit:
 * `workflow:<name>`), the connectors it acts on, a zod schema of its options, an optional cron schedule, and
 * `run(ctx)`. It is branded with a global symbol so a workflow compiled against another copy of the SDK (a
 * user's folder importing Arx from elsewhere) is still recognised.
 */
const WORKFLOW_BRAND = Symbol.for('arx.workflow/1');

/** Workflow names are principal ids and CLI arguments: lower-case words joined by `-`. */
const WORKFLOW_NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

// biome-ignore lint/suspicious/noExplicitAny: any object schema; its output types the options
export type OptionsSchema = z.ZodObject<any>;

export interface WorkflowSpec<S extends OptionsSchema = OptionsSchema> {
  name: string;
  description: string;
  /** Connectors the workflow acts on (`wiz`, `jira`, ...): what must be configured, or sandboxed. */
  connectors: readonly string[];
  /** Options with defaults; mark environment fallbacks with `fromEnv`. Default: no options. */
  options?: S;
  /** Default cron schedule (`0 *\/4 * * *`) for `arx register`; arx.yaml `schedule` overrides it. */
  schedule?: string;
  run(ctx: WorkflowContext<z.output<S>>): Promise<void>;
}

export interface Workflow<S extends OptionsSchema = OptionsSchema> extends Readonly<WorkflowSpec<S>> {
  readonly options: S;
  readonly [WORKFLOW_BRAND]: true;
}

/**
 * Declares a workflow. Checks the declaration at once, so a mistake surfaces when the file is loaded, not
 * halfway through a run.
 *
 * @example
 * export default defineWorkflow({
 *   name: 'stale-ticket-sweep',
 *   description: 'Close tickets of findings resolved at the source',
 *   connectors: ['jira'],
 *   options: z.object({ project_key: fromEnv('JIRA_PROJECT_KEY', z.string().default('SEC')) }),
 *   schedule: '0 6 * * *',
 *   async run(ctx) {
 *     for await (const finding of ctx.findings.all({ status: 'resolved' })) { ... }
 *   },
 * });
 */
export function defineWorkflow<S extends OptionsSchema = z.ZodObject<Record<string, never>>>(
  spec: WorkflowSpec<S>,
): Workflow<S> {
  const problems = specProblems(spec as WorkflowSpec);
  if (problems.length > 0) {
    const name = typeof spec?.name === 'string' ? spec.name : '(unnamed)';
    throw new ArxError('workflow_invalid', `workflow ${name}: ${problems.join('; ')}`, { fault: 'caller' });
  }
  return Object.freeze({
    ...spec,
    connectors: Object.freeze([...spec.connectors]),
    options: (spec.options ?? z.object({})) as S,
    [WORKFLOW_BRAND]: true as const,
  });
}

/**
 * True for anything `defineWorkflow` returned, from any copy of the SDK.
 * @example if (!isWorkflow(module.default)) throw new Error('not a workflow');
 */
export function isWorkflow(value: unknown): value is Workflow {
  return (
    typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[WORKFLOW_BRAND] === true
  );
}

/**
 * Marks an option as falling back to an environment variable when arx.yaml does not set it (the variable
 * names of the workflow READMEs: `JIRA_PROJECT_KEY`, `SLACK_CHANNEL`). Numbers, booleans, JSON and
 * comma-separated lists are read from the variable's text as the schema needs.
 *
 * @example
 * z.object({
 *   project_key: fromEnv('JIRA_PROJECT_KEY', z.string().default('SEC')),
 *   severities: fromEnv('SEVERITIES', z.array(z.enum(['CRITICAL', 'HIGH'])).default(['CRITICAL', 'HIGH'])),
 * })
 */
export function fromEnv<T extends z.ZodType>(variable: string, schema: T): T {
  return schema.meta({ ...(schema.meta() ?? {}), env: variable }) as T;
}

/**
 * The environment variable `fromEnv` attached to an option's schema (through optional/default wrappers).
 * @example envVariableOf(fromEnv('JIRA_PROJECT_KEY', z.string().default('SEC'))) // 'JIRA_PROJECT_KEY'
 */
export function envVariableOf(schema: z.ZodType): string | undefined {
  let current: z.ZodType | undefined = schema;
  for (let depth = 0; current && depth < 8; depth++) {
    const env = current.meta()?.env;
    if (typeof env === 'string') return env;
    current = (current as unknown as { _zod: { def: { innerType?: z.ZodType } } })._zod.def.innerType;
  }
  return undefined;
}

function specProblems(spec: WorkflowSpec): string[] {
  if (!spec || typeof spec !== 'object')
    return ['expected an object with name, description, connectors and run'];
  const problems: string[] = [];
  if (typeof spec.name !== 'string' || !WORKFLOW_NAME.test(spec.name)) {
    problems.push('name must be lower-case words joined by "-", e.g. "wiz-finding-distribution"');
  }
  if (typeof spec.description !== 'string' || spec.description.trim() === '') {
    problems.push('description must say what the workflow does in one line');
  }
  if (!Array.isArray(spec.connectors) || spec.connectors.some((c) => typeof c !== 'string' || c === '')) {
    problems.push('connectors must list the connector names it acts on, e.g. ["wiz", "jira"]');
  }
  if (typeof spec.run !== 'function') problems.push('run must be an async function run(ctx)');
  if (spec.options !== undefined && !isObjectSchema(spec.options)) {
    problems.push(
      'options must be a zod object schema, e.g. z.object({ project_key: z.string().default("SEC") })',
    );
  }
  if (spec.schedule !== undefined) {
    try {
      new Cron(spec.schedule, { paused: true });
    } catch (err) {
      problems.push(`schedule "${spec.schedule}" is not a cron expression (${(err as Error).message})`);
    }
  }
  return problems;
}

/** Duck-typed, so a schema built with the user's own copy of zod is accepted too. */
function isObjectSchema(value: unknown): boolean {
  const schema = value as { safeParse?: unknown; shape?: unknown } | null;
  return typeof schema?.safeParse === 'function' && typeof schema.shape === 'object' && schema.shape !== null;
}
