import { parseArgs } from 'node:util';
import { UsageError } from '../../src/core/errors.js';

/**
 * What one `npm run bench` measures. `--quick` keeps to what fits in about three minutes on an idle 2-core
 * machine; the default is the full set of the issue. The other flags narrow a run while investigating.
 */
export const SCENARIOS = ['distribution', 'rate-limited', 'ingest', 'gate'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

export interface BenchPlan {
  mode: 'quick' | 'full';
  json: boolean;
  scenarios: ScenarioName[];
  /** Tenant sizes of the distribution runs (rate off, and rate-limited). */
  sizes: number[];
  /** Sizes at which the naive baseline is run (the others give its extrapolated bound). */
  naiveSizes: number[];
  rateLimitedNaiveSizes: number[];
  ingestFindings: number;
  gateCalls: number;
  auditAppends: number;
  /** Print the tables of a saved `--json` result instead of measuring. */
  from?: string;
}

const QUICK = { sizes: [1000, 10_000], rateLimitedNaiveSizes: [], ingest: 100_000, gate: 300 };
const FULL = {
  sizes: [1000, 10_000, 100_000],
  rateLimitedNaiveSizes: [1000],
  ingest: 1_000_000,
  gate: 10_000,
};

export const USAGE = `npm run bench [-- options]

  --quick               1k and 10k tenants, 100k ingest, fewer gate calls (about 3 minutes)
  --json                the figures as one JSON object on stdout (progress stays on stderr)
  --only <list>         some of: ${SCENARIOS.join(', ')}
  --sizes <list>        tenant sizes of the distribution runs, e.g. 1000,10000
  --ingest <n>          findings to ingest (default 1000000, quick 100000)
  --gate-calls <n>      gate calls and audit appends to time (default 10000, quick 300)
  --from <file>         print the tables of a saved --json result, measuring nothing
  --help`;

export function readPlan(argv: readonly string[]): BenchPlan | 'help' {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      quick: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      only: { type: 'string' },
      sizes: { type: 'string' },
      ingest: { type: 'string' },
      'gate-calls': { type: 'string' },
      from: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) return 'help';
  const preset = values.quick ? QUICK : FULL;
  const sizes = values.sizes ? numbers('--sizes', values.sizes) : preset.sizes;
  const gate = values['gate-calls'] ? numbers('--gate-calls', values['gate-calls'])[0]! : preset.gate;
  return {
    mode: values.quick ? 'quick' : 'full',
    json: values.json,
    scenarios: values.only ? scenarios(values.only) : [...SCENARIOS],
    sizes,
    // the emulator's JQL search is linear, so the naive run's per-finding searches take N² time beyond 10k
    naiveSizes: sizes.filter((n) => n <= 10_000),
    rateLimitedNaiveSizes: preset.rateLimitedNaiveSizes.filter((n) => sizes.includes(n)),
    ingestFindings: values.ingest ? numbers('--ingest', values.ingest)[0]! : preset.ingest,
    gateCalls: gate,
    auditAppends: gate,
    ...(values.from ? { from: values.from } : {}),
  };
}

function numbers(flag: string, text: string): number[] {
  const list = text.split(',').map((part) => Number(part.trim()));
  if (list.length === 0 || list.some((n) => !Number.isInteger(n) || n < 10 || n > 1_000_000)) {
    throw new UsageError(`${flag} takes whole numbers from 10 to 1000000, comma separated (got "${text}")`);
  }
  return list;
}

function scenarios(text: string): ScenarioName[] {
  const list = text.split(',').map((part) => part.trim());
  for (const name of list) {
    if (!(SCENARIOS as readonly string[]).includes(name)) {
      throw new UsageError(`--only: unknown scenario "${name}"`, {
        hint: `scenarios: ${SCENARIOS.join(', ')}`,
      });
    }
  }
  return list as ScenarioName[];
}
