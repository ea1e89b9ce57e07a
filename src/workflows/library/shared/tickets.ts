import type { BulkCreateResult, BulkItemResult } from '../../../connectors/jira/results.js';
import { compact } from '../../../core/compact.js';
import type { Finding, Severity } from '../../../core/finding/model.js';
import { isDryRun, type NewLink, type SinkLinkInfo, type WorkflowContext } from '../../sdk/index.js';
import type { TicketDraft } from './content.js';
import { existingTickets } from './existing-tickets.js';
import type { TeamRoute } from './routing.js';
import { isOpen, isResolved } from './scope.js';

/**
 * The ticket side of every library workflow. A *unit* is what one ticket stands for: one finding, or a
 * group (the same CVE on the same host seen by Wiz and Qualys; every host with one critical CVE). Each run
 * compares the units with their sink links and:
 * - files a ticket for an open unit without one, in bulk (≤ 50 per Jira call);
 * - adopts a ticket the source already knows (Wiz `serviceTickets`) instead of filing another;
 * - moves its own ticket to Done, with a comment, when every finding of the unit is resolved at the source;
 * - reopens it, with a comment, when a finding of the unit is open again.
 * Only tickets this workflow filed are ever transitioned: an adopted ticket, or one another workflow filed,
 * is left to its owner.
 */
export const JIRA_SINK = 'jira';
/** Jira's bulk create takes at most 50 issues (api-contracts §2.3). */
export const JIRA_BULK_MAX = 50;

export interface TicketUnit {
  /** The sink-link key: the finding key, or a group key (`cve-CVE-2024-3094`). */
  key: string;
  findings: Finding[];
  route: TeamRoute;
  severity: Severity;
  /** Tickets the source already names for this unit (Wiz `serviceTickets` to Jira). */
  knownTickets?: Array<{ key: string; url?: string | undefined }>;
  /** The issue to file when the unit has none. */
  draft(): TicketDraft;
  /** The comment on closing and reopening (default: a sentence naming the findings and their source). */
  closeComment?: string;
  reopenComment?: string;
}

export type TicketChange = 'created' | 'adopted' | 'reopened' | 'closed' | 'unchanged' | 'failed';

export interface TicketOutcome {
  unit: TicketUnit;
  change: TicketChange;
  /** Absent when nothing was filed (failed, or a dry run's planned ticket has no key yet). */
  ticket?: { key: string; url: string };
  reason?: string;
}

/** What sink links say about who filed a ticket and how often it was closed and reopened. */
interface TicketLinkData {
  workflow?: string;
  /** `arx`: this workflow filed it; `source`: adopted from the source's own ticket list. */
  origin?: 'arx' | 'source';
  /** Close/reopen cycles so far: each transition is its own effect (`...:Done:closed-2`). */
  cycle?: number;
  /** The run that last changed it: a resumed run reports its earlier attempts' changes as its own. */
  run?: string;
  /** What that run did to it. */
  change?: 'created' | 'adopted' | 'closed' | 'reopened';
}

export type UnitOpen = 'open' | 'resolved' | 'other';

/** Open when any finding is open; resolved when all are; otherwise (suppressed) neither. */
export function unitState(unit: Pick<TicketUnit, 'findings'>): UnitOpen {
  if (unit.findings.some(isOpen)) return 'open';
  return unit.findings.length > 0 && unit.findings.every(isResolved) ? 'resolved' : 'other';
}

export interface SyncOptions {
  /** Jira project; default the connector's JIRA_PROJECT_KEY. */
  project?: string | undefined;
  /** Progress phase names. */
  phases?: { create?: string; lifecycle?: string };
}

/**
 * Brings Jira in line with the units: files, adopts, closes and reopens, and returns one outcome per
 * unit that changed (and per unit that was already ticketed and still open, as `unchanged`).
 * @example
 * const outcomes = await syncTickets(ctx, units, { project: ctx.options.project_key });
 */
export async function syncTickets(
  ctx: WorkflowContext<unknown>,
  units: readonly TicketUnit[],
  options: SyncOptions = {},
): Promise<TicketOutcome[]> {
  const workflow = ctx.run.workflow;
  const outcomes: TicketOutcome[] = [];
  const toCreate: TicketUnit[] = [];
  const toClose: Array<{ unit: TicketUnit; link: SinkLinkInfo }> = [];
  const toReopen: Array<{ unit: TicketUnit; link: SinkLinkInfo }> = [];

  ctx.progress.phase('checking tickets', units.length);
  const links = await linksOf(ctx, units);
  const adopted: NewLink[] = [];
  for (const unit of units) {
    ctx.progress.tick();
    const state = unitState(unit);
    const link = links.get(unit.key);
    if (!link) {
      if (state !== 'open') continue;
      const known = unit.knownTickets?.[0];
      if (known) {
        adopted.push(...unitLinks(ctx, unit, { key: known.key, url: known.url ?? '' }, 'source'));
        ctx.summary.add('ticketsLinked');
        outcomes.push({ unit, change: 'adopted', ticket: { key: known.key, url: known.url ?? '' } });
      } else toCreate.push(unit);
      continue;
    }
    const data = link.data as TicketLinkData;
    const ticket = { key: link.externalId, url: link.url ?? '' };
    const mine = data.workflow === workflow && data.origin === 'arx';
    if (mine && state === 'resolved' && link.state !== 'closed') toClose.push({ unit, link });
    else if (mine && state === 'open' && link.state === 'closed') toReopen.push({ unit, link });
    else if (data.run === ctx.run.id && data.change) {
      // done by an earlier attempt of this very run (killed, then resumed): still news for its digest
      outcomes.push({ unit, change: data.change, ticket });
    } else if (state === 'open') outcomes.push({ unit, change: 'unchanged', ticket });
  }

  await ctx.links.linkMany(adopted);
  const ticketsKnown = new Set([...links.values()].map((link) => link.externalId)).size;
  outcomes.push(...(await createTickets(ctx, toCreate, { ...options, ticketsKnown })));
  outcomes.push(...(await transitionTickets(ctx, toClose, 'close', options)));
  outcomes.push(...(await transitionTickets(ctx, toReopen, 'reopen', options)));
  return outcomes;
}

/**
 * Each unit's link, or (for a group) the link any of its findings already has, by unit key: read in
 * batches, since a run checks every in-scope finding (30k at 100k findings) and most have not changed.
 */
async function linksOf(
  ctx: WorkflowContext<unknown>,
  units: readonly TicketUnit[],
): Promise<Map<string, SinkLinkInfo>> {
  const keys = units.flatMap((unit) => [unit.key, ...unit.findings.map((f) => f.finding_key)]);
  const stored = await ctx.links.getMany(keys, JIRA_SINK);
  const links = new Map<string, SinkLinkInfo>();
  for (const unit of units) {
    const link =
      stored.get(unit.key) ??
      unit.findings
        .filter((finding) => finding.finding_key !== unit.key)
        .map((finding) => stored.get(finding.finding_key))
        .find((member) => member !== undefined);
    if (link) links.set(unit.key, link);
  }
  return links;
}

/** Links of the unit and each of its findings to the ticket (a finding keeps the first ticket it was linked to). */
function unitLinks(
  ctx: WorkflowContext<unknown>,
  unit: TicketUnit,
  ticket: { key: string; url: string },
  origin: 'arx' | 'source',
): NewLink[] {
  const data: TicketLinkData = {
    workflow: ctx.run.workflow,
    origin,
    cycle: 0,
    run: ctx.run.id,
    change: origin === 'arx' ? 'created' : 'adopted',
  };
  const keys = new Set([unit.key, ...unit.findings.map((f) => f.finding_key)]);
  return [...keys].map((findingKey) => ({
    findingKey,
    sink: JIRA_SINK,
    externalId: ticket.key,
    ...(ticket.url ? { url: ticket.url } : {}),
    state: 'open',
    data: { ...data },
  }));
}

async function createTickets(
  ctx: WorkflowContext<unknown>,
  units: readonly TicketUnit[],
  options: SyncOptions & { ticketsKnown: number },
): Promise<TicketOutcome[]> {
  if (units.length === 0) return [];
  const outcomes: TicketOutcome[] = [];
  ctx.progress.phase(options.phases?.create ?? 'filing tickets', units.length);
  const existing = await existingTickets(
    ctx,
    units.map((unit) => unit.key),
    options,
  );
  const toFile: TicketUnit[] = [];
  const found: Settled[] = [];
  for (const unit of units) {
    const ref = existing?.get(unit.key);
    if (ref)
      found.push(settleItem(ctx, unit, { index: 0, findingKey: unit.key, outcome: 'existing', ...ref }));
    else toFile.push(unit);
  }
  outcomes.push(...(await linkSettled(ctx, found)));
  ctx.progress.tick(found.length);
  for (let at = 0; at < toFile.length; at += JIRA_BULK_MAX) {
    const batch = toFile.slice(at, at + JIRA_BULK_MAX);
    const issues = batch.map((unit) => compact({ ...unit.draft(), findingKey: unit.key }));
    const result = await ctx.op<BulkCreateResult>(
      'jira:issues:bulk-create',
      // looked up just now: the create need not search again (it still reconciles a create in doubt)
      compact({ project: options.project, issues, searched: existing ? (true as const) : undefined }),
      { why: `${batch.length} open finding(s) without a ticket`, target: listed(batch.map((u) => u.key)) },
    );
    if (isDryRun(result)) {
      ctx.summary.add('ticketsCreated', batch.length);
      outcomes.push(...batch.map((unit) => ({ unit, change: 'created' as const })));
    } else {
      const byKey = new Map<string, BulkItemResult>(result.results.map((r) => [r.findingKey, r]));
      outcomes.push(
        ...(await linkSettled(
          ctx,
          batch.map((unit) => settleItem(ctx, unit, byKey.get(unit.key))),
        )),
      );
    }
    ctx.progress.tick(batch.length);
  }
  return outcomes;
}

interface Settled {
  outcome: TicketOutcome;
  links: NewLink[];
}

/** What one bulk-create item means for its unit, and the links to record for it. */
function settleItem(
  ctx: WorkflowContext<unknown>,
  unit: TicketUnit,
  item: BulkItemResult | undefined,
): Settled {
  if (!item || item.outcome === 'failed' || !item.key) {
    const reason = item?.error?.message ?? 'Jira did not report this issue';
    ctx.summary.add('errors');
    ctx.log.warn({ finding: unit.key, reason }, 'ticket not filed; the next run tries again');
    return { outcome: { unit, change: 'failed', reason }, links: [] };
  }
  const ticket = { key: item.key, url: item.url ?? '' };
  // `existing`: filed earlier (its link was lost, or a crash came between filing and linking). In a resumed
  // run that is almost always this run's own earlier attempt, killed after Jira answered: still news for the
  // digest, which must list every ticket the run filed.
  if (item.outcome === 'created') ctx.summary.add('ticketsCreated');
  const news = item.outcome === 'created' || ctx.run.resumed;
  return {
    outcome: { unit, change: news ? 'created' : 'unchanged', ticket },
    links: unitLinks(ctx, unit, ticket, 'arx'),
  };
}

/** Records the links of a batch in one go, then hands back its outcomes. */
async function linkSettled(
  ctx: WorkflowContext<unknown>,
  settled: readonly Settled[],
): Promise<TicketOutcome[]> {
  await ctx.links.linkMany(settled.flatMap((s) => s.links));
  return settled.map((s) => s.outcome);
}

const TRANSITION = {
  close: { to: 'Done', state: 'closed', counter: 'ticketsClosed', change: 'closed' },
  reopen: { to: 'To Do', state: 'open', counter: 'ticketsReopened', change: 'reopened' },
} as const;

async function transitionTickets(
  ctx: WorkflowContext<unknown>,
  items: ReadonlyArray<{ unit: TicketUnit; link: SinkLinkInfo }>,
  kind: keyof typeof TRANSITION,
  options: SyncOptions,
): Promise<TicketOutcome[]> {
  if (items.length === 0) return [];
  const how = TRANSITION[kind];
  const outcomes: TicketOutcome[] = [];
  await ctx.each(
    items,
    async ({ unit, link }) => {
      const data = link.data as TicketLinkData;
      const cycle = (data.cycle ?? 0) + (kind === 'reopen' ? 1 : 0);
      const ticket = { key: link.externalId, url: link.url ?? '' };
      await ctx.op(
        'jira:issues:transition',
        {
          key: ticket.key,
          to: how.to,
          comment:
            (kind === 'close' ? unit.closeComment : unit.reopenComment) ?? defaultComment(ctx, unit, kind),
          occurrence: `${how.state}-${cycle}`,
        },
        {
          count: how.counter,
          why: kind === 'close' ? 'resolved at the source' : 'open again at the source',
          target: ticket.key,
        },
      );
      for (const findingKey of new Set([unit.key, ...unit.findings.map((f) => f.finding_key)])) {
        await ctx.links.update(findingKey, JIRA_SINK, {
          state: how.state,
          data: { cycle, run: ctx.run.id, change: how.change } satisfies TicketLinkData,
        });
      }
      outcomes.push({ unit, change: how.change, ticket });
    },
    {
      phase: options.phases?.lifecycle ?? (kind === 'close' ? 'closing tickets' : 'reopening tickets'),
      id: (i) => i.link.externalId,
    },
  );
  return outcomes;
}

/** A few keys and a count: what a dry-run plan line can show. */
function listed(keys: readonly string[], shown = 3): string {
  const head = keys.slice(0, shown).join(', ');
  return keys.length > shown ? `${head} and ${keys.length - shown} more` : head;
}

function defaultComment(ctx: WorkflowContext<unknown>, unit: TicketUnit, kind: 'close' | 'reopen'): string {
  const sources = [...new Set(unit.findings.flatMap((f) => f.sources.map((s) => `${s.vendor} ${s.uid}`)))];
  const list =
    sources.slice(0, 10).join(', ') + (sources.length > 10 ? ` and ${sources.length - 10} more` : '');
  const by = `Arx workflow ${ctx.run.workflow}, run ${ctx.run.id}`;
  return kind === 'close'
    ? `Resolved at the source (${list}). Closed by ${by}.`
    : `Open again at the source (${list}). Reopened by ${by}; it will be closed again when the finding is resolved.`;
}
