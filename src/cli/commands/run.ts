import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { action } from '../action.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { out } from '../output.js';
import { CONFIG_OPTION, operatorName } from './governance-session.js';

/** `arx run WORKFLOW`: one run in this process, live progress, a summary at the end. */
interface RunFlags {
  config?: string;
  dryRun?: boolean;
  sandbox?: boolean;
  findings?: number;
  seed?: number;
  fresh?: boolean;
}

const EXAMPLES = `
Examples:
  arx run wiz-finding-distribution              first run: no credentials, so against the built-in sandbox
  arx run wiz-finding-distribution --dry-run    every read and decision, no write; prints the plan
  arx run ./my-workflow --config arx.yaml       a workflow of your own (a folder holding workflow.ts)
  arx run wiz-finding-distribution --findings 5000 --seed 7 --json

With no credentials configured (no WIZ_CLIENT_ID, JIRA_API_TOKEN, ... in the environment or arx.yaml) the
run starts the sandbox emulators in process and says so. A run that was interrupted (Ctrl-C, kill, crash)
is resumed by the next \`arx run\` of the same workflow: writes already done are never repeated.`;

export function register(program: Command): void {
  program
    .command('run')
    .description('run a workflow once (a built-in name, or the path of a folder holding workflow.ts)')
    .argument('<workflow>', 'built-in workflow name, or path to a workflow folder')
    .option(...CONFIG_OPTION)
    .option('--dry-run', 'read and decide everything, write nothing, print the plan')
    .option('--sandbox', 'run against the built-in sandbox even when credentials are configured')
    .option('--findings <n>', 'sandbox: findings in the demo tenant (default 1000)', wholeNumber)
    .option('--seed <n>', 'sandbox: seed of the demo tenant (default 1)', wholeNumber)
    .option('--fresh', 'start a new run instead of resuming an interrupted one')
    .addHelpText('after', EXAMPLES)
    .action(
      action(async (name: string, flags: RunFlags, command: Command) =>
        runWorkflow(name, flags, Boolean(command.optsWithGlobals().json)),
      ),
    );
}

async function runWorkflow(name: string, flags: RunFlags, json: boolean): Promise<ExitCode> {
  const [{ resolveWorkflow }, { readConfig }, { resolveOptions }, { credentialStatus }, host] =
    await Promise.all([
      import('../../workflows/library/index.js'),
      import('../../config/load.js'),
      import('../../workflows/sdk/options.js'),
      import('../../engine/credentials-present.js'),
      import('../../engine/host.js'),
    ]);
  const workflow = await resolveWorkflow(name);
  const loaded = readConfig({ file: flags.config });
  for (const warning of loaded.warnings)
    out.err(`⚠ ${loaded.file ?? 'arx.yaml'}: ${warning.path}: ${warning.message}`);
  const config = loaded.config;
  let options = resolveOptions(workflow, config.workflows[workflow.name], process.env);
  await host.checkConnectorsAvailable(workflow);

  const status = credentialStatus(workflow.connectors, config.connectors, process.env);
  const sandboxed = Boolean(flags.sandbox) || status.configured.length === 0;
  if (!sandboxed && status.missing.length > 0) {
    const { UsageError } = await import('../../core/errors.js');
    const needs = status.missing.map((m) => `${m.connector} (${m.variables.join(' or ')})`).join(', ');
    throw new UsageError(
      `${workflow.name} has credentials for ${status.configured.join(', ')} but not for ${needs}`,
      {
        hint: 'set the missing variables (or connectors.<name> in arx.yaml), or pass --sandbox to run on the built-in sandbox',
      },
    );
  }
  if (!sandboxed && (flags.findings !== undefined || flags.seed !== undefined)) {
    out.err(
      '⚠ --findings and --seed apply to the sandbox only; credentials are configured, so they are ignored',
    );
  }

  const sandbox = sandboxed ? await startSandbox(flags) : undefined;
  if (sandbox) {
    // routed like a real estate: the demo tenant's teams, channels and components, under arx.yaml's own
    const tenantOptions = sandbox.workflowOptions[workflow.name];
    if (tenantOptions)
      options = resolveOptions(
        workflow,
        { ...tenantOptions, ...config.workflows[workflow.name] },
        process.env,
      );
  }
  const abort = new AbortController();
  const onSigint = () => {
    if (abort.signal.aborted) process.exit(130);
    out.err('\nStopping before the next call… (Ctrl-C again to quit at once; the next `arx run` resumes)');
    abort.abort(new Error('interrupted by Ctrl-C'));
  };
  process.on('SIGINT', onSigint);
  const progress = await progressFor(json);
  let opened: Awaited<ReturnType<typeof host.openRunHost>> | undefined;
  try {
    const { createLogger } = await import('../../log/logger.js');
    opened = await host.openRunHost({
      config,
      env: process.env,
      credentialsEnv: sandbox ? sandbox.env : process.env,
      sandbox: Boolean(sandbox),
      owner: `arx run ${workflow.name}`,
      log: createLogger({ level: process.env.ARX_LOG_LEVEL ?? 'error' }),
    });
    const outcome = await opened.engine.run(workflow, {
      options,
      dryRun: Boolean(flags.dryRun),
      ...(sandbox ? { sandbox: sandbox.info } : {}),
      requestedBy: operatorName(undefined),
      signal: abort.signal,
      progress: progress.listener,
      fresh: Boolean(flags.fresh),
    });
    progress.stop();
    if (json) out.json(outcome.summary);
    else {
      const { summaryLines } = await import('../../engine/report/summary-text.js');
      out.line();
      for (const line of summaryLines(outcome.summary)) out.line(line);
      if (sandbox) {
        const home = opened.store.location;
        out.line('');
        out.line(
          `The sandbox run's store, audit trail and signing key are kept in ${home}. Inspect them with:`,
        );
        out.line(`  ARX_HOME=${home} npx arx audit verify`);
        out.line(`  ARX_HOME=${home} npx arx runs show ${outcome.summary.runId}`);
      }
    }
    return outcome.status === 'succeeded' ? EXIT.ok : EXIT.failure;
  } finally {
    progress.stop();
    process.off('SIGINT', onSigint);
    await opened?.close();
    await sandbox?.close();
  }
}

async function startSandbox(flags: RunFlags) {
  const { startSandbox: start, DEFAULT_FINDINGS, DEFAULT_SEED } = await import('../../sandbox/start.js');
  const info = { findings: flags.findings ?? DEFAULT_FINDINGS, seed: flags.seed ?? DEFAULT_SEED };
  const sandbox = await start(info);
  out.err(
    flags.sandbox
      ? `Running against the built-in sandbox (${info.findings} findings, seed ${info.seed}), as asked with --sandbox.`
      : `No credentials configured: running against the built-in sandbox (${info.findings} findings, seed ${info.seed}).`,
  );
  const { sandboxWorkflowOptions } = await import('../../workflows/library/shared/sandbox-options.js');
  return {
    info,
    env: { ...sandbox.env },
    workflowOptions: sandboxWorkflowOptions(sandbox.tenant),
    close: () => sandbox.close(),
  };
}

/** A live bar on an interactive terminal, plain lines otherwise, nothing with --json (stdout is the summary). */
async function progressFor(json: boolean) {
  if (json) return { listener: undefined, stop: () => {} };
  if (process.stderr.isTTY) {
    const { progressBar } = await import('../../engine/report/progress-bar.js');
    return progressBar(process.stderr);
  }
  const [{ progressLines }, { systemClock }] = await Promise.all([
    import('../../engine/report/progress-lines.js'),
    import('../../core/clock.js'),
  ]);
  return { listener: progressLines((line) => out.err(line), systemClock), stop: () => {} };
}

function wholeNumber(value: string): number {
  if (!/^\d+$/.test(value.trim())) throw new InvalidArgumentError('expected a whole number, e.g. 1000');
  return Number(value);
}
