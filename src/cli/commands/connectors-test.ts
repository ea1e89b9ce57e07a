import type { Command } from 'commander';
import { action } from '../action.js';
import { EXIT } from '../exit-codes.js';
import { out } from '../output.js';

/**
 * `arx connectors test NAME|all [--json]`: each connector's credentials proved with one cheap read-only
 * call, and a failure explained in one line (missing setting, bad secret, wrong URL, unreachable, missing
 * scope, refused by the gate). Each check is `<tool>:credentials:test` through the gate as the operator
 * (`user:<name>`): decided by policy, audited, with the broker's credentials; through a running `arx serve`
 * when it holds the embedded store. Registered on the `connectors` command family.
 */
export function registerConnectorsTest(connectors: Command): void {
  connectors
    .command('test')
    .description('check a connector’s credentials and reach with one read-only call')
    .argument('<name>', 'connector name (e.g. wiz, qualys), or "all"')
    .option('-c, --config <file>', 'configuration file (default: $ARX_CONFIG, else ./arx.yaml)')
    .action(
      action(async (name: string, options: { config?: string }, command: Command) => {
        const [{ connectorNames }, { withGovernanceAccess }, { operatorName }] = await Promise.all([
          import('../../connectors/registry.js'),
          import('./governance-access.js'),
          import('./governance-session.js'),
        ]);
        const names = name === 'all' ? connectorNames() : [name];
        const as = operatorName(undefined);
        const access = { config: options.config, owner: 'arx connectors test', connectors: true };
        const checks = await withGovernanceAccess(access, async ({ connectors: each }) => {
          const found = [];
          for (const connector of names) found.push(await each.test(connector, as));
          return found;
        });
        if (command.optsWithGlobals().json) out.json(name === 'all' ? checks : checks[0]);
        else {
          for (const check of checks) {
            const who = check.ok && check.identity ? ` (${check.identity})` : '';
            out.line(`${check.ok ? '✔' : '✖'} ${check.connector}${who}: ${check.message}`);
          }
        }
        if (checks.every((c) => c.ok)) return EXIT.ok;
        // a setting that is missing is the caller's to fix; a refused or unreachable tool is a failed check
        return checks.every((c) => c.ok || c.problem === 'missing_config') ? EXIT.usage : EXIT.failure;
      }),
    );
}
