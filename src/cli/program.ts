import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { registerAll } from './commands/index.js';
import { EXIT } from './exit-codes.js';
import { out } from './output.js';

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

export async function buildProgram(): Promise<Command> {
  const program = new Command('arx')
    .description(
      'Arx: governed automation for cloud-security teams. Every action on a security tool passes one gate: ' +
        'risk-scored, checked against policy (allow / escalate / deny) and written to a tamper-evident audit ' +
        'trail.\n\nFirst run (no credentials needed, uses the built-in sandbox): arx run wiz-finding-distribution',
    )
    .version(version(), '-v, --version')
    .option('--json', 'machine-readable output')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  await registerAll(program);
  return program;
}

export async function runCli(argv: string[]): Promise<void> {
  const program = await buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      // help and version exit 0; unknown commands and bad flags are usage errors
      process.exitCode = err.exitCode === 0 ? EXIT.ok : EXIT.usage;
      return;
    }
    out.err(`✖ ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = EXIT.failure;
  }
}
