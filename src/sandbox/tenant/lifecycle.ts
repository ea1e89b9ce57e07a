import { rngAt, weighted } from '../kit/random.js';

export type IssueStatus = 'OPEN' | 'IN_PROGRESS' | 'RESOLVED' | 'REJECTED';

/** Where a finding stands at the tenant's current scan. Times are epoch milliseconds. */
export interface Lifecycle {
  status: IssueStatus;
  statusChangedAt: number;
  resolvedAt: number | null;
  /** The last scan time the finding was seen open. */
  lastSeenAt: number;
  /** Scans in which it was seen open. */
  timesFound: number;
  reopened: boolean;
  resolutionReason: string | null;
}

/** A status someone set through the API (Wiz `updateIssue`), applied at a scan and carried forward. */
export interface StatusOverride {
  status: IssueStatus;
  atScan: number;
  at: number;
  resolutionReason: string | null;
}

/** Per scan: chance an open finding is fixed, and chance a fixed one comes back. */
const RESOLVE_PER_SCAN = 0.08;
const REOPEN_PER_SCAN = 0.25;

export const ISSUE_START: ReadonlyArray<readonly [IssueStatus, number]> = [
  ['OPEN', 65],
  ['IN_PROGRESS', 10],
  ['RESOLVED', 20],
  ['REJECTED', 5],
];
export const VULN_START: ReadonlyArray<readonly [IssueStatus, number]> = [
  ['OPEN', 80],
  ['RESOLVED', 20],
];

export interface LifecycleInput {
  seed: number;
  kind: string;
  index: number;
  /** Scan the finding first appeared in (0 for the initial tenant). */
  arrivalScan: number;
  createdAt: number;
  /** Scan times: `scanTimes[s]` is when scan s ran; its length - 1 is the current scan. */
  scanTimes: readonly number[];
  start: ReadonlyArray<readonly [IssueStatus, number]>;
  override?: StatusOverride | undefined;
}

/**
 * Replays a finding's history from its arrival to the current scan. Each scan's dice depend only on
 * (seed, kind, index, scan), so any finding's state is computed on its own, in O(scans).
 */
export function lifecycleAt(input: LifecycleInput): Lifecycle {
  const { seed, kind, index, arrivalScan, createdAt, scanTimes, override } = input;
  const arrivalTime = scanTimes[arrivalScan]!;
  const first = rngAt(seed, kind, index, 'start');
  const state: Lifecycle = {
    status: arrivalScan === 0 ? weighted(first, input.start) : 'OPEN',
    statusChangedAt: createdAt,
    resolvedAt: null,
    lastSeenAt: arrivalTime,
    timesFound: 1,
    reopened: false,
    resolutionReason: null,
  };
  if (state.status !== 'OPEN') {
    state.statusChangedAt = createdAt + Math.floor(first() * Math.max(0, arrivalTime - createdAt));
    if (state.status === 'RESOLVED') {
      state.resolvedAt = state.statusChangedAt;
      state.lastSeenAt = state.statusChangedAt;
      state.resolutionReason = 'ISSUE_FIXED';
    }
    if (state.status === 'REJECTED') state.resolutionReason = 'WONT_FIX';
  }
  const current = scanTimes.length - 1;
  for (let scan = arrivalScan; scan <= current; scan++) {
    if (scan > arrivalScan) step(state, rngAt(seed, kind, index, 'scan', scan)(), scanTimes[scan]!);
    if (override && override.atScan === scan) applyOverride(state, override);
  }
  return state;
}

function step(state: Lifecycle, roll: number, at: number): void {
  if (state.status === 'OPEN' || state.status === 'IN_PROGRESS') {
    if (roll < RESOLVE_PER_SCAN) {
      Object.assign(state, {
        status: 'RESOLVED',
        statusChangedAt: at,
        resolvedAt: at,
        resolutionReason: 'ISSUE_FIXED',
      });
    } else {
      state.lastSeenAt = at;
      state.timesFound += 1;
    }
  } else if (state.status === 'RESOLVED' && roll < REOPEN_PER_SCAN) {
    Object.assign(state, { status: 'OPEN', statusChangedAt: at, resolvedAt: null, resolutionReason: null });
    state.reopened = true;
    state.lastSeenAt = at;
    state.timesFound += 1;
  }
}

function applyOverride(state: Lifecycle, override: StatusOverride): void {
  if (state.status === override.status) return;
  state.status = override.status;
  state.statusChangedAt = override.at;
  state.resolutionReason = override.resolutionReason;
  state.resolvedAt = override.status === 'RESOLVED' ? override.at : null;
}
