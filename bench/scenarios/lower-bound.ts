import { WIZ_NORMALISERS } from '../../src/connectors/wiz/normalise.js';
import { WIZ_MAX_PAGE } from '../../src/connectors/wiz/operations.js';
import { FINDING_QUERIES } from '../../src/connectors/wiz/queries.js';
import type { Finding } from '../../src/core/finding/model.js';
import { SANDBOX_EMULATORS } from '../../src/sandbox/emulators.js';
import type { RateLimit } from '../../src/sandbox/kit/types.js';
import type { DemoTenant } from '../../src/sandbox/tenant/tenant.js';
import { jiraTicketsOf } from '../../src/workflows/library/shared/jira.js';
import { teamRouter } from '../../src/workflows/library/shared/routing.js';
import {
  fromSources,
  inScope,
  isOpen,
  type Scope,
  type SeverityWord,
  severitiesOf,
  wizSeverities,
} from '../../src/workflows/library/shared/scope.js';
import { JIRA_BULK_MAX } from '../../src/workflows/library/shared/tickets.js';
import { WIZ_ISSUE_PRODUCTS } from '../../src/workflows/library/wiz-finding-distribution/workflow.js';
import { fetchOnce } from '../naive/http.js';
import { wizToken } from '../naive/wiz.js';

/**
 * The fewest calls ANY correct implementation of wiz-finding-distribution needs on a tenant, computed from
 * the tenant itself (read through the Wiz emulator of a separate sandbox with the same seed, so it costs the
 * measured runs nothing). It classifies findings with Arx's own normaliser, scope and routing: the bound is
 * about how many calls the same decisions need, not about which decisions are right.
 *
 *   wiz   = 1 token + max(1, ceil(in-scope issues / 1000))        Wiz's largest page is 1000
 *   jira  = ceil(new tickets / 50)                                 bulk create takes at most 50
 *         + ceil(max(1, Arx tickets already in the project) / 100) one label-search listing to dedupe
 *   slack = teams with at least one new ticket                     one digest per team
 */
export const JIRA_SEARCH_PAGE = 100;

export interface Census {
  /** Wiz issues the workflow's read filter returns (all statuses: resolved ones close tickets). */
  inScope: number;
  /** In-scope issues open at Wiz (what a script filtering on open status pages through). */
  openIssues: number;
  /** Distinct in-scope findings (Arx merges issues with the same finding key). */
  findings: number;
  /** Open findings with no ticket yet: what must be filed. */
  newTickets: number;
  /** Open findings whose Wiz issue already names a Jira ticket (adopted, not filed). */
  adopted: number;
  /** Teams with news, and how many digests each channel receives. */
  teams: number;
  messagesPerChannel: Record<string, number>;
  /** New tickets by the owning team's channel (where a per-finding script would post). */
  ticketsPerChannel: Record<string, number>;
}

export interface CallCounts {
  wiz: number;
  jira: number;
  slack: number;
}

export interface LowerBound extends CallCounts {
  /** The parts, for the report: Wiz reads, Jira creates and dedupe reads. */
  parts: { wizReads: number; jiraCreates: number; jiraDedupeReads: number };
}

export interface CensusOptions {
  severities: readonly SeverityWord[];
  routing: Parameters<typeof teamRouter>[0];
}

export async function takeCensus(env: Record<string, string>, options: CensusOptions): Promise<Census> {
  const severities = severitiesOf(options.severities);
  const scope: Scope = {
    classes: ['compliance', 'detection'],
    severities,
    source: fromSources({ vendor: 'wiz', products: WIZ_ISSUE_PRODUCTS }),
  };
  const token = await wizToken(env);
  const byKey = new Map<string, Finding>();
  let inScopeIssues = 0;
  let openIssues = 0;
  const { query, field } = FINDING_QUERIES.issues;
  for (let after: string | null = null; ; ) {
    const response = await fetchOnce(env.WIZ_API_URL!, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        query,
        variables: {
          filterBy: { severity: wizSeverities(severities) },
          first: WIZ_MAX_PAGE,
          after,
        },
      }),
    });
    const body = (await response.json()) as {
      data: Record<string, { nodes: unknown[]; pageInfo: { hasNextPage: boolean; endCursor: string } }>;
    };
    const page = body.data[field]!;
    for (const node of page.nodes) {
      const result = WIZ_NORMALISERS.issue(node, {});
      if (!result.ok || !inScope(result.finding, scope)) continue;
      inScopeIssues++;
      if (isOpen(result.finding)) openIssues++;
      const known = byKey.get(result.finding.finding_key);
      if (known) known.sources.push(...result.finding.sources);
      else byKey.set(result.finding.finding_key, result.finding);
    }
    if (!page.pageInfo.hasNextPage) break;
    after = page.pageInfo.endCursor;
  }
  const routes = teamRouter(options.routing);
  let newTickets = 0;
  let adopted = 0;
  const teams = new Set<string>();
  const messagesPerChannel: Record<string, number> = {};
  const ticketsPerChannel: Record<string, number> = {};
  for (const finding of byKey.values()) {
    if (!isOpen(finding)) continue;
    if (jiraTicketsOf(finding).length > 0) {
      adopted++;
      continue;
    }
    newTickets++;
    const route = routes.routeOf(finding);
    ticketsPerChannel[route.channel] = (ticketsPerChannel[route.channel] ?? 0) + 1;
    if (teams.has(route.team)) continue;
    teams.add(route.team);
    messagesPerChannel[route.channel] = (messagesPerChannel[route.channel] ?? 0) + 1;
  }
  return {
    inScope: inScopeIssues,
    openIssues,
    findings: byKey.size,
    newTickets,
    adopted,
    teams: teams.size,
    messagesPerChannel,
    ticketsPerChannel,
  };
}

/**
 * `arxTicketsInProject`: tickets carrying Arx's finding labels before the run (0 on a first run: the
 * tenant's pre-existing tickets are found through Wiz `serviceTickets`, not by label).
 */
export function lowerBound(census: Census, arxTicketsInProject = 0): LowerBound {
  const wizReads = Math.max(1, Math.ceil(census.inScope / WIZ_MAX_PAGE));
  const jiraCreates = Math.ceil(census.newTickets / JIRA_BULK_MAX);
  const jiraDedupeReads =
    jiraCreates > 0 ? Math.ceil(Math.max(1, arxTicketsInProject) / JIRA_SEARCH_PAGE) : 0;
  return {
    wiz: 1 + wizReads,
    jira: jiraCreates + jiraDedupeReads,
    slack: census.teams,
    parts: { wizReads, jiraCreates, jiraDedupeReads },
  };
}

/** Each emulator's `rate=realistic` limit, as the emulator itself declares it. */
export function realisticLimits(tenant: DemoTenant): Record<string, RateLimit | undefined> {
  const limits: Record<string, RateLimit | undefined> = {};
  for (const emulator of SANDBOX_EMULATORS) {
    const definition = emulator.create({ seed: tenant.seed, tenant, random: Math.random, faults: {} });
    limits[emulator.name] = definition.realisticRateLimit;
  }
  return limits;
}

/**
 * Seconds the tools' rate limits alone impose on a set of calls: per tool, calls ÷ allowed rate, counted on
 * the busiest rate-limit key (Jira limits each endpoint apart, Slack each channel); the slowest tool decides.
 * The initial burst a token bucket allows is ignored, as "calls ÷ rate" says.
 */
export function rateBoundSeconds(
  keyedCalls: Record<string, Record<string, number>>,
  limits: Record<string, RateLimit | undefined>,
): { seconds: number; tool: string } {
  let slowest = { seconds: 0, tool: '' };
  for (const [tool, byKey] of Object.entries(keyedCalls)) {
    const limit = limits[tool];
    if (!limit) continue;
    const perSecond = limit.requests / (limit.windowMs / 1000);
    const busiest = limit.scope === 'key' ? Math.max(0, ...Object.values(byKey)) : sumOf(byKey);
    const seconds = busiest / perSecond;
    if (seconds > slowest.seconds) slowest = { seconds, tool };
  }
  return slowest;
}

/** The lower bound's calls by rate-limit key, for `rateBoundSeconds`. */
export function boundKeyedCalls(bound: LowerBound, census: Census): Record<string, Record<string, number>> {
  return {
    wiz: { token: 1, 'issues read': bound.parts.wizReads },
    jira: { 'issue.bulkCreate': bound.parts.jiraCreates, 'search.jql': bound.parts.jiraDedupeReads },
    slack: census.messagesPerChannel,
  };
}

function sumOf(record: Record<string, number>): number {
  return Object.values(record).reduce((total, n) => total + n, 0);
}
