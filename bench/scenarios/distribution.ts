import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Sandbox, startSandbox } from '../../src/sandbox/start.js';
import { benchOptions, type Governor, runArx } from '../lib/arx-run.js';
import { callsBetween, readToolCalls, sum, type ToolCalls } from '../lib/emulator-stats.js';
import { note, round, secondsSince, sizeLabel } from '../lib/progress.js';
import { distributeNaively } from '../naive/distribute.js';
import {
  boundKeyedCalls,
  type CallCounts,
  type Census,
  type CensusOptions,
  type LowerBound,
  lowerBound,
  rateBoundSeconds,
  realisticLimits,
  takeCensus,
} from './lower-bound.js';

/**
 * wiz-finding-distribution on a sandbox tenant: the calls each tool saw (counted by the emulators) against
 * the lower bound, beside the naive baseline run on a fresh sandbox with the same seed. With
 * `rate: 'realistic'` every emulator enforces its documented limit and the figure that matters is the wall
 * time against the rate-limit bound.
 */
export const SEED = 1;
const TOOLS = ['wiz', 'jira', 'slack'] as const;

export interface DistributionOptions {
  findings: number;
  rate: 'off' | 'realistic';
  /** Also measure a second run with nothing changed (same store, same tenant). */
  rerun?: boolean;
  /** Run the naive baseline for real; otherwise its calls are computed and its rate-limit bound given. */
  naive?: boolean;
  /** Arx's rate governor: the shipped table, or set (arx.yaml `rate_limits`) to the emulators' limits. */
  governor?: Governor;
}

export interface NaiveFigures extends CallCounts {
  /** The calls follow from the tenant rather than a run (see `note`). */
  computed?: boolean;
  /** Measured; absent when the naive run was not made at this size and rate. */
  wall_s?: number;
  /** What the naive calls need at best under the realistic limits (calls ÷ rate, slowest tool). */
  bound_s: number;
  tickets?: number;
  messages?: number;
  note?: string;
}

export interface DistributionRun {
  scenario: 'distribution' | 'distribution-rate-limited';
  findings: number;
  rate: 'off' | 'realistic';
  governor: Governor;
  calls: CallCounts;
  lower_bound: LowerBound;
  /** Arx calls ÷ lower bound, per tool. */
  ratio: CallCounts;
  naive: NaiveFigures;
  wall_s: number;
  /** Rate-limit bound of the lower bound's calls (the realistic limits), and the tool that decides it. */
  bound_s: number;
  bound_tool: string;
  setup_s: number;
  /** 429 answers Arx received (each also counted in `calls`). */
  rate_limited: Record<string, number>;
  tickets: { created: number; adopted: number; new_expected: number };
  census: Census;
}

export interface Rerun {
  findings: number;
  calls: number;
  writes: number;
  calls_by_tool: Record<string, number>;
  writes_by_tool: Record<string, number>;
  reads_by_operation: Record<string, Record<string, number>>;
  wall_s: number;
}

export async function runDistribution(
  options: DistributionOptions,
): Promise<{ run: DistributionRun; rerun?: Rerun }> {
  const governor = options.governor ?? 'default';
  const label =
    `distribution ${sizeLabel(options.findings)}` +
    (options.rate === 'realistic' ? ' rate-limited' : '') +
    (governor === 'matched' ? ' (governor matched to the limits)' : '');
  const faults = options.rate === 'realistic' ? '*:rate=realistic' : undefined;

  note(`${label}: census of the tenant (lower bound)`);
  const census = await withSandbox({ findings: options.findings, only: ['wiz'] }, (sandbox) =>
    takeCensus(sandbox.env, censusOptions(sandbox)),
  );
  const bound = lowerBound(census);
  const limits = await withSandbox({ findings: 10, only: ['wiz'] }, async (s) => realisticLimits(s.tenant));
  const boundTime = rateBoundSeconds(boundKeyedCalls(bound, census), limits);

  note(`${label}: Arx (${census.newTickets} tickets to file for ${census.teams} teams)`);
  const home = mkdtempSync(join(tmpdir(), 'arx-bench-'));
  let rerun: Rerun | undefined;
  const arx = await withSandbox({ findings: options.findings, faults }, async (sandbox) => {
    const first = await runArx(sandbox, home, governor);
    const calls = await readToolCalls(sandbox.endpoints);
    if (options.rerun) {
      note(`${label}: Arx again, nothing changed`);
      const second = await runArx(sandbox, home, governor);
      const delta = callsBetween(calls, await readToolCalls(sandbox.endpoints));
      rerun = {
        findings: options.findings,
        calls: sum(delta.calls),
        writes: sum(delta.writes),
        calls_by_tool: delta.calls,
        writes_by_tool: delta.writes,
        reads_by_operation: delta.byOperation,
        wall_s: round(second.wallSeconds, 2),
      };
    }
    return { first, calls };
  }).finally(() => rmSync(home, { recursive: true, force: true }));

  const naive = await naiveFigures(options, census, limits, label);
  const calls = pick(arx.calls.calls);
  const run: DistributionRun = {
    scenario: options.rate === 'realistic' ? 'distribution-rate-limited' : 'distribution',
    findings: options.findings,
    rate: options.rate,
    governor,
    calls,
    lower_bound: bound,
    ratio: {
      wiz: ratio(calls.wiz, bound.wiz),
      jira: ratio(calls.jira, bound.jira),
      slack: ratio(calls.slack, bound.slack),
    },
    naive,
    wall_s: round(arx.first.wallSeconds, 2),
    bound_s: round(boundTime.seconds, 2),
    bound_tool: boundTime.tool,
    setup_s: round(arx.first.setupSeconds, 2),
    rate_limited: arx.calls.rateLimited,
    tickets: {
      created: arx.first.counts.ticketsCreated ?? 0,
      adopted: census.adopted,
      new_expected: census.newTickets,
    },
    census,
  };
  if (run.tickets.created !== census.newTickets) {
    note(`⚠ ${label}: Arx filed ${run.tickets.created} tickets, the census expected ${census.newTickets}`);
  }
  return rerun ? { run, rerun } : { run };
}

/** Page size of the naive script's Wiz reads (naive/distribute.ts). */
const NAIVE_PAGE = 500;

/**
 * The naive baseline's calls follow from the tenant: 1 token + pages of 500 open issues; per new ticket one
 * Jira search, one create and one Slack message in the team's channel. Where it is run, the measured calls
 * are reported (and checked against these); elsewhere these are, marked as computed.
 */
function naiveCalls(census: Census): Record<string, Record<string, number>> {
  return {
    wiz: { all: 1 + Math.max(1, Math.ceil(census.openIssues / NAIVE_PAGE)) },
    jira: { 'search.jql': census.newTickets, 'issue.create': census.newTickets },
    slack: census.ticketsPerChannel,
  };
}

async function naiveFigures(
  options: DistributionOptions,
  census: Census,
  limits: ReturnType<typeof realisticLimits>,
  label: string,
): Promise<NaiveFigures> {
  const expected = naiveCalls(census);
  const expectedCalls = {
    wiz: sum(expected.wiz!),
    jira: sum(expected.jira!),
    slack: sum(expected.slack!),
  };
  const expectedBound = round(rateBoundSeconds(expected, limits).seconds, 1);
  if (!options.naive) {
    return {
      ...expectedCalls,
      computed: true,
      bound_s: expectedBound,
      note:
        options.rate === 'realistic'
          ? 'not run at this size under rate limits: calls computed, bound_s is the best its calls allow'
          : "not run at this size: calls computed from the tenant (the emulator's JQL search is linear, so a run takes N² time)",
    };
  }
  note(`${label}: naive baseline`);
  const started = performance.now();
  const faults = options.rate === 'realistic' ? '*:rate=realistic' : undefined;
  const measured = await withSandbox({ findings: options.findings, faults }, async (sandbox) => {
    const { severities, account_owner_map, team_channel_map, default_channel } = benchOptions(sandbox);
    const result = await distributeNaively({
      env: sandbox.env,
      severities,
      accountOwners: account_owner_map,
      teamChannels: team_channel_map,
      defaultChannel: default_channel,
      pageSize: NAIVE_PAGE,
    });
    return { result, calls: await readToolCalls(sandbox.endpoints) };
  });
  const wall = secondsSince(started);
  const calls = pick(measured.calls.calls);
  if (options.rate === 'off' && JSON.stringify(calls) !== JSON.stringify(expectedCalls)) {
    note(`⚠ ${label}: naive made ${JSON.stringify(calls)} calls, computed ${JSON.stringify(expectedCalls)}`);
  }
  return {
    ...calls,
    wall_s: wall,
    bound_s: expectedBound,
    tickets: measured.result.tickets,
    messages: measured.result.messages,
  };
}

function censusOptions(sandbox: Sandbox): CensusOptions {
  const options = benchOptions(sandbox);
  return { severities: options.severities, routing: options };
}

function pick(calls: ToolCalls['calls']): CallCounts {
  return Object.fromEntries(TOOLS.map((tool) => [tool, calls[tool] ?? 0])) as unknown as CallCounts;
}

function ratio(calls: number, bound: number): number {
  return bound === 0 ? (calls === 0 ? 1 : Number.POSITIVE_INFINITY) : round(calls / bound, 2);
}

async function withSandbox<T>(
  options: { findings: number; only?: string[]; faults?: string | undefined },
  body: (sandbox: Sandbox) => Promise<T>,
): Promise<T> {
  const sandbox = await startSandbox({
    findings: options.findings,
    seed: SEED,
    ...(options.only ? { only: options.only } : {}),
    ...(options.faults ? { faults: options.faults } : {}),
  });
  try {
    return await body(sandbox);
  } finally {
    await sandbox.close();
  }
}
