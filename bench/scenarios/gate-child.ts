import { arxConfigSchema } from '../../src/config/schema.js';
import { generateSigner } from '../../src/governance/audit/keys.js';
import { ConfigCredentialBroker } from '../../src/governance/credentials.js';
import { createGovernance } from '../../src/governance/open.js';
import { createLogger } from '../../src/log/logger.js';
import { openStore } from '../../src/store/open.js';
import { childInput, report } from '../lib/child.js';
import { round } from '../lib/progress.js';

/**
 * The child process of the gate scenario, on one store: (1) `gate.execute` of a read that policy allows,
 * with a handler that does nothing, so every microsecond is the gate's own (params check, kill switch,
 * risk, policy, two audit appends, credential resolution); (2) bare audit appends, one after another.
 */
export interface GateInput {
  phase: 'prepare' | 'measure';
  store: 'pglite' | 'postgres';
  home?: string;
  databaseUrl?: string;
  calls: number;
  appends: number;
}

export interface GateResult {
  store: 'pglite' | 'postgres';
  gate: { p50_us: number; p99_us: number; mean_us: number; calls: number };
  audit: { appends_per_s: number; appends: number };
}

/** Calls made before measuring: module compilation and the first queries' planning are not the gate. */
const WARMUP = 200;
const OPERATION = 'wiz:findings:read';

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
      }),
      log: createLogger({ level: 'error' }),
    });
    governance.gate.register(OPERATION, async () => ({ items: [] }));
    const context = { principal: { kind: 'workflow' as const, id: 'bench-gate' } };
    const params = { kind: 'issues', first: 10 };

    const durations: number[] = [];
    for (let i = 0; i < WARMUP + input.calls; i++) {
      const started = process.hrtime.bigint();
      const outcome = await governance.gate.execute(context, OPERATION, params);
      const elapsed = Number(process.hrtime.bigint() - started) / 1000;
      if (outcome.status !== 'done' || outcome.verdict !== 'allow') {
        throw new Error(`expected an allowed call, got ${outcome.status}/${outcome.verdict}`);
      }
      if (i >= WARMUP) durations.push(elapsed);
    }
    durations.sort((a, b) => a - b);

    const appendsStarted = performance.now();
    for (let i = 0; i < input.appends; i++) {
      await governance.audit.append({
        kind: 'control',
        actor: 'bench',
        action: 'bench.append',
        payload: { i, note: 'a typical small payload' },
      });
    }
    const appendSeconds = (performance.now() - appendsStarted) / 1000;

    const result: GateResult = {
      store: input.store,
      gate: {
        p50_us: Math.round(percentile(durations, 0.5)),
        p99_us: Math.round(percentile(durations, 0.99)),
        mean_us: Math.round(durations.reduce((sum, d) => sum + d, 0) / durations.length),
        calls: durations.length,
      },
      audit: { appends_per_s: round(input.appends / appendSeconds), appends: input.appends },
    };
    await report({ result });
  } finally {
    await store.close();
  }
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
