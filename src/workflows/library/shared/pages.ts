import type { CreateIncidentResult } from '../../../connectors/pagerduty/results.js';
import { compact } from '../../../core/compact.js';
import { isDryRun, type WorkflowContext } from '../../sdk/index.js';

import { type TicketUnit, unitState } from './tickets.js';

/**
 * PagerDuty incidents for units (one per unit, keyed `incident_key` = the unit key): paged once while the
 * unit is open, resolved when every finding of the unit is resolved, paged again (a new incident, its own
 * effect) if it comes back. Like tickets, only incidents this workflow opened are ever resolved by it.
 */
export const PAGERDUTY_SINK = 'pagerduty';

export interface IncidentDraft {
  title: string;
  details?: string;
  /** Default: the connector's PAGERDUTY_SERVICE_ID. */
  serviceId?: string | undefined;
  priorityId?: string | undefined;
}

export interface PageOutcome {
  unit: TicketUnit;
  change: 'paged' | 'repaged' | 'resolved' | 'unchanged' | 'failed';
  incident?: { id: string; url: string };
  reason?: string;
}

interface PageLinkData {
  workflow?: string;
  /** The incident currently standing for the unit (a re-page opens a new one). */
  incidentId?: string;
  cycle?: number;
}

/**
 * @example
 * const pages = await syncPages(ctx, units, (unit) => ({ title: `P1 ${unit.key}`, details: '...' }));
 */
export async function syncPages(
  ctx: WorkflowContext<unknown>,
  units: readonly TicketUnit[],
  draft: (unit: TicketUnit) => IncidentDraft,
): Promise<PageOutcome[]> {
  const outcomes: PageOutcome[] = [];
  const work: Array<() => Promise<void>> = [];
  for (const unit of units) {
    const state = unitState(unit);
    const link = await ctx.links.get(unit.key, PAGERDUTY_SINK);
    const data = (link?.data ?? {}) as PageLinkData;
    const mine = data.workflow === ctx.run.workflow;
    const current = { id: data.incidentId ?? link?.externalId ?? '', url: link?.url ?? '' };
    if (!link && state === 'open') work.push(() => page(ctx, unit, draft(unit), 0, outcomes));
    else if (link && mine && state === 'open' && link.state === 'resolved') {
      work.push(() => page(ctx, unit, draft(unit), (data.cycle ?? 0) + 1, outcomes));
    } else if (link && mine && state === 'resolved' && link.state !== 'resolved') {
      work.push(() => resolve(ctx, unit, current, outcomes));
    } else if (link && state === 'open') outcomes.push({ unit, change: 'unchanged', incident: current });
  }
  if (work.length === 0) return outcomes;
  await ctx.each(work, (step) => step(), { phase: 'paging on-call' });
  return outcomes;
}

async function page(
  ctx: WorkflowContext<unknown>,
  unit: TicketUnit,
  incident: IncidentDraft,
  cycle: number,
  outcomes: PageOutcome[],
): Promise<void> {
  const result = await ctx.op<CreateIncidentResult>(
    'pagerduty:incidents:create',
    compact({
      title: incident.title,
      details: incident.details,
      serviceId: incident.serviceId,
      priorityId: incident.priorityId,
      incidentKey: unit.key,
      urgency: 'high' as const,
      findingPriority: 'P1' as const,
      occurrence: cycle > 0 ? `repage-${cycle}` : undefined,
    }),
    { count: 'pages', why: cycle > 0 ? 'open again at the source' : 'critical and open', target: unit.key },
  );
  const change = cycle > 0 ? 'repaged' : 'paged';
  if (isDryRun(result)) {
    outcomes.push({ unit, change });
    return;
  }
  const ref = { id: result.id, url: result.url ?? '' };
  const data: PageLinkData = { workflow: ctx.run.workflow, incidentId: ref.id, cycle };
  if (cycle === 0) {
    await ctx.links.link({
      findingKey: unit.key,
      sink: PAGERDUTY_SINK,
      externalId: ref.id,
      ...(ref.url ? { url: ref.url } : {}),
      state: 'open',
      data: { ...data, incidentKey: unit.key },
    });
  } else {
    await ctx.links.update(unit.key, PAGERDUTY_SINK, {
      state: 'open',
      ...(ref.url ? { url: ref.url } : {}),
      data: { ...data },
    });
  }
  outcomes.push({ unit, change, incident: ref });
}

async function resolve(
  ctx: WorkflowContext<unknown>,
  unit: TicketUnit,
  incident: { id: string; url: string },
  outcomes: PageOutcome[],
): Promise<void> {
  await ctx.op(
    'pagerduty:incidents:resolve',
    {
      incidentId: incident.id,
      resolution: `Resolved at the source; resolved by Arx workflow ${ctx.run.workflow}.`,
    },
    { why: 'resolved at the source', target: unit.key },
  );
  ctx.summary.add('incidentsResolved');
  await ctx.links.update(unit.key, PAGERDUTY_SINK, { state: 'resolved' });
  outcomes.push({ unit, change: 'resolved', incident });
}

/** The incident standing for a unit (for the ticket's links), after `syncPages`. */
export function incidentOf(outcomes: readonly PageOutcome[], unitKey: string): PageOutcome['incident'] {
  return outcomes.find((o) => o.unit.key === unitKey)?.incident;
}
