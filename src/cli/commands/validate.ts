import type { Command } from 'commander';
import { action } from '../action.js';
import { EXIT } from '../exit-codes.js';
import { out } from '../output.js';

/**
 * `arx validate` checks arx.yaml (schema, `${ENV}` references, cross-field rules) without touching the
 * store; `arx config show` prints the effective configuration, defaults filled in, secrets redacted.
 */
export function register(program: Command): void {
  program
    .command('validate')
    .description('check arx.yaml: every problem with its path, line and what is allowed (exit 2 if any)')
    .option('-c, --config <file>', 'configuration file (default: $ARX_CONFIG, else ./arx.yaml)')
    .action(
      action(async (options: { config?: string }, command: Command) => {
        const asJson = Boolean(command.optsWithGlobals().json);
        const { ConfigError } = await import('../../core/errors.js');
        const { readConfig } = await import('../../config/load.js');
        const { summarise } = await import('../../config/summary.js');
        try {
          const loaded = readConfig({ file: options.config });
          if (asJson) {
            out.json({
              ok: true,
              file: loaded.file ?? null,
              issues: [],
              warnings: loaded.warnings,
              summary: summarise(loaded.config),
            });
            return EXIT.ok;
          }
          out.line(
            loaded.file
              ? `✔ ${loaded.file} is valid`
              : '✔ no arx.yaml here: Arx runs on built-in defaults (start from examples/arx.yaml)',
          );
          for (const line of summaryLines(summarise(loaded.config))) out.line(`  ${line}`);
          for (const warning of loaded.warnings) {
            const at = warning.line ? `${loaded.file}:${warning.line}:${warning.column} ` : '';
            out.line(`⚠ ${at}${warning.path}: ${warning.message}`);
            if (warning.allowed) out.line(`      instead: ${warning.allowed}`);
          }
          return EXIT.ok;
        } catch (err) {
          if (!(err instanceof ConfigError) || !asJson) throw err;
          out.json({ ok: false, file: err.file ?? null, issues: err.issues });
          return EXIT.usage;
        }
      }),
    );

  program
    .command('config')
    .description('the effective configuration')
    .command('show')
    .description('print the configuration Arx would run with: defaults filled in, secrets redacted')
    .option('-c, --config <file>', 'configuration file (default: $ARX_CONFIG, else ./arx.yaml)')
    .action(
      action(async (options: { config?: string }, command: Command) => {
        const { readConfig } = await import('../../config/load.js');
        const { redactSecrets } = await import('../../config/walk.js');
        const { arxConfigSchema } = await import('../../config/schema.js');
        const loaded = readConfig({ file: options.config });
        const config = redactSecrets(arxConfigSchema, loaded.config);
        if (command.optsWithGlobals().json) {
          out.json({ file: loaded.file ?? null, config });
          return EXIT.ok;
        }
        const { stringify } = await import('yaml');
        out.line(`# effective configuration from ${loaded.file ?? 'built-in defaults'} (secrets redacted)`);
        out.line(stringify(config).trimEnd());
        return EXIT.ok;
      }),
    );
}

type Summary = ReturnType<typeof import('../../config/summary.js').summarise>;

function summaryLines(summary: Summary): string[] {
  const connectors = summary.connectors.length
    ? summary.connectors
        .map((c) => `${c.name}${c.enabled ? '' : ' (disabled)'}${c.credentials ? '' : ' (sandbox)'}`)
        .join(', ')
    : 'none configured (sandbox)';
  const verdicts = Object.entries(summary.rules.byVerdict)
    .map(([verdict, count]) => `${count} ${verdict}`)
    .join(', ');
  const schedules = summary.schedules.length
    ? summary.schedules
        .map((s) => `${s.workflow} "${s.cron}" ${s.timezone}${s.enabled ? '' : ' (disabled)'}`)
        .join('; ')
    : 'none';
  return [
    `connectors: ${connectors}`,
    `rules: ${summary.rules.total}${verdicts ? ` (${verdicts})` : ''}; escalate at risk ≥ ${summary.thresholds.escalate}, deny at ≥ ${summary.thresholds.deny}`,
    `schedules: ${schedules}`,
    `workflows configured: ${summary.workflows.length ? summary.workflows.join(', ') : 'none'}`,
  ];
}
