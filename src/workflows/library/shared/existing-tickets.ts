import type { ByFindingResult, IssueRef } from '../../../connectors/jira/results.js';
import { compact } from '../../../core/compact.js';
import { isPermissionDenied, type WorkflowContext } from '../../sdk/index.js';

/**
 * Which of the units about to be ticketed already have an issue in Jira (filed by a run whose store was
 * lost, by another workflow, or by another Arx installation), learnt before filing so none is filed twice.
 * Two ways, whichever takes fewer calls this run:
 * - list every issue Arx filed in the project (label `arx`, 100 per page): ceil(tickets / 100) calls;
 * - look the units up by their finding labels, 100 per call: ceil(units / 100) calls.
 * The store's count of the tickets it links estimates the listing. The project may hold more (another
 * installation's), so the listing stops once it has cost what the lookups would, and the units it has
 * not proven absent are then looked up by key: at worst twice the lookups, never a guess.
 */
export const LOOKUP_BATCH = 100;

export type LookupPlan = { mode: 'list'; maxPages: number } | { mode: 'by-key' };

/** @example lookupPlan(217, 0) // { mode: 'list', maxPages: 3 }: a first run lists the project once */
export function lookupPlan(unitsToFile: number, ticketsKnown: number): LookupPlan {
  const byKey = Math.ceil(unitsToFile / LOOKUP_BATCH);
  const listing = Math.ceil(Math.max(1, ticketsKnown) / LOOKUP_BATCH);
  return listing <= byKey ? { mode: 'list', maxPages: byKey } : { mode: 'by-key' };
}

export interface ExistingTicketsOptions {
  /** Jira project; default the connector's JIRA_PROJECT_KEY. */
  project?: string | undefined;
  /** Distinct tickets the store already links (an estimate of Arx's tickets in the project). */
  ticketsKnown: number;
}

/**
 * The oldest Arx issue of each unit key that has one, or undefined when the lookup is not allowed here
 * (`jira:issues:by-finding` left out of `connectors.jira.operations`): the bulk create then searches for
 * each batch itself, as it does for any caller that has not looked.
 * @example const existing = await existingTickets(ctx, units.map((u) => u.key), { ticketsKnown: 0 });
 */
export async function existingTickets(
  ctx: WorkflowContext<unknown>,
  unitKeys: readonly string[],
  options: ExistingTicketsOptions,
): Promise<Map<string, IssueRef> | undefined> {
  const found = new Map<string, IssueRef>();
  if (unitKeys.length === 0) return found;
  const plan = lookupPlan(unitKeys.length, options.ticketsKnown);
  const note = (items: ByFindingResult['items']) => {
    for (const { findingKey, ...ref } of items) if (!found.has(findingKey)) found.set(findingKey, ref);
  };
  try {
    if (plan.mode === 'list') {
      let complete = false;
      const pages = ctx.read<ByFindingResult>(
        'jira:issues:by-finding',
        compact({ project: options.project }),
        {
          maxPages: plan.maxPages,
        },
      );
      for await (const page of pages) {
        note(page.items);
        complete = !page.next;
      }
      if (complete) return found;
      ctx.log.info(
        { pages: plan.maxPages },
        'the project holds more Arx tickets than this store links: looking the new ones up by key instead',
      );
    }
    const unproven = unitKeys.filter((key) => !found.has(key));
    for (let at = 0; at < unproven.length; at += LOOKUP_BATCH) {
      const findingKeys = unproven.slice(at, at + LOOKUP_BATCH);
      const params = compact({ project: options.project, findingKeys });
      for await (const page of ctx.read<ByFindingResult>('jira:issues:by-finding', params)) note(page.items);
    }
    return found;
  } catch (err) {
    if (!isPermissionDenied(err)) throw err;
    ctx.log.warn(
      { operation: 'jira:issues:by-finding' },
      'looking tickets up is not allowed here: each bulk create searches for its own findings instead',
    );
    return undefined;
  }
}
