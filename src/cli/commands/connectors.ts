import type { Command } from 'commander';
import { action } from '../action.js';
import { out } from '../output.js';
import { registerConnectorsTest } from './connectors-test.js';

/** `arx connectors list`: the operation catalog — what the gate can do, how risky each action is. */
export function register(program: Command): void {
  const connectors = program
    .command('connectors')
    .description('connectors and the operations the gate governs');
  connectors
    .command('list')
    .description('list every governed operation with its verb class and risk level')
    .option('--connector <name>', 'only this connector (e.g. jira)')
    .action(
      action(async (options: { connector?: string }, command: Command): Promise<undefined> => {
        const { UsageError } = await import('../../core/errors.js');
        const { describeOperation } = await import('../../governance/catalog.js');
        const { builtinCatalog } = await import('../../governance/operations/index.js');
        const catalog = builtinCatalog();
        const known = catalog.connectors();
        if (options.connector && !known.includes(options.connector)) {
          throw new UsageError(`--connector: unknown connector "${options.connector}"`, {
            hint: `known connectors: ${known.join(', ')}`,
          });
        }
        const ops = catalog
          .list()
          .filter((op) => !options.connector || op.connector === options.connector)
          .map(describeOperation);
        if (command.optsWithGlobals().json) {
          out.json(ops);
          return;
        }
        const width = Math.max(...ops.map((op) => op.id.length));
        out.line(`${'OPERATION'.padEnd(width)}  ${'VERB'.padEnd(11)}  ${'RISK'.padEnd(8)}  DESCRIPTION`);
        for (const op of ops) {
          out.line(`${op.id.padEnd(width)}  ${op.verb.padEnd(11)}  ${op.risk.padEnd(8)}  ${op.description}`);
        }
        out.line(`\n${ops.length} operations on ${new Set(ops.map((op) => op.connector)).size} connectors`);
      }),
    );
  registerConnectorsTest(connectors);
}
