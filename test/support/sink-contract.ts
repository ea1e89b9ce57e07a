import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import { seededRandom } from '../../src/connectors/http/index.js';
import type { CredentialCheck } from '../../src/connectors/kit/credentials.js';
import { type LossyProxy, startLossyProxy } from '../../src/connectors/kit/lossy-proxy.js';
import { type ConnectorRuntime, createConnectorRuntime } from '../../src/connectors/kit/runtime.js';
import type { ConnectorCredentialCheck, ConnectorFactory } from '../../src/connectors/registry.js';
import { TestClock } from '../../src/core/clock.js';
import type { ExecuteOptions, GateContext } from '../../src/governance/gate.js';
import { mulberry32 } from '../../src/sandbox/kit/random.js';
import { type RunningEmulator, startEmulator } from '../../src/sandbox/kit/server.js';
import type { EmulatorControl, EmulatorDefinition, FaultSpec } from '../../src/sandbox/kit/types.js';
import type { AuditEntry } from '../../src/store/audit-repo.js';
import { openConnectorGate } from './connector-gate.js';
import type { OpenTestStore } from './stores.js';

/**
 * Contract tests of the sink connectors (Jira, Slack, PagerDuty, ServiceNow) run against an emulator over
 * real HTTP with the real gate in front: every call is `gate.execute` (or `gate.reconcile`), so every call
 * is decided and audited. The emulator shares the test's clock, so Retry-After waits and backoff cost no
 * real time and the emulator's rate limiter sees the same time as the governor.
 */
export const sinkPrincipal = { kind: 'workflow' as const, id: 'sink-contract' };

export interface SinkTargetOptions {
  emulator: (ctx: { clock: TestClock; random: () => number }) => EmulatorDefinition & EmulatorControl;
  connector: ConnectorFactory;
  faults?: FaultSpec;
  /** Replaces or adds environment values (a wrong token, a base URL through a proxy). */
  env?: (env: Record<string, string>, emulatorUrl: string) => Record<string, string>;
  /**
   * Puts a proxy between connector and emulator that lets the tool act on the requests this picks but
   * loses the answer (502): the failure exactly-once writes must survive.
   */
  lose?: (req: { method: string; path: string; count: number }) => boolean;
  /** arx.yaml as an object (governance rules, connector settings). */
  config?: Record<string, unknown>;
  seed?: number;
}

export type SinkTarget = Awaited<ReturnType<typeof openSinkTarget>>;

/** What one test of a sink may vary; the emulator and connector are the file's. */
export type SinkTestOptions = Partial<Pick<SinkTargetOptions, 'faults' | 'env' | 'lose'>>;

/** The `open` of one sink's contract tests: its emulator and connector, with per-test faults, env and loss. */
export function sinkOpener(
  emulator: SinkTargetOptions['emulator'],
  connector: ConnectorFactory,
): (t: TestContext, openTestStore: OpenTestStore, options?: SinkTestOptions) => Promise<SinkTarget> {
  return (t, openTestStore, options = {}) =>
    openSinkTarget(t, openTestStore, { emulator, connector, ...options });
}

export async function openSinkTarget(
  t: TestContext,
  openTestStore: OpenTestStore,
  options: SinkTargetOptions,
) {
  const clock = new TestClock('2026-03-02T12:00:00Z');
  const def = options.emulator({ clock, random: mulberry32(options.seed ?? 7) });
  const emulator: RunningEmulator = await startEmulator(def, {
    faults: options.faults ?? {},
    seed: options.seed ?? 7,
    now: () => clock.now().getTime(),
  });
  t.after(() => emulator.close());
  let proxy: LossyProxy | undefined;
  if (options.lose) {
    proxy = await startLossyProxy(emulator.url, options.lose);
    t.after(() => proxy?.close());
  }
  const baseUrl = proxy?.url ?? emulator.url;
  const baseEnv = def.env(baseUrl);
  const env = options.env ? options.env(baseEnv, baseUrl) : baseEnv;
  const gate = await openConnectorGate(openTestStore, {
    clock,
    connectors: [options.connector],
    env,
    // seeded backoff jitter: the same retries, the same waits, every run
    runtime: { random: seededRandom(options.seed ?? 7) },
    ...(options.config ? { config: options.config } : {}),
  });
  const context: GateContext = { principal: sinkPrincipal, runId: 'run-contract' };
  let checker: { runtime: ConnectorRuntime; check: ConnectorCredentialCheck } | undefined;

  /** Runs an operation through the gate and returns the handler's result (the call must be allowed). */
  async function call<R>(operation: string, params: unknown, options: ExecuteOptions = {}): Promise<R> {
    const out = await gate.gate.execute<R>(context, operation, params, options);
    assert.equal(out.status, 'done', `${operation} was not executed: ${out.status}`);
    return (out as { result: R }).result;
  }

  return {
    ...gate,
    clock,
    env,
    emulator,
    /** Requests whose answer the proxy lost (with `lose`). */
    lost: () => proxy?.lost ?? [],
    context,
    call,
    reconcile: <R>(operation: string, params: unknown) => gate.gate.reconcile<R>(context, operation, params),
    /**
     * The connector's credential check (`arx connectors test`) against an environment, on the test's clock;
     * every check of one target shares one runtime, as one `arx connectors test` process would.
     */
    checkCredentials(checkEnv: NodeJS.ProcessEnv): Promise<CredentialCheck> {
      if (!checker) {
        const runtime = createConnectorRuntime({ clock, log: gate.runtime.log });
        checker = { runtime, check: options.connector(runtime).credentials };
      }
      return checker.check.test(undefined, checker.runtime, checkEnv);
    },
    /**
     * `calls` gate calls of this operation were audited (executes and reconciles alike), every one the gate
     * let through has its result entry, and the chain verifies.
     */
    async assertAudited(operation: string, calls: number): Promise<AuditEntry[]> {
      const entries = await gate.audited(operation);
      const intents = entries.filter((e) => e.kind === 'intent');
      const results = entries.filter((e) => e.kind === 'result');
      assert.equal(
        intents.length,
        calls,
        `${operation}: ${intents.length} audited intents, expected ${calls}`,
      );
      assert.deepEqual(
        results.map((r) => r.payload.intent_seq).sort(),
        intents
          .filter((i) => i.verdict !== 'deny')
          .map((i) => i.seq)
          .sort(),
        `${operation}: every call let through has its result`,
      );
      assert.equal((await gate.audit.verify()).ok, true, 'the audit chain verifies');
      return entries;
    },
    /** HTTP answers the emulator gave for one of its operations, by status. */
    answered(operation: string): Record<string, number> {
      return emulator.stats().requests[operation] ?? {};
    },
  };
}

/** The error a rejected gate call threw, for assertions on code and fault. */
export async function failure(
  promise: Promise<unknown>,
): Promise<Error & { code?: string; fault?: string; retryable?: boolean }> {
  try {
    await promise;
  } catch (err) {
    return err as Error & { code?: string };
  }
  assert.fail('expected the call to fail');
}
