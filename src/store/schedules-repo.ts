import type { Selectable } from 'kysely';
import { type Clock, systemClock } from '../core/clock.js';
import { secrets } from '../core/secrets.js';
import type { Json, Timestamp } from './database.js';
import { type Db, inTransaction, toJson } from './repo-support.js';

/**
 * Registered workflows and their cron schedules. `arx register` replaces a workflow's registration and
 * schedules as one unit (the config file is the truth: a schedule no longer in it is removed); the scheduler
 * reads the due ones and fires each occurrence with `claimFire`, a compare-and-swap on `next_fire_at`.
 */
export interface WorkflowRegistrationsTable {
  name: string;
  /** `builtin`, or the absolute path of the workflow's folder or file. */
  source: string;
  description: string;
  connectors: Json<string[]>;
  /** arx.yaml `workflows.<name>` as registered; environment fallbacks are resolved when a run starts. */
  options: Json<Record<string, unknown>>;
  config_file: string | null;
  registered_at: Timestamp;
  updated_at: Timestamp;
}

export interface SchedulesTable {
  name: string;
  workflow: string;
  cron: string;
  timezone: string;
  enabled: boolean;
  next_fire_at: Timestamp | null;
  last_fire_at: Timestamp | null;
  last_run_id: string | null;
  last_error: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

declare module './database.js' {
  interface Database {
    workflow_registrations: WorkflowRegistrationsTable;
    schedules: SchedulesTable;
  }
}

export interface WorkflowRegistration {
  name: string;
  source: string;
  description: string;
  connectors: string[];
  options: Record<string, unknown>;
  configFile: string | null;
  registeredAt: Date;
  updatedAt: Date;
}

export interface ScheduleRecord {
  name: string;
  workflow: string;
  cron: string;
  timezone: string;
  enabled: boolean;
  /** Null when disabled. */
  nextFireAt: Date | null;
  lastFireAt: Date | null;
  lastRunId: string | null;
  lastError: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface ScheduleInput {
  name: string;
  cron: string;
  timezone: string;
  enabled: boolean;
  nextFireAt: Date | null;
}

export interface RegistrationInput {
  name: string;
  source: string;
  description: string;
  connectors: readonly string[];
  options: Record<string, unknown>;
  configFile: string | null;
  schedules: readonly ScheduleInput[];
}

/** What a registration changed, per schedule name. */
export interface RegistrationChanges {
  created: boolean;
  schedulesAdded: string[];
  schedulesUpdated: string[];
  schedulesRemoved: string[];
}

export class SchedulesRepo {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock = systemClock,
  ) {}

  /**
   * Stores a workflow and its schedules, replacing what was registered under its name. A schedule whose
   * cron, time zone and enabled flag are unchanged keeps its next fire time and history, so re-registering
   * the same file changes nothing.
   */
  async register(input: RegistrationInput): Promise<RegistrationChanges> {
    const now = this.clock.now();
    return inTransaction(this.db, async (trx) => {
      const existing = await trx
        .selectFrom('workflow_registrations')
        .select('name')
        .where('name', '=', input.name)
        .executeTakeFirst();
      await trx
        .insertInto('workflow_registrations')
        .values({
          name: input.name,
          source: input.source,
          description: input.description,
          connectors: toJson(input.connectors),
          options: toJson(input.options),
          config_file: input.configFile,
          registered_at: now,
          updated_at: now,
        })
        .onConflict((oc) =>
          oc.column('name').doUpdateSet((eb) => ({
            source: eb.ref('excluded.source'),
            description: eb.ref('excluded.description'),
            connectors: eb.ref('excluded.connectors'),
            options: eb.ref('excluded.options'),
            config_file: eb.ref('excluded.config_file'),
            updated_at: now,
          })),
        )
        .execute();

      const current = await trx
        .selectFrom('schedules')
        .selectAll()
        .where('workflow', '=', input.name)
        .execute();
      const byName = new Map(current.map((row) => [row.name, row]));
      const changes: RegistrationChanges = {
        created: !existing,
        schedulesAdded: [],
        schedulesUpdated: [],
        schedulesRemoved: [],
      };
      for (const schedule of input.schedules) {
        const before = byName.get(schedule.name);
        byName.delete(schedule.name);
        const same =
          before &&
          before.workflow === input.name &&
          before.cron === schedule.cron &&
          before.timezone === schedule.timezone &&
          before.enabled === schedule.enabled;
        if (same) continue;
        await trx
          .insertInto('schedules')
          .values({
            name: schedule.name,
            workflow: input.name,
            cron: schedule.cron,
            timezone: schedule.timezone,
            enabled: schedule.enabled,
            next_fire_at: schedule.nextFireAt,
            created_at: now,
            updated_at: now,
          })
          .onConflict((oc) =>
            oc.column('name').doUpdateSet({
              workflow: input.name,
              cron: schedule.cron,
              timezone: schedule.timezone,
              enabled: schedule.enabled,
              next_fire_at: schedule.nextFireAt,
              last_error: null,
              updated_at: now,
            }),
          )
          .execute();
        (before ? changes.schedulesUpdated : changes.schedulesAdded).push(schedule.name);
      }
      const removed = [...byName.keys()];
      if (removed.length > 0) await trx.deleteFrom('schedules').where('name', 'in', removed).execute();
      changes.schedulesRemoved.push(...removed);
      return changes;
    });
  }

  /** Removes registrations and their schedules. */
  async unregister(names: readonly string[]): Promise<void> {
    if (names.length === 0) return;
    await this.db
      .deleteFrom('workflow_registrations')
      .where('name', 'in', [...names])
      .execute();
  }

  async registration(name: string): Promise<WorkflowRegistration | undefined> {
    const row = await this.db
      .selectFrom('workflow_registrations')
      .selectAll()
      .where('name', '=', name)
      .executeTakeFirst();
    return row ? toRegistration(row) : undefined;
  }

  async registrations(): Promise<WorkflowRegistration[]> {
    const rows = await this.db.selectFrom('workflow_registrations').selectAll().orderBy('name').execute();
    return rows.map(toRegistration);
  }

  async schedules(workflow?: string): Promise<ScheduleRecord[]> {
    let query = this.db.selectFrom('schedules').selectAll();
    if (workflow) query = query.where('workflow', '=', workflow);
    const rows = await query.orderBy('name').execute();
    return rows.map(toSchedule);
  }

  /** Enabled schedules whose next occurrence is at or before `now`, oldest first. */
  async due(now: Date): Promise<ScheduleRecord[]> {
    const rows = await this.db
      .selectFrom('schedules')
      .selectAll()
      .where('enabled', '=', true)
      .where('next_fire_at', '<=', now)
      .orderBy('next_fire_at')
      .orderBy('name')
      .execute();
    return rows.map(toSchedule);
  }

  /** The earliest next fire time of any enabled schedule (for the scheduler's sleep). */
  async nextDue(): Promise<Date | undefined> {
    const row = await this.db
      .selectFrom('schedules')
      .select('next_fire_at')
      .where('enabled', '=', true)
      .where('next_fire_at', 'is not', null)
      .orderBy('next_fire_at')
      .limit(1)
      .executeTakeFirst();
    return row?.next_fire_at ? new Date(row.next_fire_at) : undefined;
  }

  /**
   * Fires the occurrence `expected` of a schedule: moves `next_fire_at` from `expected` to `next` and
   * records the fire. False when another scheduler already fired it (the row no longer says `expected`).
   */
  async claimFire(
    name: string,
    expected: Date,
    fire: { firedAt: Date; next: Date | null; runId: string | null; error?: string | undefined },
  ): Promise<boolean> {
    const row = await this.db
      .updateTable('schedules')
      .set({
        next_fire_at: fire.next,
        last_fire_at: fire.firedAt,
        last_run_id: fire.runId,
        last_error: fire.error === undefined ? null : secrets.scrub(fire.error),
        updated_at: this.clock.now(),
      })
      .where('name', '=', name)
      .where('next_fire_at', '=', expected)
      .returning('name')
      .executeTakeFirst();
    return row !== undefined;
  }
}

function toRegistration(row: Selectable<WorkflowRegistrationsTable>): WorkflowRegistration {
  return {
    name: row.name,
    source: row.source,
    description: row.description,
    connectors: row.connectors,
    options: row.options,
    configFile: row.config_file,
    registeredAt: new Date(row.registered_at),
    updatedAt: new Date(row.updated_at),
  };
}

function toSchedule(row: Selectable<SchedulesTable>): ScheduleRecord {
  return {
    name: row.name,
    workflow: row.workflow,
    cron: row.cron,
    timezone: row.timezone,
    enabled: row.enabled,
    nextFireAt: row.next_fire_at ? new Date(row.next_fire_at) : null,
    lastFireAt: row.last_fire_at ? new Date(row.last_fire_at) : null,
    lastRunId: row.last_run_id,
    lastError: row.last_error,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  };
}
