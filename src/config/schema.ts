/**
 * The arx.yaml schema. Objects are strict (an unknown key is an error with a "did you mean"), except the
 * free-form maps: workflow options, approver groups, weight tables. Field-local checks (time zones, cron,
 * durations) live in the schema so their errors carry the exact path; checks across fields live in
 * `semantic.ts`.
 */
import { Cron } from 'croner';
import { z } from 'zod';
import { connectorsSchema } from './connectors.js';
import { matching, nonEmpty, oneOrMany, secret, timeZone } from './fields.js';
import { governanceSchema } from './governance.js';

export * from './connectors.js';
export * from './governance.js';

export const CRON_HINT =
  'five cron fields (six with seconds), e.g. "0 */4 * * *" (every 4 hours), "0 6 * * 1-5"';

export const cronExpression = z
  .string({ error: `expected a cron expression: ${CRON_HINT}` })
  .superRefine((value, ctx) => {
    try {
      if (new Cron(value, { paused: true }).nextRun() === null) {
        ctx.addIssue({
          code: 'custom',
          message: 'this cron expression never fires',
          params: { allowed: CRON_HINT },
        });
      }
    } catch (err) {
      const reason = err instanceof Error ? err.message.replace(/^CronPattern: /, '') : String(err);
      ctx.addIssue({
        code: 'custom',
        message: `not a valid cron expression (${reason})`,
        params: { allowed: CRON_HINT },
      });
    }
  });

export const scheduleEntrySchema = z.strictObject({
  /** Shown in `arx schedules` and in the run record; defaults to the workflow name. */
  name: nonEmpty.optional(),
  workflow: nonEmpty,
  cron: cronExpression,
  timezone: timeZone.default('UTC'),
  enabled: z.boolean().default(true),
});

export const storeSchema = z
  .strictObject({
    /** PostgreSQL URL; absent means the embedded store. Secret: it usually carries a password. */
    database_url: secret(
      matching(/^postgres(ql)?:\/\//, 'a PostgreSQL URL', 'postgres://user:password@host:5432/db'),
      'DATABASE_URL',
    ).optional(),
  })
  .prefault({});

/** Options of one workflow; each workflow validates its own options when it is loaded. */
export const workflowOptionsSchema = z.record(z.string(), z.unknown());

export const CONFIG_VERSION = 1;

export const arxConfigSchema = z.strictObject({
  version: z.literal(CONFIG_VERSION).default(CONFIG_VERSION),
  connectors: connectorsSchema,
  governance: governanceSchema,
  /** One entry or a list; the typed config always holds a list. */
  schedule: oneOrMany(scheduleEntrySchema, 'schedule entry', { allowEmpty: true })
    .optional()
    .transform((entries) => entries ?? []),
  workflows: z.record(nonEmpty, workflowOptionsSchema).default({}),
  store: storeSchema,
});

export type ArxConfig = z.output<typeof arxConfigSchema>;
export type ScheduleEntry = z.output<typeof scheduleEntrySchema>;
export type StoreConfig = z.output<typeof storeSchema>;
export type WorkflowOptions = z.output<typeof workflowOptionsSchema>;

/** The configuration Arx runs with when there is no arx.yaml: every default, no connector configured. */
export function defaultConfig(): ArxConfig {
  return arxConfigSchema.parse({});
}
