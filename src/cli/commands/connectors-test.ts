import type { Command } from 'commander';
import { action } from '../action.js';
import { EXIT } from '../exit-codes.js';
import { out } from '../output.js';

/**
 * `arx connectors test NAME|all [--json]`: each connector's credentials proved with one cheap read-only
 * call, and a failure explained in one line (missing setting, bad secret, wrong URL, unreachable, missing
 * scope). Registered on the `connectors` command family.
 */
export function registerConnectorsTest(connectors: Command): void {
  connectors
    .command('test')
    .description('check a connector’s credentials and reach with one read-only call')
    .argument('<name>', 'connector name (e.g. wiz, qualys), or "all"')
    .option('-c, --config <file>', 'configuration file (default: $ARX_CONFIG, else ./arx.yaml)')
    .action(
      action(async (name: string, options: { config?: string }, command: Command) => {
        const { loadConfig } = await import('../../config/load.js');
        const { createConnectorRuntime } = await import('../../connectors/kit/runtime.js');
        const { connectorConfig, connectorNames, loadConnector } = await import(
          '../../connectors/registry.js'
        );
        const config = loadConfig({ file: options.config });
        const runtime = createConnectorRuntime();
        const names = name === 'all' ? connectorNames() : [name];
        const checks = [];
        for (const each of names) {
          const connector = await loadConnector(each, runtime);
          checks.push(await connector.credentials.test(connectorConfig(config.connectors, each), runtime));
        }
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
