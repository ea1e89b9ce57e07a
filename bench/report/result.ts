import type { Machine } from '../lib/machine.js';
import type { DistributionRun, Rerun } from '../scenarios/distribution.js';
import type { GateFigures } from '../scenarios/gate.js';
import type { GateResult } from '../scenarios/gate-child.js';
import type { IngestFigures } from '../scenarios/ingest.js';
import type { TargetCheck } from './targets.js';

/**
 * The JSON object of `npm run bench -- --json`. `runs`, `ingest`, `gate`, `audit` and `rerun` have the
 * shape issue 7 defines (the embedded store's figures in `ingest`, `gate` and `audit`); everything else is
 * added context: PostgreSQL's figures under `postgres`, the machine, and each target with its gap.
 */
export interface BenchResult {
  mode: 'quick' | 'full';
  date: string;
  machine: Machine;
  /** Load averages when the bench ended (the machine may be shared). */
  load_end?: number[];
  duration_s?: number;
  runs: DistributionRun[];
  ingest?: IngestFigures;
  gate?: GateResult['gate'] & { store: string };
  audit?: GateResult['audit'] & { store: string };
  rerun?: Rerun & { paged_reads: Record<string, number> };
  postgres?: {
    ingest?: IngestFigures;
    gate?: GateFigures;
  };
  targets: TargetCheck[];
}
