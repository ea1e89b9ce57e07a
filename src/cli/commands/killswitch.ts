import type { Command } from 'commander';
import { killSwitchEntryJson } from '../../governance/records-json.js';
import { action } from '../action.js';
import { out } from '../output.js';
import { withGovernanceAccess } from './governance-access.js';
import { CONFIG_OPTION, operatorName } from './governance-session.js';

const PRINCIPAL_HELP =
  'PRINCIPAL is kind:id (workflow:wiz-finding-distribution, agent:triage) or a bare workflow id';

/**
 * The kill switch: `arx freeze` stops every write, `arx suspend PRINCIPAL` stops one automation, `arx resume`
 * lifts them. Stored in the store and read at every gate call, so running workflows stop at their next call.
 * While `arx serve` holds the embedded store they go through it.
 */
export function register(program: Command): void {
  program
    .command('freeze')
    .description('stop every write by every principal at its next gate call (reads continue)')
    .option('--reason <text>', 'why, recorded in the audit trail')
    .option('--as <name>', 'who pulls the switch (default: $ARX_USER, else your OS user)')
    .option(...CONFIG_OPTION)
    .action(
      action(
        async (
          options: { reason?: string; as?: string; config?: string },
          command: Command,
        ): Promise<undefined> => {
          const change = { as: operatorName(options.as), reason: options.reason };
          const changed = await withGovernanceAccess(
            { config: options.config, owner: 'arx freeze' },
            ({ killSwitch }) => killSwitch.freeze(change),
          );
          report(
            command,
            { frozen: true, changed },
            changed ? '✔ frozen: every write is refused until `arx resume`' : 'already frozen',
          );
        },
      ),
    );

  program
    .command('suspend')
    .description('stop one principal entirely: its writes at their next gate call, its reads within a second')
    .argument('<principal>', PRINCIPAL_HELP)
    .option('--reason <text>', 'why, recorded in the audit trail')
    .option('--as <name>', 'who pulls the switch (default: $ARX_USER, else your OS user)')
    .option(...CONFIG_OPTION)
    .action(
      action(
        async (
          name: string,
          options: { reason?: string; as?: string; config?: string },
          command: Command,
        ): Promise<undefined> => {
          const { parsePrincipal, principalRef } = await import('../../governance/principal.js');
          const principal = parsePrincipal(name);
          const change = { as: operatorName(options.as), reason: options.reason };
          const changed = await withGovernanceAccess(
            { config: options.config, owner: 'arx suspend' },
            ({ killSwitch }) => killSwitch.suspend(principal, change),
          );
          const ref = principalRef(principal);
          report(
            command,
            { suspended: ref, changed },
            changed ? `✔ ${ref} suspended until \`arx resume ${ref}\`` : `${ref} is already suspended`,
          );
        },
      ),
    );

  program
    .command('resume')
    .description('lift the freeze, or with PRINCIPAL lift that suspension')
    .argument('[principal]', PRINCIPAL_HELP)
    .option('--reason <text>', 'why, recorded in the audit trail')
    .option('--as <name>', 'who lifts the switch (default: $ARX_USER, else your OS user)')
    .option(...CONFIG_OPTION)
    .action(
      action(
        async (
          name: string | undefined,
          options: { reason?: string; as?: string; config?: string },
          command: Command,
        ): Promise<undefined> => {
          const { parsePrincipal, principalRef } = await import('../../governance/principal.js');
          const principal = name ? parsePrincipal(name) : undefined;
          const change = { as: operatorName(options.as), reason: options.reason };
          const changed = await withGovernanceAccess(
            { config: options.config, owner: 'arx resume' },
            ({ killSwitch }) => killSwitch.resume(principal, change),
          );
          const what = principal ? principalRef(principal) : 'writes';
          report(
            command,
            { resumed: what, changed },
            changed
              ? `✔ ${what} resumed`
              : `nothing to resume: ${principal ? `${what} is not suspended` : 'not frozen'}`,
          );
        },
      ),
    );

  program
    .command('killswitch')
    .description('show the freeze and every suspension in force')
    .option(...CONFIG_OPTION)
    .action(
      action(async (options: { config?: string }, command: Command): Promise<undefined> => {
        const entries = await withGovernanceAccess(
          { config: options.config, owner: 'arx killswitch' },
          ({ killSwitch }) => killSwitch.status(),
        );
        if (command.optsWithGlobals().json) {
          out.json(entries.map(killSwitchEntryJson));
          return;
        }
        if (entries.length === 0) out.line('no freeze, no suspension: the gate decides by policy');
        for (const e of entries) {
          const what = e.kind === 'freeze' ? 'FROZEN: all writes' : `SUSPENDED: ${e.principal}`;
          out.line(`${what}  by ${e.actor} at ${e.at.toISOString()}${e.reason ? `  (${e.reason})` : ''}`);
        }
      }),
    );
}

function report(command: Command, json: Record<string, unknown>, text: string): void {
  if (command.optsWithGlobals().json) out.json({ ok: true, ...json });
  else out.line(text);
}
