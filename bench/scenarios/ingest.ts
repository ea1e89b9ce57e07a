import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox } from '../../src/sandbox/start.js';
import { runChild } from '../lib/child.js';
import { withBenchDatabase } from '../lib/postgres.js';
import { note, sizeLabel } from '../lib/progress.js';
import { SEED } from './distribution.js';
import type { IngestInput, IngestResult } from './ingest-child.js';

/**
 * Ingest throughput and memory: N Wiz findings (issues and vulnerabilities) into a fresh store, once per
 * store, each in its own process. The Wiz emulator serves the tenant from this process, generating each
 * page on demand, so the child's RSS is the store's and the pipeline's.
 */
const CHILD = 'bench/scenarios/ingest-child.ts';

export type IngestFigures = IngestResult | { store: 'postgres'; skipped: string };

export async function runIngest(findings: number): Promise<IngestFigures[]> {
  const sandbox = await startSandbox({ findings, seed: SEED, only: ['wiz'] });
  const results: IngestFigures[] = [];
  try {
    const input = { env: sandbox.env, findings, phase: 'ingest' as const };
    const measure = async (store: IngestInput['store'], where: Pick<IngestInput, 'home' | 'databaseUrl'>) => {
      await runChild(CHILD, { ...input, ...where, store, phase: 'prepare' });
      return runChild<IngestInput, IngestResult>(CHILD, { ...input, ...where, store }, progress(store));
    };
    const progress = (store: string) => (line: string) =>
      note(`ingest ${sizeLabel(findings)} ${store}: ${line}`);

    note(`ingest ${sizeLabel(findings)}: embedded store (PGlite on disk)`);
    const home = mkdtempSync(join(tmpdir(), 'arx-bench-ingest-'));
    try {
      results.push(await measure('pglite', { home }));
    } finally {
      rmSync(home, { recursive: true, force: true });
    }

    note(`ingest ${sizeLabel(findings)}: PostgreSQL`);
    const postgres = await withBenchDatabase((databaseUrl) => measure('postgres', { databaseUrl }));
    if (postgres.ran) results.push(postgres.value);
    else {
      note(`ingest: PostgreSQL skipped (${postgres.skipped})`);
      results.push({ store: 'postgres', skipped: postgres.skipped });
    }
  } finally {
    await sandbox.close();
  }
  return results;
}
