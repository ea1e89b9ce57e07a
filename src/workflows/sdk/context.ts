import type { Clock } from '../../core/clock.js';
import type { Finding, FindingClass, FindingStatus, Severity } from '../../core/finding/model.js';
import type { ResourceContext } from '../../governance/risk.js';
import type { Logger } from '../../log/logger.js';
import type { SummaryCounter } from './counters.js';

/**
 * What a workflow's `run(ctx)` is given. Everything a workflow does to the outside world goes through
 * `ctx.op` (the governance gate, with the workflow as principal and the run id attached); it never holds a
 * credential or a connector client. Writes are effects keyed by what they mean, so a run that is killed and
 * run again repeats nothing; `ctx.step` memoises work that must not be redone on resume.
 */
export interface WorkflowContext<O = Record<string, unknown>> {
  readonly run: RunInfo;
  /** The workflow's options: arx.yaml `workflows.<name>`, else their environment variables, else defaults. */
  readonly options: O;
  readonly clock: Clock;
  readonly log: Logger;

  /**
   * One operation through the gate. A write is an effect: its idempotency key (the catalog's derivation from
   * the params, or `options.idempotencyKey`) is claimed in the ledger before the call and completed after it,
   * and a key already done is not written again (its stored result is returned).
   *
   * Denied → throws `PermissionDenied` (counted in the summary first). Escalated → waits for the approval.
   * In a dry run a write is evaluated and audited but not performed, and resolves to a `DryRunResult`
   * (check with `isDryRun`).
   *
   * @example
   * const issue = await ctx.op<{ key: string }>('jira:issues:create',
   *   { project: ctx.options.project_key, summary, findingKey: finding.finding_key },
   *   { count: 'ticketsCreated', why: `new ${finding.severity} finding`, target: finding.finding_key });
   */
  op<R = unknown>(operationId: string, params: Record<string, unknown>, options?: OpOptions): Promise<R>;

  /**
   * Pages of a read operation, each one gate call (and one audit entry). The next page is asked for with
   * `after` = the previous page's `next` cursor; iteration ends on a page without `next`.
   *
   * @example
   * for await (const page of ctx.read<{ items: unknown[] }>('wiz:findings:read', { kind: 'issues', severities: ['CRITICAL'] })) {
   *   ctx.summary.add('findingsRead', page.items.length);
   * }
   */
  read<P extends PageResult = PageResult>(
    operationId: string,
    params: Record<string, unknown>,
    options?: ReadOptions,
  ): AsyncIterable<P>;

  /**
   * An idempotent external effect under `key` (say what it means: `jira:create:<finding_key>`). The ledger
   * records `pending` before `fn` and `done` with its result after; a key already done returns the stored
   * result without calling `fn`. A `pending` key left by a killed run is first looked for at the target with
   * `reconcile` (search by label, dedup key...): found, it is completed without writing again.
   * Keep one external write per effect; `ctx.op` writes inside `fn` are part of this effect.
   *
   * @example
   * const ticket = await ctx.effect(`jira:create:${fk}`, () => ctx.op('jira:issues:create', params), {
   *   reconcile: async () => (await ctx.op<{ issues: Array<{ key: string }> }>('jira:issues:search', { jql })).issues[0],
   * });
   */
  effect<R>(key: string, fn: () => Promise<R>, options?: EffectOptions<R>): Promise<R>;

  /**
   * A durable step: its output (JSON) is stored when it finishes, and a resumed run returns the stored
   * output instead of running it again. Names must be unique within a run.
   *
   * @example
   * const teams = await ctx.step('load-team-map', async () => buildTeamMap(ctx.options));
   */
  step<R>(name: string, fn: () => Promise<R>): Promise<R>;

  /**
   * Runs `fn` for every item and reports an outcome per item: a denial or a failure of one item is counted
   * and logged, and the others still run. A freeze (kill switch) stops the loop and the run.
   *
   * @example
   * const report = await ctx.each(findings, (f) => fileTicket(ctx, f), { phase: 'tickets', id: (f) => f.finding_key });
   */
  each<T>(
    items: readonly T[],
    fn: (item: T, index: number) => Promise<unknown>,
    options?: EachOptions<T>,
  ): Promise<EachReport>;

  /**
   * Reads a source (Wiz, Qualys) into the findings store: one audited read per page, each record normalised,
   * enriched with KEV/EPSS, scored and upserted (the same finding seen again is merged, never duplicated).
   * Incremental by default, from this workflow's own watermark; a dry run reads everything and moves none.
   * Then query what was read with `ctx.findings`.
   *
   * @example
   * await ctx.ingest('wiz', { kinds: ['issues'], filters: { severities: ['CRITICAL', 'HIGH'] } });
   * for await (const finding of ctx.findings.all({ severity: ['critical', 'high'] })) { ... }
   */
  ingest(source: IngestRequest['source'], request?: Omit<IngestRequest, 'source'>): Promise<IngestResult>;

  readonly findings: FindingQueries;
  /** Which ticket, incident or message stands for a finding in each sink. Writes are skipped in a dry run. */
  readonly links: SinkLinks;
  /** "Since the last run" markers. `set` is skipped in a dry run, so a dry run never hides findings from the next real run. */
  readonly watermarks: Watermarks;
  readonly progress: Progress;
  readonly summary: SummaryCounters;
}

export interface RunInfo {
  id: string;
  workflow: string;
  dryRun: boolean;
  /** Set when the run talks to the built-in sandbox rather than real tools. */
  sandbox: SandboxInfo | undefined;
  /** 1 for a fresh run, 2+ when an interrupted run is resumed. */
  attempt: number;
  resumed: boolean;
  startedAt: Date;
}

export interface SandboxInfo {
  findings: number;
  seed: number;
}

export interface OpOptions {
  /** The resource acted on: environment and tags feed the risk score and policy. */
  resource?: ResourceContext;
  /** Overrides the catalog's key derivation (e.g. a reopen that must happen once per cycle). */
  idempotencyKey?: string;
  /** Added to this counter once when the operation is done (or would be, in a dry run). */
  count?: SummaryCounter;
  /** Why the workflow does this: shown in the dry-run plan. */
  why?: string;
  /** What it is done for (a finding key, a team): shown in the dry-run plan. */
  target?: string;
}

export interface ReadOptions {
  resource?: ResourceContext;
  /** Stop after this many pages. */
  maxPages?: number;
}

/** The shape of a paged read result: `next` is the cursor passed back as `after`. */
export interface PageResult {
  next?: string | undefined;
}

export interface EffectOptions<R> {
  /** Looks for the effect at the target; undefined when it is not there. */
  reconcile?: () => Promise<R | undefined>;
  /** A label for the ledger entry (default: the first operation id written, else `effect`). */
  operation?: string;
  /** Added to this counter once the effect is done by this run (or would be, in a dry run). */
  count?: SummaryCounter;
  why?: string;
  target?: string;
}

export interface EachOptions<T> {
  /** Starts a progress phase of this name sized to the items, and ticks once per item. */
  phase?: string;
  /** How an item is named in logs and the summary (default: its index). */
  id?: (item: T) => string;
}

export interface EachReport {
  ok: number;
  denied: number;
  failed: number;
  /** The items that did not succeed, with why. */
  problems: Array<{ item: string; outcome: 'denied' | 'failed'; reason: string }>;
}

export interface IngestRequest {
  source: 'wiz' | 'qualys';
  /** Wiz only: `issues`, `vulnerabilities`, `configuration` (default all three). */
  kinds?: readonly string[];
  /** Filters as the source's read operation names them (`severities`, `types`, `status`...). */
  filters?: Record<string, unknown>;
  /** Read only what changed since this workflow's last read (default true). */
  incremental?: boolean;
  /** Per-account facts (owner team, environment, criticality) the normaliser applies, by account id. */
  accounts?: Record<string, { name?: string; environment?: string; owner?: string; criticality?: number }>;
  /** Records (Wiz) or hosts (Qualys) per page; default the connector's. */
  pageSize?: number;
}

export interface IngestResult {
  /** Raw records read. */
  read: number;
  /** New findings. */
  imported: number;
  /** Records that updated a finding already stored. */
  merged: number;
  /** Records that could not be normalised, kept in quarantine with the reason. */
  quarantined: number;
  pages: number;
}

export interface FindingQuery {
  severity?: Severity | readonly Severity[];
  status?: FindingStatus | readonly FindingStatus[];
  class?: FindingClass | readonly FindingClass[];
  resourceUid?: string;
  order?: 'severity' | 'priority' | 'last_seen' | 'key';
  /** Page size for `list` (default 50, at most 1000). */
  limit?: number;
  after?: string;
}

export interface FindingQueries {
  /** One page; pass `next` back as `after`. */
  list(query?: FindingQuery): Promise<{ items: Finding[]; next?: string }>;
  /** Every matching finding, page by page. */
  all(query?: Omit<FindingQuery, 'after'>): AsyncIterable<Finding>;
  get(findingKey: string): Promise<Finding | undefined>;
  count(query?: Pick<FindingQuery, 'severity' | 'status' | 'class' | 'resourceUid'>): Promise<number>;
}

export interface SinkLinkInfo {
  findingKey: string;
  sink: string;
  externalId: string;
  url: string | null;
  state: string | null;
  data: Record<string, unknown>;
}

export interface NewLink {
  findingKey: string;
  sink: string;
  externalId: string;
  url?: string;
  state?: string;
  data?: Record<string, unknown>;
}

export interface SinkLinks {
  get(findingKey: string, sink: string): Promise<SinkLinkInfo | undefined>;
  /**
   * The links of many findings in one sink, by finding key (absent: no link), in a few queries.
   * @example const links = await ctx.links.getMany(findings.map((f) => f.finding_key), 'jira');
   */
  getMany(findingKeys: readonly string[], sink: string): Promise<Map<string, SinkLinkInfo>>;
  forFinding(findingKey: string): Promise<SinkLinkInfo[]>;
  byExternalId(sink: string, externalId: string): Promise<SinkLinkInfo | undefined>;
  /** Records the link unless one exists (never replaces one). */
  link(input: NewLink): Promise<void>;
  /**
   * Records each link unless its finding already has one in that sink, in a few statements.
   * @example await ctx.links.linkMany(filed.map((t) => ({ findingKey: t.findingKey, sink: 'jira', externalId: t.key })));
   */
  linkMany(inputs: readonly NewLink[]): Promise<void>;
  update(
    findingKey: string,
    sink: string,
    patch: { state?: string; url?: string; data?: Record<string, unknown> },
  ): Promise<void>;
}

export interface Watermarks {
  get(source: string, scope?: string): Promise<string | undefined>;
  set(source: string, value: string, scope?: string): Promise<void>;
}

export interface Progress {
  /** Starts a phase (`reading findings`, `tickets`); `total` sizes its bar when known. */
  phase(name: string, total?: number): void;
  /** Sets or corrects the current phase's total. */
  total(total: number): void;
  tick(count?: number): void;
}

export interface SummaryCounters {
  /** Adds to a summary counter, or to an extra counter of the workflow's own. */
  add(counter: SummaryCounter | (string & {}), count?: number): void;
  get(counter: SummaryCounter | (string & {})): number;
}
