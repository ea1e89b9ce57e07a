import type { Command } from 'commander';
import type { DriftEvent } from '../../store/drift-repo.js';
import { action } from '../action.js';
import { out } from '../output.js';
import { CONFIG_OPTION, withStore } from './governance-session.js';

/** `arx drift list`: calls a principal made outside the manifest it declared (arx.yaml `governance.drift`). */
interface ListFlags {
  principal?: string;
  since?: string;
  limit: string;
  config?: string;
}

const MAX_LIMIT = 1000;
/** Responses, most serious first: the order the summary counts them in. */
const RESPONSE_ORDER = ['suspend', 'deny', 'escalate', 'alert'];

export function register(program: Command): void {
  const drift = program
    .command('drift')
    .description('drift: principals acting outside the manifest they declared in arx.yaml');
  drift
    .command('list')
    .description('drift events, newest first, with a summary by response')
    .option('--principal <ref>', 'only this principal: workflow:<id> or agent:<id> (a bare id is a workflow)')
    .option('--since <when>', 'only events since a duration ago (24h, 7d) or a date (2026-03-01)')
    .option('-n, --limit <n>', `at most this many, up to ${MAX_LIMIT}`, '50')
    .option(...CONFIG_OPTION)
    .action(
      action(async (flags: ListFlags, command: Command): Promise<undefined> => {
        await list(flags, Boolean(command.optsWithGlobals().json));
      }),
    );
}

async function list(flags: ListFlags, json: boolean): Promise<void> {
  const [
    { UsageError },
    { systemClock },
    { parseSince },
    { parsePrincipal, principalRef },
    { listDriftEvents },
  ] = await Promise.all([
    import('../../core/errors.js'),
    import('../../core/clock.js'),
    import('../../governance/audit/export.js'),
    import('../../governance/principal.js'),
    import('../../store/drift-repo.js'),
  ]);
  const limit = Number(flags.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    throw new UsageError(`--limit: "${flags.limit}" is not a whole number from 1 to ${MAX_LIMIT}`, {
      hint: 'for example: --limit 200',
    });
  }
  let principal: string | undefined;
  if (flags.principal !== undefined) {
    const parsed = parsePrincipal(flags.principal.trim());
    if (!parsed.id) {
      throw new UsageError(`--principal: "${flags.principal}" names no principal`, {
        hint: 'for example: --principal workflow:wiz-distribution or --principal agent:triage',
      });
    }
    principal = principalRef(parsed);
  }
  // Checked before the store opens: the CLI's store runs on the system clock too.
  const since = flags.since !== undefined ? parseSince(flags.since, systemClock.now()) : undefined;

  const { events, declared } = await withStore(
    { config: flags.config, owner: 'arx drift list' },
    async ({ store, config }) => ({
      // one more than asked for, to tell whether more match
      events: await listDriftEvents(store.db, { principal, since, limit: limit + 1 }),
      declared: config.governance.drift.length,
    }),
  );
  const shown = events.slice(0, limit);
  if (json) {
    out.json(shown.map(eventJson));
    return;
  }
  const filter = [principal ? `for ${principal}` : '', since ? `since ${since.toISOString()}` : '']
    .filter(Boolean)
    .join(' ');
  if (shown.length === 0) {
    const why = declared === 0 ? ' (arx.yaml declares no governance.drift manifests)' : '';
    out.line(`no drift events${filter ? ` ${filter}` : ''}${why}`);
    return;
  }
  const rows = [
    ['TIME', 'PRINCIPAL', 'OPERATION', 'VIOLATION', 'RESPONSE', 'DETAIL'],
    ...shown.map((e) => [
      e.at.toISOString().slice(0, 19).replace('T', ' '),
      e.principal,
      e.operation,
      e.violation,
      e.response,
      e.detail,
    ]),
  ];
  const widths = rows[0]!.slice(0, -1).map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  for (const row of rows)
    out.line(row.map((cell, i) => (i < widths.length ? cell.padEnd(widths[i]!) : cell)).join('  '));
  out.line();
  out.line(`${summary(shown)}${filter ? ` ${filter}` : ''}`);
  if (events.length > limit) out.line(`more drift events match: raise --limit (now ${limit})`);
}

/** `3 drift events (2 deny, 1 alert)`. */
function summary(events: readonly DriftEvent[]): string {
  const counts = new Map<string, number>();
  for (const e of events) counts.set(e.response, (counts.get(e.response) ?? 0) + 1);
  const byResponse = [...counts]
    .sort(([a], [b]) => RESPONSE_ORDER.indexOf(a) - RESPONSE_ORDER.indexOf(b))
    .map(([response, n]) => `${n} ${response}`);
  return `${events.length} drift event${events.length === 1 ? '' : 's'} (${byResponse.join(', ')})`;
}

function eventJson(e: DriftEvent & { id: number }) {
  return {
    id: e.id,
    at: e.at.toISOString(),
    principal: e.principal,
    operation: e.operation,
    violation: e.violation,
    response: e.response,
    detail: e.detail,
  };
}
