import type { Clock } from '../../core/clock.js';
import { systemClock } from '../../core/clock.js';
import { rngAt } from '../kit/random.js';
import { cveIndexFor, type Host, hostAt, hostCount } from './hosts.js';
import { idFor, indexFromId } from './ids.js';
import {
  ISSUE_START,
  type IssueStatus,
  type Lifecycle,
  lifecycleAt,
  type StatusOverride,
  VULN_START,
} from './lifecycle.js';
import { type MisconfigCore, misconfigCore } from './misconfig.js';
import { buildOrganisation, type Organisation } from './org.js';
import { isTicketed, preexistingIssues, TICKET_START, ticketKeyFor } from './tickets.js';
import { arrivalScan, countAt, createdAt, type KindLayout, layoutFor } from './timeline.js';
import type { CloudAccount, PreexistingJiraIssue, SandboxTenantView, Team, WizProject } from './types.js';

export const MIN_FINDINGS = 10;
export const MAX_FINDINGS = 1_000_000;
/** Share of findings that are vulnerabilities; the rest are misconfiguration issues. */
const VULN_SHARE = 0.4;

export interface DemoTenantOptions {
  seed: number;
  /** Findings at scan 0, vulnerabilities and misconfigurations together. */
  findings: number;
  /** Time of scan 0; default: the clock's current hour. */
  anchor?: Date | string | number;
  clock?: Clock;
}

export interface IssueNote {
  id: string;
  createdAt: number;
  updatedAt: number;
  text: string;
  author: { name: string; email: string | null; serviceAccount: boolean };
}

/** Kinds of findings, each with its own index space and id namespace. */
export type FindingKind = 'issue' | 'vuln';

/**
 * The demo tenant: a pure function of (seed, findings, scan history) plus the few changes clients made
 * through the APIs. Nothing per finding is stored; finding `i` is computed from (seed, i) when asked for.
 */
export class DemoTenant implements SandboxTenantView {
  readonly seed: number;
  readonly findings: number;
  readonly jiraProjectKey = 'SEC';
  /** Where the Jira emulator listens, for Wiz `serviceTickets` URLs; set by `startSandbox`. */
  jiraBaseUrl = 'https://acme.atlassian.net';
  readonly org: Organisation;
  readonly layouts: Record<FindingKind, KindLayout>;
  readonly hosts: number;
  private readonly scanTimes: number[];
  private readonly clock: Clock;
  private readonly overrides = new Map<number, StatusOverride>();
  private readonly dueDates = new Map<number, number>();
  private readonly noteLists = new Map<number, IssueNote[]>();
  private noteSequence = 0;

  constructor(options: DemoTenantOptions) {
    if (
      !Number.isInteger(options.findings) ||
      options.findings < MIN_FINDINGS ||
      options.findings > MAX_FINDINGS
    ) {
      throw new RangeError(`findings must be an integer from ${MIN_FINDINGS} to ${MAX_FINDINGS}`);
    }
    this.seed = options.seed >>> 0;
    this.findings = options.findings;
    this.clock = options.clock ?? systemClock;
    const anchor =
      options.anchor === undefined
        ? Math.floor(this.clock.now().getTime() / 3_600_000) * 3_600_000
        : new Date(options.anchor).getTime();
    this.scanTimes = [anchor];
    this.org = buildOrganisation(this.seed);
    const vulns = Math.max(1, Math.round(options.findings * VULN_SHARE));
    this.layouts = { vuln: layoutFor(vulns), issue: layoutFor(options.findings - vulns) };
    this.hosts = hostCount(vulns);
  }

  get scan(): number {
    return this.scanTimes.length - 1;
  }

  /** Time of the current scan (epoch ms). */
  get scannedAt(): number {
    return this.scanTimes[this.scan]!;
  }

  /** Moves to the next scan: some findings resolve, some resolved ones reappear, new ones arrive. */
  advance(): { scan: number; at: string; issues: number; vulnerabilities: number } {
    const at = Math.max(this.clock.now().getTime(), this.scannedAt + 1);
    this.scanTimes.push(at);
    return {
      scan: this.scan,
      at: new Date(at).toISOString(),
      issues: this.count('issue'),
      vulnerabilities: this.count('vuln'),
    };
  }

  count(kind: FindingKind): number {
    return countAt(this.layouts[kind], this.scan);
  }

  teams(): Team[] {
    return this.org.teams;
  }
  accounts(): CloudAccount[] {
    return this.org.accounts;
  }
  projects(): WizProject[] {
    return this.org.projects;
  }
  accountOwners(): Record<string, string> {
    return Object.fromEntries(this.org.accounts.map((a) => [a.externalId, a.team]));
  }
  project(id: string): WizProject | undefined {
    return this.org.projects.find((p) => p.id === id);
  }

  preexistingJiraIssues(): PreexistingJiraIssue[] {
    return preexistingIssues(this);
  }

  id(kind: FindingKind | 'configFinding' | 'resource' | 'host' | 'note', index: number): string {
    return idFor(this.seed, kind, index);
  }

  indexOf(kind: FindingKind, id: string): number | undefined {
    const index = indexFromId(this.seed, kind, id);
    return index !== undefined && index < this.count(kind) ? index : undefined;
  }

  issueCore(index: number): MisconfigCore {
    return misconfigCore(this.seed, this.org.accounts, index);
  }

  createdAt(kind: FindingKind, index: number, jitter: number): number {
    return createdAt(this.layouts[kind], index, this.scanTimes, jitter);
  }

  issueLifecycle(index: number, core: MisconfigCore = this.issueCore(index)): Lifecycle {
    const layout = this.layouts.issue;
    return lifecycleAt({
      seed: this.seed,
      kind: 'issue',
      index,
      arrivalScan: arrivalScan(layout, index),
      createdAt: this.createdAt('issue', index, core.jitter),
      scanTimes: this.scanTimes,
      start: isTicketed(layout, index) ? TICKET_START : ISSUE_START,
      override: this.overrides.get(index),
    });
  }

  vulnLifecycle(index: number): Lifecycle {
    const layout = this.layouts.vuln;
    return lifecycleAt({
      seed: this.seed,
      kind: 'vuln',
      index,
      arrivalScan: arrivalScan(layout, index),
      createdAt: this.createdAt('vuln', index, this.vulnJitter(index)),
      scanTimes: this.scanTimes,
      start: VULN_START,
    });
  }

  vulnJitter(index: number): number {
    return rngAt(this.seed, 'vuln-jitter', index)();
  }

  host(index: number): Host {
    return hostAt(this.seed, this.org.accounts, index);
  }

  /** Vulnerability `v` sits on host `v mod hosts`, so a host's findings are v = h, h + hosts, ... */
  hostOfVuln(index: number): number {
    return index % this.hosts;
  }

  cveOfVuln(index: number, host: Host = this.host(this.hostOfVuln(index))): number {
    return cveIndexFor(host, this.hosts, index);
  }

  ticketKey(index: number): string | undefined {
    return ticketKeyFor(this.layouts.issue, index, this.jiraProjectKey);
  }

  /** `updateIssue`: a status set through the API holds until a later scan changes it. */
  updateIssue(
    index: number,
    patch: { status?: IssueStatus; resolutionReason?: string; dueAt?: string },
  ): void {
    if (patch.status) {
      this.overrides.set(index, {
        status: patch.status,
        atScan: this.scan,
        at: this.nowAfterScan(),
        resolutionReason: patch.resolutionReason ?? null,
      });
    }
    if (patch.dueAt) this.dueDates.set(index, new Date(patch.dueAt).getTime());
  }

  dueAt(index: number, created: number): number {
    return this.dueDates.get(index) ?? created + 14 * 24 * 3600 * 1000;
  }

  addNote(index: number, text: string, author: IssueNote['author']): IssueNote {
    const at = this.nowAfterScan();
    const note: IssueNote = {
      id: this.id('note', ++this.noteSequence),
      createdAt: at,
      updatedAt: at,
      text,
      author,
    };
    this.noteLists.set(index, [...(this.noteLists.get(index) ?? []), note]);
    return note;
  }

  notes(index: number): IssueNote[] {
    return this.noteLists.get(index) ?? [];
  }

  /** When the API changed something: now, but never before the current scan (keeps histories ordered). */
  lastChangeAt(index: number): number | undefined {
    const override = this.overrides.get(index)?.at;
    const note = this.noteLists.get(index)?.at(-1)?.updatedAt;
    return override === undefined ? note : note === undefined ? override : Math.max(override, note);
  }

  private nowAfterScan(): number {
    return Math.max(this.clock.now().getTime(), this.scannedAt + 1);
  }
}
