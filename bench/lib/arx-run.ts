import { arxConfigSchema } from '../../src/config/schema.js';
import { WIZ_MAX_PAGE } from '../../src/connectors/wiz/operations.js';
import { openRunHost } from '../../src/engine/host.js';
import type { RunSummary } from '../../src/engine/summary.js';
import { createLogger } from '../../src/log/logger.js';
import type { Sandbox } from '../../src/sandbox/start.js';
import { builtinWorkflow } from '../../src/workflows/library/index.js';
import { sandboxWorkflowOptions } from '../../src/workflows/library/shared/sandbox-options.js';
import type { options as optionsSchema } from '../../src/workflows/library/wiz-finding-distribution/workflow.js';
import type { z } from '../../src/workflows/sdk/index.js';
import { resolveOptions } from '../../src/workflows/sdk/options.js';
import { runChild } from './child.js';

/**
 * One `arx run wiz-finding-distribution`, wired exactly as the CLI wires a run against real tools
 * (`openRunHost`: on-disk embedded store under ARX_HOME, the gate with the shipped policy, every connector
 * on one runtime), with the sandbox's variables as the only credentials. Not the CLI's sandbox mode: that
 * keeps its store in memory, so a second run could not show what a re-run with no change costs.
 */
export const WORKFLOW = 'wiz-finding-distribution';

/**
 * The workflow's options as a user would set them for the sandbox's estate (its teams, channels and
 * components), with `page_size` at Wiz's maximum, which the lower bound assumes.
 */
export type DistributionOptions = z.output<typeof optionsSchema>;

export function benchOptions(sandbox: Sandbox): DistributionOptions {
  const workflow = builtinWorkflow(WORKFLOW);
  const routing = sandboxWorkflowOptions(sandbox.tenant)[WORKFLOW];
  return resolveOptions(workflow, { ...routing, page_size: WIZ_MAX_PAGE }, {}) as DistributionOptions;
}

/**
 * `connectors.<tool>.rate_limits` of arx.yaml. `default` is the shipped governor: Jira and Wiz publish no
 * limit, so it learns them from the tool's answers (adaptive, from 10 and 3 req/s). `matched` pins the
 * governor to exactly the limits the emulators enforce with `rate=realistic` (what a user who knows their
 * tenant's limits would write), for comparison.
 */
export type Governor = 'default' | 'matched';
const MATCHED_RATE_LIMITS = {
  jira: { rate_limits: { requests_per_second: 20 } },
  wiz: { rate_limits: { requests_per_second: 3 } },
};

/** What the child process needs for one run: the emulators' variables, the options, the store. */
export interface ArxRunInput {
  env: Record<string, string>;
  options: DistributionOptions;
  home: string;
  governor: Governor;
}

/** The run's figures as the child reports them (the summary's counts only: they cross a process boundary). */
export interface ArxRunReport {
  counts: RunSummary['counts'];
  /** Opening the store and wiring the host (a user's store already exists; reported apart). */
  setupSeconds: number;
  /** The run itself, as the user waits for it. */
  wallSeconds: number;
}

/**
 * One run of the workflow, in its own process (`arx-run-child.ts`): the emulators stay in the bench's
 * process, as a real tenant's API runs on someone else's machine, so their work is not counted as Arx's.
 */
export function runArx(
  sandbox: Sandbox,
  home: string,
  governor: Governor = 'default',
): Promise<ArxRunReport> {
  const input: ArxRunInput = { env: { ...sandbox.env }, options: benchOptions(sandbox), home, governor };
  return runChild<ArxRunInput, ArxRunReport>(CHILD, input);
}

const CHILD = 'bench/lib/arx-run-child.ts';

/** The run itself (in the child): wired exactly as the CLI wires a run against real tools. */
export async function runArxHere(input: ArxRunInput): Promise<ArxRunReport> {
  const setupStarted = performance.now();
  const host = await openRunHost({
    config: arxConfigSchema.parse({ connectors: input.governor === 'matched' ? MATCHED_RATE_LIMITS : {} }),
    env: { ARX_HOME: input.home },
    credentialsEnv: input.env,
    sandbox: false,
    owner: 'npm run bench',
    log: createLogger({ level: process.env.ARX_LOG_LEVEL ?? 'error' }),
  });
  try {
    const started = performance.now();
    const outcome = await host.engine.run(builtinWorkflow(WORKFLOW), {
      options: input.options,
      requestedBy: 'bench',
      fresh: true,
    });
    const wallSeconds = (performance.now() - started) / 1000;
    if (outcome.status !== 'succeeded') {
      throw new Error(`${WORKFLOW} ended ${outcome.status}: ${outcome.summary.error ?? 'no error given'}`);
    }
    return { counts: outcome.summary.counts, setupSeconds: (started - setupStarted) / 1000, wallSeconds };
  } finally {
    await host.close();
  }
}
