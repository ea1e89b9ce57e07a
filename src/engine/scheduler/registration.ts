import { dirname, resolve } from 'node:path';
import type { ArxConfig } from '../../config/schema.js';
import type { Clock } from '../../core/clock.js';
import { ArxError, ConfigError, type ConfigIssue, isArxError } from '../../core/errors.js';
import type { Db } from '../../store/repo-support.js';
import { type RegistrationChanges, SchedulesRepo } from '../../store/schedules-repo.js';
import { findBuiltinWorkflow } from '../../workflows/library/index.js';
import type { Workflow } from '../../workflows/sdk/define.js';
import { resolveOptions } from '../../workflows/sdk/options.js';
import { checkConnectorsAvailable } from '../host.js';
import { nextFire, nextFires } from './schedule-math.js';
import { BUILTIN_SOURCE, resolveWorkflowRef } from './workflow-source.js';

/**
 * `arx register`: from arx.yaml, the workflows to store and their schedules. A workflow is registered when a
 * `schedule` entry names it (a built-in name or a folder path) or `workflows.<name>` configures it. Its
 * schedules are its `schedule` entries, or else the default cron its definition declares (in UTC). Every
 * problem (unknown workflow, bad option, duplicate schedule name) is collected into one ConfigError.
 */
export interface PlannedSchedule {
  name: string;
  cron: string;
  timezone: string;
  enabled: boolean;
  /** Where it came from: `schedule[2]`, or `default` (the workflow's own cron). */
  origin: string;
}

export interface PlannedRegistration {
  workflow: Workflow;
  source: string;
  options: Record<string, unknown>;
  schedules: PlannedSchedule[];
}

export interface RegisterInput {
  config: ArxConfig;
  /** The config file as the user named it (messages, relative workflow paths); undefined for defaults. */
  file: string | undefined;
  env: NodeJS.ProcessEnv;
  cwd?: string;
  /** Connector names a workflow may act on (default: every connector this Arx has). */
  connectors?: readonly string[];
}

export async function planRegistrations(input: RegisterInput): Promise<PlannedRegistration[]> {
  const { config, file, env } = input;
  const cwd = input.cwd ?? process.cwd();
  const baseDir = file ? dirname(resolve(cwd, file)) : cwd;
  const issues: ConfigIssue[] = [];
  const plans = new Map<string, PlannedRegistration>();
  const entriesByWorkflow = new Map<string, Array<{ index: number; entry: ArxConfig['schedule'][number] }>>();

  for (const [index, entry] of config.schedule.entries()) {
    try {
      const { workflow, source } = await resolveWorkflowRef(entry.workflow, baseDir);
      const known = plans.get(workflow.name);
      if (known && known.source !== source) {
        issues.push({
          path: `schedule[${index}].workflow`,
          message: `"${entry.workflow}" defines the workflow ${workflow.name}, already registered from ${known.source}`,
          allowed: 'one source per workflow name',
        });
        continue;
      }
      plans.set(workflow.name, known ?? { workflow, source, options: {}, schedules: [] });
      const list = entriesByWorkflow.get(workflow.name) ?? [];
      list.push({ index, entry });
      entriesByWorkflow.set(workflow.name, list);
    } catch (err) {
      issues.push(issueFrom(`schedule[${index}].workflow`, err));
    }
  }
  for (const name of Object.keys(config.workflows)) {
    if (plans.has(name)) continue;
    const workflow = findBuiltinWorkflow(name);
    if (!workflow) {
      issues.push({
        path: `workflows.${name}`,
        message: `no built-in workflow named "${name}" and no schedule entry names a workflow folder defining it`,
        allowed: 'a built-in workflow name, or add a schedule entry with workflow: ./path/to/folder',
      });
      continue;
    }
    plans.set(name, { workflow, source: BUILTIN_SOURCE, options: {}, schedules: [] });
  }

  const scheduleNames = new Map<string, string>();
  for (const plan of plans.values()) {
    const name = plan.workflow.name;
    plan.options = config.workflows[name] ?? {};
    try {
      if (input.connectors) checkConnectors(plan.workflow, input.connectors);
      else await checkConnectorsAvailable(plan.workflow);
      resolveOptions(plan.workflow, plan.options, env);
    } catch (err) {
      if (err instanceof ConfigError) issues.push(...err.issues);
      else issues.push(issueFrom(`workflows.${name}`, err));
    }
    const entries = entriesByWorkflow.get(name) ?? [];
    for (const { index, entry } of entries) {
      const scheduleName = entry.name ?? (entries.length === 1 ? name : `${name}#${index}`);
      const taken = scheduleNames.get(scheduleName);
      if (taken) {
        issues.push({
          path: `schedule[${index}].name`,
          message: `the schedule name "${scheduleName}" is already used by ${taken}`,
          allowed: 'a name unique across the file',
        });
        continue;
      }
      scheduleNames.set(scheduleName, `schedule[${index}]`);
      plan.schedules.push({
        name: scheduleName,
        cron: entry.cron,
        timezone: entry.timezone,
        enabled: entry.enabled,
        origin: `schedule[${index}]`,
      });
    }
    if (entries.length === 0 && plan.workflow.schedule && !scheduleNames.has(name)) {
      scheduleNames.set(name, 'default');
      plan.schedules.push({
        name,
        cron: plan.workflow.schedule,
        timezone: 'UTC',
        enabled: true,
        origin: 'default',
      });
    }
  }
  if (issues.length > 0) throw new ConfigError(file, issues);
  return [...plans.values()].sort((a, b) => a.workflow.name.localeCompare(b.workflow.name));
}

export interface RegisteredWorkflow {
  workflow: string;
  description: string;
  source: string;
  changes: RegistrationChanges;
  schedules: Array<PlannedSchedule & { nextFireAt: string | null; upcoming: string[] }>;
}

/** Stores the planned registrations; the same file registered twice changes nothing the second time. */
export async function storeRegistrations(
  db: Db,
  clock: Clock,
  plans: readonly PlannedRegistration[],
  configFile: string | undefined,
): Promise<RegisteredWorkflow[]> {
  const repo = new SchedulesRepo(db, clock);
  const now = clock.now();
  const results: RegisteredWorkflow[] = [];
  for (const plan of plans) {
    const changes = await repo.register({
      name: plan.workflow.name,
      source: plan.source,
      description: plan.workflow.description,
      connectors: plan.workflow.connectors,
      options: plan.options,
      configFile: configFile ?? null,
      schedules: plan.schedules.map((schedule) => ({
        name: schedule.name,
        cron: schedule.cron,
        timezone: schedule.timezone,
        enabled: schedule.enabled,
        nextFireAt: schedule.enabled ? nextFire(schedule.cron, schedule.timezone, now) : null,
      })),
    });
    const stored = new Map((await repo.schedules(plan.workflow.name)).map((s) => [s.name, s]));
    results.push({
      workflow: plan.workflow.name,
      description: plan.workflow.description,
      source: plan.source,
      changes,
      schedules: plan.schedules.map((schedule) => {
        const next = stored.get(schedule.name)?.nextFireAt ?? null;
        return {
          ...schedule,
          nextFireAt: next?.toISOString() ?? null,
          upcoming: schedule.enabled
            ? nextFires(schedule.cron, schedule.timezone, now, 3).map((d) => d.toISOString())
            : [],
        };
      }),
    });
  }
  return results;
}

/** Registrations in the store that the file no longer mentions; `prune` removes them (and their schedules). */
export async function registrationsNotIn(
  db: Db,
  plans: readonly PlannedRegistration[],
  prune: boolean,
): Promise<string[]> {
  const listed = new Set(plans.map((plan) => plan.workflow.name));
  const repo = new SchedulesRepo(db);
  const stale = (await repo.registrations()).map((r) => r.name).filter((name) => !listed.has(name));
  if (prune) await repo.unregister(stale);
  return stale;
}

function checkConnectors(workflow: Workflow, available: readonly string[]): void {
  const unknown = workflow.connectors.filter((name) => !available.includes(name));
  if (unknown.length > 0) {
    throw new ArxError(
      'connector_unavailable',
      `${workflow.name} acts on ${unknown.join(', ')}, which is not available`,
      {
        fault: 'caller',
        hint: `connectors: ${available.join(', ')}`,
      },
    );
  }
}

function issueFrom(path: string, err: unknown): ConfigIssue {
  const message = err instanceof Error ? err.message : String(err);
  const hint = isArxError(err) ? err.hint : undefined;
  return { path, message, ...(hint ? { allowed: hint } : {}) };
}
