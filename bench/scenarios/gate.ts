import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runChild } from '../lib/child.js';
import { withBenchDatabase } from '../lib/postgres.js';
import { note } from '../lib/progress.js';
import type { GateInput, GateResult } from './gate-child.js';

/**
 * Gate overhead per call and audit appends per second, on each store, each in its own process on a store
 * created beforehand (as a user's is). Sequential calls: the latency one caller sees.
 */
const CHILD = 'bench/scenarios/gate-child.ts';

export type GateFigures = GateResult | { store: 'postgres'; skipped: string };

export async function runGate(options: { calls: number; appends: number }): Promise<GateFigures[]> {
  const measure = async (store: GateInput['store'], where: Pick<GateInput, 'home' | 'databaseUrl'>) => {
    const input: GateInput = { ...options, ...where, store, phase: 'prepare' };
    await runChild(CHILD, input);
    return runChild<GateInput, GateResult>(CHILD, { ...input, phase: 'measure' });
  };
  const results: GateFigures[] = [];
  note(`gate: ${options.calls} calls and ${options.appends} audit appends, embedded store`);
  const home = mkdtempSync(join(tmpdir(), 'arx-bench-gate-'));
  try {
    results.push(await measure('pglite', { home }));
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
  note('gate: PostgreSQL');
  const postgres = await withBenchDatabase((databaseUrl) => measure('postgres', { databaseUrl }));
  results.push(postgres.ran ? postgres.value : { store: 'postgres', skipped: postgres.skipped });
  return results;
}
