import type { Command } from 'commander';
import { UsageError } from '../../core/errors.js';
import { action } from '../action.js';
import { out } from '../output.js';

const UP_HELP = `
Starts emulators of Wiz, Qualys, Jira, Slack, PagerDuty and ServiceNow on 127.0.0.1 over one demo tenant (cloud
accounts, teams, misconfigurations with real Prowler check ids, vulnerabilities with real KEV CVEs and their
CVSS/EPSS), and prints the environment that points Arx at them. Runs until Ctrl-C.

  arx sandbox up --findings 5000             # then paste the export lines into another shell
  arx sandbox up > sandbox.env &  sleep 2; . ./sandbox.env
  arx sandbox up --json                       # first line: {"endpoints": {...}, "env": {...}}

--faults: emulators separated by ";", settings by ",", e.g.
  --faults "wiz:latency=200,errors=0.1;slack:rate=realistic;*:timeouts=0.01"
  settings: latency=<ms>  errors=<0..1>  timeouts=<0..1>  malformed=<0..1>
            rate=realistic|off|<requests>/<window>[/key]  (window: 500ms, 1s, 1m, 1h)
  plus each emulator's switches for behaviours the vendors do not document (see /_sandbox/faults).

While it runs, every emulator serves:
  GET  <url>/_sandbox/stats     requests by operation and status
  GET  <url>/_sandbox/faults    the faults in force (PUT a JSON FaultSpec to change them)
and the Wiz emulator serves:
  POST <wiz>/_sandbox/advance   move the tenant to its next scan (or: arx sandbox advance)
  GET  <wiz>/_sandbox/tenant    seed, scan, counts, teams, accounts`;

function parseWhole(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value.replaceAll('_', '').replaceAll(',', '')) || !Number.isSafeInteger(n)) {
      throw new UsageError(`--${name} must be a whole number (got "${value}")`);
    }
    return n;
  };
}

/** Shell-safe `export NAME='value'`. */
function exportLine(name: string, value: string): string {
  return `export ${name}='${value.replaceAll("'", `'\\''`)}'`;
}

/** `arx sandbox up` and `arx sandbox advance`: the local emulators for trying Arx safely. */
export function register(program: Command): void {
  const sandbox = program
    .command('sandbox')
    .description('local emulators of Wiz, Qualys, Jira, Slack, PagerDuty and ServiceNow over a demo tenant');

  sandbox
    .command('up')
    .description('start every emulator and print the environment that points Arx at them')
    .option('--findings <n>', 'findings in the demo tenant, 10 to 1,000,000', parseWhole('findings'), 1000)
    .option('--seed <s>', 'seed: the same seed gives the same tenant', parseWhole('seed'), 1)
    .option(
      '--port-base <p>',
      'first port (the next emulators take p+1, p+2, ...); default: free ports',
      parseWhole('port-base'),
    )
    .option('--faults <spec>', 'inject faults, e.g. "wiz:latency=200,errors=0.1;slack:rate=realistic"')
    .addHelpText('after', UP_HELP)
    .action(
      action(
        async (
          options: { findings: number; seed: number; portBase?: number; faults?: string },
          command: Command,
        ): Promise<undefined> => {
          const { startSandbox } = await import('../../sandbox/start.js');
          const sandbox = await startSandbox({
            findings: options.findings,
            seed: options.seed,
            ...(options.portBase !== undefined ? { portBase: options.portBase } : {}),
            ...(options.faults !== undefined ? { faults: options.faults } : {}),
          });
          // The sandbox credentials are fixed, public and only valid against these local emulators, so they
          // are printed as they are (out.json would redact the *_TOKEN / *_PASSWORD keys and defeat the point).
          if (command.optsWithGlobals().json) {
            process.stdout.write(`${JSON.stringify({ endpoints: sandbox.endpoints, env: sandbox.env })}\n`);
          } else {
            const { tenant } = sandbox;
            out.line(
              `# Arx sandbox: ${sandbox.emulators.length} emulators on 127.0.0.1; demo tenant seed ${tenant.seed}, ` +
                `${tenant.findings.toLocaleString('en')} findings (${tenant.count('issue')} Wiz issues, ` +
                `${tenant.count('vuln')} vulnerabilities on ${tenant.hosts} hosts).`,
            );
            out.line('# Paste these lines into the shell where you run arx:');
            for (const [name, value] of Object.entries(sandbox.env))
              process.stdout.write(`${exportLine(name, value)}\n`);
            out.line(
              `# Next scan:  arx sandbox advance   (or curl -X POST ${sandbox.endpoints.wiz}/_sandbox/advance)`,
            );
            out.line('# Stats:      <url>/_sandbox/stats on each emulator. Stop with Ctrl-C.');
          }
          await untilStopped();
          await sandbox.close();
          return undefined;
        },
      ),
    );

  sandbox
    .command('advance')
    .description("move a running sandbox's demo tenant to its next scan (findings resolve, reappear, arrive)")
    .option('--url <wiz-url>', 'base URL of the Wiz emulator (default: from WIZ_API_URL)')
    .action(
      action(async (options: { url?: string }, command: Command): Promise<undefined> => {
        const base =
          options.url ?? (process.env.WIZ_API_URL ? new URL(process.env.WIZ_API_URL).origin : undefined);
        if (!base) {
          throw new UsageError('no sandbox to advance: WIZ_API_URL is not set', {
            hint: 'run the export lines from `arx sandbox up`, or pass --url http://127.0.0.1:<wiz port>',
          });
        }
        const res = await fetch(`${base.replace(/\/+$/, '')}/_sandbox/advance`, { method: 'POST' }).catch(
          (err: unknown) => {
            throw new UsageError(`cannot reach the sandbox at ${base}: ${(err as Error).message}`, {
              hint: 'is `arx sandbox up` still running?',
            });
          },
        );
        if (!res.ok)
          throw new UsageError(`${base} did not advance (HTTP ${res.status}); is it the Wiz emulator?`);
        const scan = (await res.json()) as {
          scan: number;
          at: string;
          issues: number;
          vulnerabilities: number;
        };
        if (command.optsWithGlobals().json) out.json({ ok: true, ...scan });
        else {
          out.line(
            `✔ scan ${scan.scan} at ${scan.at}: ${scan.issues} Wiz issues, ${scan.vulnerabilities} vulnerabilities`,
          );
        }
        return undefined;
      }),
    );
}

function untilStopped(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
