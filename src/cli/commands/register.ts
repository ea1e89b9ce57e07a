import type { Command } from 'commander';
import { action } from '../action.js';
import { EXIT } from '../exit-codes.js';
import { out } from '../output.js';

/**
 * `arx register`: validates arx.yaml's workflows and schedules and stores them, so `arx serve` fires them.
 * Registering the same file again changes nothing; a changed cron or time zone updates the schedule.
 */
export function register(program: Command): void {
  program
    .command('register')
    .description(
      'store the workflows and cron schedules of arx.yaml for `arx serve`, and print next fire times',
    )
    .option('-c, --config <file>', 'configuration file (default: $ARX_CONFIG, else ./arx.yaml)')
    .option('--prune', 'also remove registered workflows this file no longer mentions')
    .action(
      action(async (options: { config?: string; prune?: boolean }, command: Command) => {
        const asJson = Boolean(command.optsWithGlobals().json);
        const { readConfig } = await import('../../config/load.js');
        const { planRegistrations, storeRegistrations, registrationsNotIn } = await import(
          '../../engine/scheduler/registration.js'
        );
        const loaded = readConfig({ file: options.config });
        const plans = await planRegistrations({ config: loaded.config, file: loaded.file, env: process.env });
        const store = await openStoreFor(loaded.config);
        try {
          const registered = await storeRegistrations(store.db, store.clock, plans, loaded.file);
          const stale = await registrationsNotIn(store.db, plans, Boolean(options.prune));
          if (asJson) {
            out.json({
              ok: true,
              file: loaded.file ?? null,
              store: store.location,
              workflows: registered,
              ...(options.prune ? { removed: stale } : { notInFile: stale }),
            });
            return EXIT.ok;
          }
          printRegistered(registered, loaded.file, store.location);
          if (stale.length > 0) {
            out.line(
              options.prune
                ? `  removed (not in this file): ${stale.join(', ')}`
                : `  still registered, not in this file: ${stale.join(', ')} (remove with --prune)`,
            );
          }
          out.line('Start the scheduler with: arx serve');
          return EXIT.ok;
        } finally {
          await store.close();
        }
      }),
    );
}

async function openStoreFor(config: import('../../config/schema.js').ArxConfig) {
  const [{ openStore }, { storeOptionsFromEnv }] = await Promise.all([
    import('../../store/open.js'),
    import('../../store/options.js'),
  ]);
  const options = storeOptionsFromEnv(process.env);
  if (!options.databaseUrl && config.store.database_url) options.databaseUrl = config.store.database_url;
  return openStore({ ...options, owner: 'arx register' });
}

type Registered = Awaited<
  ReturnType<typeof import('../../engine/scheduler/registration.js').storeRegistrations>
>;

function printRegistered(registered: Registered, file: string | undefined, location: string): void {
  if (registered.length === 0) {
    out.line(`✔ nothing to register: ${file ?? 'the built-in defaults'} names no workflow`);
    out.line(
      '  add a schedule entry, e.g. schedule: [{ workflow: wiz-finding-distribution, cron: "0 */4 * * *" }]',
    );
    return;
  }
  out.line(`✔ registered ${registered.length} workflow${registered.length === 1 ? '' : 's'} in ${location}`);
  for (const entry of registered) {
    const { changes } = entry;
    const what = changes.created
      ? 'new'
      : changes.schedulesAdded.length + changes.schedulesUpdated.length + changes.schedulesRemoved.length > 0
        ? 'updated'
        : 'unchanged';
    const source = entry.source === 'builtin' ? 'built in' : entry.source;
    out.line(`  ${entry.workflow} (${source}): ${what}`);
    if (entry.schedules.length === 0)
      out.line('    no schedule: runs only when asked (POST /runs on arx serve)');
    for (const schedule of entry.schedules) {
      const when = schedule.enabled
        ? `next ${formatIn(schedule.nextFireAt, schedule.timezone)}${thenList(schedule)}`
        : 'disabled';
      const from = schedule.origin === 'default' ? ' (the workflow’s default)' : '';
      out.line(`    ${schedule.name}: "${schedule.cron}" ${schedule.timezone}${from}; ${when}`);
    }
    for (const name of changes.schedulesRemoved) out.line(`    ${name}: removed`);
  }
}

function thenList(schedule: Registered[number]['schedules'][number]): string {
  const later = schedule.upcoming.filter((at) => at !== schedule.nextFireAt).slice(0, 2);
  return later.length ? `, then ${later.map((at) => formatIn(at, schedule.timezone, true)).join(', ')}` : '';
}

/** `2026-11-23 05:00 Europe/Berlin (04:00Z)`: the schedule's own wall clock, and UTC to compare logs. */
export function formatIn(iso: string | null, timezone: string, short = false): string {
  if (!iso) return 'never';
  const at = new Date(iso);
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone: timezone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(at)
      .map((part) => [part.type, part.value]),
  );
  const local = `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
  if (short) return local;
  return timezone === 'UTC' ? `${local} UTC` : `${local} ${timezone} (${iso.slice(11, 16)}Z)`;
}
