import { type Clock, systemClock } from '../core/clock.js';
import { UsageError } from '../core/errors.js';
import { SANDBOX_EMULATORS, type SandboxEmulator } from './emulators.js';
import { ALL_EMULATORS, type FaultPlan, faultsFor, parseFaultSpec } from './kit/fault-spec.js';
import { mixSeed, mulberry32 } from './kit/random.js';
import { type RunningEmulator, startEmulator } from './kit/server.js';
import { DemoTenant, MAX_FINDINGS, MIN_FINDINGS } from './tenant/tenant.js';

export const DEFAULT_FINDINGS = 1000;
export const DEFAULT_SEED = 1;

export interface StartSandboxOptions {
  findings?: number;
  seed?: number;
  /** First port; emulators take consecutive ports. Absent or 0: ephemeral ports. */
  portBase?: number;
  host?: string;
  /** `--faults` text or an already parsed plan. */
  faults?: string | FaultPlan;
  clock?: Clock;
  /** Which emulators to start (default: all). */
  only?: readonly string[];
}

export interface Sandbox {
  /** Emulator name -> base URL. */
  endpoints: Record<string, string>;
  /** Every variable that points Arx at the sandbox. */
  env: Record<string, string>;
  tenant: DemoTenant;
  emulators: RunningEmulator[];
  close(): Promise<void>;
}

/** Starts the demo tenant and every emulator on loopback. Nothing here touches the store. */
export async function startSandbox(options: StartSandboxOptions = {}): Promise<Sandbox> {
  const findings = options.findings ?? DEFAULT_FINDINGS;
  if (!Number.isInteger(findings) || findings < MIN_FINDINGS || findings > MAX_FINDINGS) {
    throw new UsageError(
      `--findings must be a whole number from ${MIN_FINDINGS} to ${MAX_FINDINGS.toLocaleString('en')}`,
      {
        hint: `got ${findings}; e.g. --findings 5000`,
      },
    );
  }
  const seed = options.seed ?? DEFAULT_SEED;
  if (!Number.isInteger(seed) || seed < 0)
    throw new UsageError(`--seed must be a whole number >= 0 (got ${seed})`);
  const portBase = options.portBase ?? 0;
  if (!Number.isInteger(portBase) || portBase < 0 || portBase > 65_535 - SANDBOX_EMULATORS.length) {
    throw new UsageError(
      `--port-base must be a port from 1 to ${65_535 - SANDBOX_EMULATORS.length} (got ${portBase})`,
    );
  }
  const selected = selectEmulators(options.only);
  const plan =
    typeof options.faults === 'string' || options.faults === undefined
      ? parseFaultSpec(options.faults)
      : options.faults;
  checkPlanNames(plan);

  const tenant = new DemoTenant({ seed, findings, clock: options.clock ?? systemClock });
  const emulators: RunningEmulator[] = [];
  const env: Record<string, string> = {};
  try {
    for (const [position, emulator] of selected.entries()) {
      const faults = faultsFor(plan, emulator.name);
      const definition = emulator.create({
        seed,
        tenant,
        random: mulberry32(mixSeed(seed, emulator.name)),
        faults,
      });
      const port = portBase > 0 ? portBase + position : 0;
      const running = await startOne(definition, { port, host: options.host ?? '127.0.0.1', faults, seed });
      emulators.push(running);
      Object.assign(env, definition.env(running.url));
    }
  } catch (err) {
    await Promise.all(emulators.map((e) => e.close()));
    throw err;
  }
  const endpoints = Object.fromEntries(emulators.map((e) => [e.name, e.url]));
  if (endpoints.jira) tenant.jiraBaseUrl = endpoints.jira;
  return {
    endpoints,
    env,
    tenant,
    emulators,
    close: async () => {
      await Promise.all(emulators.map((e) => e.close()));
    },
  };
}

async function startOne(
  definition: Parameters<typeof startEmulator>[0],
  options: Parameters<typeof startEmulator>[1] & { port: number },
): Promise<RunningEmulator> {
  try {
    return await startEmulator(definition, options);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new UsageError(`port ${options.port} (${definition.name}) is already in use`, {
        hint: 'choose another --port-base, or leave it out to use free ports',
      });
    }
    throw err;
  }
}

function selectEmulators(only: readonly string[] | undefined): readonly SandboxEmulator[] {
  if (!only) return SANDBOX_EMULATORS;
  const names = SANDBOX_EMULATORS.map((e) => e.name);
  for (const name of only) {
    if (!names.includes(name))
      throw new UsageError(`unknown emulator "${name}"`, { hint: `emulators: ${names.join(', ')}` });
  }
  return SANDBOX_EMULATORS.filter((e) => only.includes(e.name));
}

function checkPlanNames(plan: FaultPlan): void {
  const names = SANDBOX_EMULATORS.map((e) => e.name);
  for (const name of Object.keys(plan)) {
    if (name !== ALL_EMULATORS && !names.includes(name)) {
      throw new UsageError(`--faults names an unknown emulator "${name}"`, {
        hint: `emulators: ${names.join(', ')} (or * for all)`,
      });
    }
  }
}
