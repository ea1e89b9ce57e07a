import { setTimeout } from 'node:timers/promises';
import { arxConfigSchema } from '../../src/config/schema.js';
import { generateSigner } from '../../src/governance/audit/keys.js';
import { ConfigCredentialBroker } from '../../src/governance/credentials.js';
import { createGovernance } from '../../src/governance/open.js';
import { createLogger } from '../../src/log/logger.js';
import { openStore } from '../../src/store/open.js';
import { childInput, report } from '../lib/child.js';
import { round } from '../lib/progress.js';

/**
 * The child process of the gate scenario, on one store:
 * (1) overhead: `gate.execute` of a read that policy allows, whose handler waits 10 ms (a tenth of a
 *     typical SaaS answer); per call, the call’s time minus the handler’s own — what the gate adds to a call;
 * (2) floor: the same read with a handler that does nothing (decision + the intent made durable);
 * (3) write: an allowed write with a handler that does nothing (the kill switch read afresh, and the intent
 *     durable before the handler may start);
 * (4) audit appends per second, with 32 appenders waiting at once (group commit), and one after another.
 */
export interface GateInput {
  phase: 'prepare' | 'measure';
  store: 'pglite' | 'postgres';
  home?: string;
  databaseUrl?: string;
  calls: number;
  appends: number;
}

export interface LatencyFigures {
  p50_us: number;
  p99_us: number;
  mean_us: number;
  calls: number;
}

export interface GateResult {
  store: 'pglite' | 'postgres';
  /** `tool_ms`: how long the stand-in tool took to answer each overhead call. */
  gate: LatencyFigures & { tool_ms?: number; floor: LatencyFigures; write: LatencyFigures };
  audit: { appends_per_s: number; appends: number; in_flight: number; sequential_per_s: number };
}

/** Calls made before measuring: module compilation and the first queries' planning are not the gate. */
const WARMUP = 200;
const READ = 'wiz:findings:read';
const WRITE = 'jira:issues:create';
/** How long the stand-in tool takes to answer a read: a tenth of what Wiz or Jira usually take (100 ms and more). */
const TOOL_MS = 10;
/** Audit appenders waiting at once in the throughput measure. */
const IN_FLIGHT = 32;

async function main(): Promise<void> {
  const input = childInput<GateInput>();
  const store = input.databaseUrl
    ? await openStore({ databaseUrl: input.databaseUrl })
    : await openStore({ home: input.home!, owner: 'npm run bench (gate)' });
  try {
    if (input.phase === 'prepare') {
      await report({ result: { prepared: true } });
      return;
    }
    const config = arxConfigSchema.parse({});
    const governance = createGovernance({
      db: store.db,
      clock: store.clock,
      config,
      home: '/nonexistent',
      signer: generateSigner(),
      broker: new ConfigCredentialBroker(config.connectors, {
        WIZ_CLIENT_ID: 'bench',
        WIZ_CLIENT_SECRET: 'bench-secret',
        WIZ_API_URL: 'http://127.0.0.1:9/graphql',
        JIRA_URL: 'http://127.0.0.1:9',
        JIRA_USER_EMAIL: 'bench@example.com',
        JIRA_API_TOKEN: 'bench-token',
      }),
      log: createLogger({ level: 'error' }),
    });
    // the read's handler stands in for the tool: it takes `toolMs` and says how long it really took
    let toolMs = 0;
    let handlerUs = 0;
    governance.gate.register(READ, async () => {
      const began = process.hrtime.bigint();
      if (toolMs > 0) await setTimeout(toolMs);
      handlerUs = Number(process.hrtime.bigint() - began) / 1000;
      return { items: [] };
    });
    governance.gate.register(WRITE, async () => ({ id: '10001', key: 'SEC-1' }));
    const context = { principal: { kind: 'workflow' as const, id: 'bench-gate' } };

    const measure = async (operation: string, params: (i: number) => unknown, tool: number) => {
      toolMs = tool;
      const overheads: number[] = [];
      for (let i = 0; i < WARMUP + input.calls; i++) {
        handlerUs = 0;
        const started = process.hrtime.bigint();
        const outcome = await governance.gate.execute(context, operation, params(i));
        const elapsed = Number(process.hrtime.bigint() - started) / 1000;
        if (outcome.status !== 'done' || outcome.verdict !== 'allow') {
          throw new Error(`expected an allowed call, got ${outcome.status}/${outcome.verdict}`);
        }
        if (i >= WARMUP) overheads.push(elapsed - handlerUs);
      }
      return latency(overheads);
    };
    const read = () => ({ kind: 'issues', first: 10 });
    const overhead = await measure(READ, read, TOOL_MS);
    const floor = await measure(READ, read, 0);
    const write = await measure(
      WRITE,
      (i) => ({ project: 'SEC', summary: 'Public bucket', findingKey: `fk_bench_${i}` }),
      0,
    );
    await governance.audit.flush();

    const append = (i: number) =>
      governance.audit.append({
        kind: 'control',
        actor: 'bench',
        action: 'bench.append',
        payload: { i, note: 'a typical small payload' },
      });
    const concurrentStarted = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        while (next < input.appends) await append(next++);
      }),
    );
    const concurrentSeconds = (performance.now() - concurrentStarted) / 1000;
    const sequentialStarted = performance.now();
    for (let i = 0; i < input.appends; i++) await append(i);
    const sequentialSeconds = (performance.now() - sequentialStarted) / 1000;

    const result: GateResult = {
      store: input.store,
      gate: { ...overhead, tool_ms: TOOL_MS, floor, write },
      audit: {
        appends_per_s: round(input.appends / concurrentSeconds),
        appends: input.appends,
        in_flight: IN_FLIGHT,
        sequential_per_s: round(input.appends / sequentialSeconds),
      },
    };
    await report({ result });
  } finally {
    await store.close();
  }
}

function latency(values: number[]): LatencyFigures {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    p50_us: Math.round(percentile(sorted, 0.5)),
    p99_us: Math.round(percentile(sorted, 0.99)),
    mean_us: Math.round(sorted.reduce((sum, d) => sum + d, 0) / sorted.length),
    calls: sorted.length,
  };
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
}

main().catch(async (err: unknown) => {
  await report({ error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  process.exitCode = 1;
});
