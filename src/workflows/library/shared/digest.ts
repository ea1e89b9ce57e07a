import {
  type DigestTicket,
  digestBlocks,
  digestText,
  type TeamDigest,
} from '../../../connectors/slack/blocks.js';
import { isArxError } from '../../../core/errors.js';
import type { Severity } from '../../../core/finding/model.js';
import type { WorkflowContext } from '../../sdk/index.js';
import type { TeamRoute } from './routing.js';
import type { TicketChange, TicketOutcome } from './tickets.js';

/**
 * One Slack message per team per run, never one per finding: the team's new, reopened and closed tickets
 * with links, and counts per severity. A team with nothing new gets no message, so a run that changes
 * nothing writes nothing. The post's idempotency key is (workflow, run, team, channel): a resumed run
 * never posts a team's digest twice.
 */
const NEWS: ReadonlySet<TicketChange> = new Set(['created', 'reopened', 'closed']);

export interface DigestOptions {
  /** Header, e.g. `Wiz findings`; the team name is appended. */
  title: string;
  /** Where a team whose own channel does not exist gets its digest. */
  fallbackChannel: string;
  /** Severity counts shown for a team (default: its created and reopened tickets). */
  counts?: (team: string, outcomes: readonly TicketOutcome[]) => Partial<Record<Severity, number>>;
  /** A line under the counts, e.g. the open findings per cloud account. */
  footer?: (team: string, outcomes: readonly TicketOutcome[]) => string | undefined;
}

export interface DigestOutcome {
  team: string;
  channel: string;
  tickets: number;
}

/**
 * @example
 * await postDigests(ctx, outcomes, { title: 'Wiz findings', fallbackChannel: ctx.options.default_channel });
 */
export async function postDigests(
  ctx: WorkflowContext<unknown>,
  outcomes: readonly TicketOutcome[],
  options: DigestOptions,
): Promise<DigestOutcome[]> {
  const byTeam = new Map<string, { route: TeamRoute; outcomes: TicketOutcome[] }>();
  for (const outcome of outcomes) {
    if (!NEWS.has(outcome.change)) continue;
    const { route } = outcome.unit;
    const entry = byTeam.get(route.team) ?? { route, outcomes: [] };
    entry.outcomes.push(outcome);
    byTeam.set(route.team, entry);
  }
  const posted: DigestOutcome[] = [];
  const teams = [...byTeam.values()].sort((a, b) => a.route.team.localeCompare(b.route.team));
  await ctx.each(
    teams,
    async ({ route, outcomes: news }) => {
      const digest: TeamDigest = {
        title: options.title,
        team: route.team,
        period: `run ${ctx.run.id}`,
        counts:
          options.counts?.(route.team, news) ?? severityCounts(news.filter((o) => o.change !== 'closed')),
        tickets: news.map(ticketLine),
        footer: options.footer?.(route.team, news) ?? `Arx workflow ${ctx.run.workflow}`,
      };
      const channel = await post(ctx, route, digest, options.fallbackChannel);
      posted.push({ team: route.team, channel, tickets: news.length });
    },
    { phase: 'team digests', id: (t) => t.route.team },
  );
  return posted;
}

async function post(
  ctx: WorkflowContext<unknown>,
  route: TeamRoute,
  digest: TeamDigest,
  fallbackChannel: string,
): Promise<string> {
  const send = (channel: string, note?: string) =>
    ctx.op(
      'slack:chat:write',
      {
        channel,
        text: digestText(digest),
        blocks: digestBlocks(note ? { ...digest, footer: `${digest.footer ?? ''} ${note}`.trim() } : digest),
        unfurlLinks: false,
        dedupeKey: `${ctx.run.workflow}:${ctx.run.id}:${route.team}`,
      },
      { count: 'messages', why: `digest for team ${route.team}`, target: channel },
    );
  try {
    await send(route.channel);
    return route.channel;
  } catch (err) {
    const missing =
      isArxError(err) && ['channel_not_found', 'channel_archived', 'not_in_channel'].includes(err.code);
    if (!missing || route.channel === fallbackChannel) throw err;
    ctx.log.warn(
      { team: route.team, channel: route.channel, code: err.code },
      'team channel unusable; posting to the fallback channel',
    );
    await send(fallbackChannel, `(posted here because ${route.channel} could not be used: ${err.code})`);
    return fallbackChannel;
  }
}

function ticketLine(outcome: TicketOutcome): DigestTicket {
  return {
    key: outcome.ticket?.key ?? '(new ticket)',
    url: outcome.ticket?.url ?? '',
    title: outcome.unit.draft().summary,
    severity: outcome.unit.severity,
    change: outcome.change,
  };
}

export function severityCounts(outcomes: readonly TicketOutcome[]): Partial<Record<Severity, number>> {
  const counts: Partial<Record<Severity, number>> = {};
  for (const { unit } of outcomes) counts[unit.severity] = (counts[unit.severity] ?? 0) + 1;
  return counts;
}
