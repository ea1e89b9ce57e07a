import type { Context, Next } from 'hono';
import { type Clock, systemClock } from '../../core/clock.js';
import { routeTable, switchValue } from '../kit/route-table.js';
import type {
  EmulatorControl,
  EmulatorDefinition,
  FaultSpec,
  RateLimit,
  SandboxContext,
} from '../kit/types.js';
import type { Priority } from './catalog.js';
import { jiraError } from './http.js';
import type { SeedIssue } from './model.js';
import type { JiraRouteEnv } from './routes-env.js';
import { issueRoutes } from './routes-issues.js';
import { metaRoutes } from './routes-meta.js';
import { searchRoutes } from './routes-search.js';
import { JiraSite } from './site.js';

/** Jira Cloud REST v3 emulator: Basic auth (email + API token), issues, JQL search, workflow, comments. */

export const JIRA_SANDBOX_CREDENTIALS = {
  email: 'arx-bot@sandbox.arx.invalid',
  apiToken: 'sandbox-jira-token',
} as const;

export interface JiraEmulatorOptions {
  projectKey?: string;
  projectName?: string;
  /** Tickets that exist before Arx runs (e.g. the demo tenant's already-ticketed findings). */
  seedIssues?: SeedIssue[];
  /** Assignable people besides the API-token owner. */
  users?: Array<{ displayName: string; emailAddress: string }>;
  components?: string[];
  priorities?: Priority[];
  credentials?: { email: string; apiToken: string };
  clock?: Clock;
  /** Switch values when no live fault spec is on the request (see `JIRA_SWITCHES`). */
  faults?: FaultSpec;
}

/** Behaviours the contract marks [unconfirmed] (or that vary by site), settable through `--faults jira:<name>=`. */
export const JIRA_SWITCHES: Record<string, string> = {
  unauthorizedBody:
    'body of a 401 for bad credentials: text (default, "Client must be authenticated..."), empty, json',
  bulkPartialStatus: 'HTTP status of a bulk create where some items failed (default 201)',
  lastPageToken: 'search/jql last page: absent (default, no nextPageToken key) or null (nextPageToken: null)',
  searchLagMs:
    'new issues become visible to search this many ms after creation unless reconciled (default 0)',
  legacySearch:
    'serve the retired GET/POST /rest/api/3/search (startAt/total) instead of 410 Gone (default false)',
  jqlMissingKeyError: 'JQL naming a key that does not exist is a 400, as Jira does (default true)',
};

/**
 * Jira applies per-second burst limits per tenant, endpoint and method and does not publish the numbers;
 * 20 per second per endpoint is low enough for tests to reach and high enough for normal workflows.
 */
const BURST_LIMIT: RateLimit = { requests: 20, windowMs: 1000, scope: 'key' };
/** Jira sets `X-RateLimit-NearLimit` when little budget is left; the 20% threshold is [unconfirmed]. */
const NEAR_LIMIT_FRACTION = 0.2;
const UNAUTHORIZED_TEXT = 'Client must be authenticated to access this resource.';

export function createJiraEmulator(
  ctx: { random(): number; faults?: FaultSpec },
  options: JiraEmulatorOptions = {},
): EmulatorDefinition & EmulatorControl {
  const credentials = options.credentials ?? JIRA_SANDBOX_CREDENTIALS;
  const projectKey = options.projectKey ?? 'SEC';
  const site = new JiraSite({
    clock: options.clock ?? systemClock,
    random: () => ctx.random(),
    projectKey,
    projectName: options.projectName ?? 'Security',
    me: { displayName: 'Arx Automation', emailAddress: credentials.email },
    users: options.users ?? [
      { displayName: 'Dana Whitfield', emailAddress: 'dana.whitfield@example.com' },
      { displayName: 'Ravi Menon', emailAddress: 'ravi.menon@example.com' },
    ],
    components: options.components ?? [],
    ...(options.priorities ? { priorities: options.priorities } : {}),
  });
  for (const seed of options.seedIssues ?? []) site.seed(seed);

  const built = options.faults ?? ctx.faults;
  const env: JiraRouteEnv = { site, switchOf: (c, name, fallback) => switchValue(c, built, name, fallback) };
  const expected = `Basic ${Buffer.from(`${credentials.email}:${credentials.apiToken}`).toString('base64')}`;

  const authenticate = async (c: Context, next: Next) => {
    if (c.req.header('authorization') === expected) {
      await next();
      const rate = c.get('rateLimit');
      if (rate && rate.remaining < rate.limit * NEAR_LIMIT_FRACTION)
        c.header('X-RateLimit-NearLimit', 'true');
      return;
    }
    c.header('X-Seraph-LoginReason', 'AUTHENTICATED_FAILED');
    const body = env.switchOf(c, 'unauthorizedBody', 'text');
    if (body === 'empty') return c.body(null, 401);
    if (body === 'json') return c.json({ errorMessages: [UNAUTHORIZED_TEXT], errors: {} }, 401);
    return c.text(UNAUTHORIZED_TEXT, 401);
  };

  const table = routeTable([...issueRoutes(env), ...searchRoutes(env), ...metaRoutes(env)], (app) => {
    app.use('/rest/*', authenticate);
    app.onError((_err, c) => c.json({ errorMessages: ['Internal server error'], errors: {} }, 500));
    app.notFound((c) => jiraError(c, 404, [`null for uri: ${c.req.url}`]));
  });

  return {
    name: 'jira',
    app: table.app,
    operationOf: table.operationOf,
    realisticRateLimit: BURST_LIMIT,
    rateKey: (c) => `${c.req.method} ${table.operationOf(c)}`,
    rateLimitedResponse(c, retryAfterSeconds) {
      const reset = new Date(site.now().getTime() + retryAfterSeconds * 1000);
      return c.json({ errorMessages: ['Rate limit exceeded.'], errors: {} }, 429, {
        'Retry-After': String(retryAfterSeconds),
        'X-RateLimit-Limit': String(c.get('rateLimit')?.limit ?? BURST_LIMIT.requests),
        'X-RateLimit-Remaining': '0',
        'X-RateLimit-Reset': `${reset.toISOString().slice(0, 16)}Z`,
        'RateLimit-Reason': 'jira-burst-based',
      });
    },
    serverErrorResponse: (c) => c.json({ errorMessages: ['Internal server error'], errors: {} }, 500),
    env: (baseUrl) => ({
      JIRA_URL: baseUrl,
      JIRA_USER_EMAIL: credentials.email,
      JIRA_API_TOKEN: credentials.apiToken,
      JIRA_PROJECT_KEY: projectKey,
    }),
    switches: JIRA_SWITCHES,
  };
}

/** The Jira emulator as the demo tenant sees it: its project, its teams as components, its pre-filed tickets. */
export function jiraEmulatorForTenant(
  ctx: SandboxContext & { faults?: FaultSpec },
): EmulatorDefinition & EmulatorControl {
  const { tenant } = ctx;
  return createJiraEmulator(ctx, {
    projectKey: tenant.jiraProjectKey,
    components: tenant.teams().map((t) => t.jiraComponent),
    users: tenant.teams().map((t) => ({ displayName: t.owner.name, emailAddress: t.owner.email })),
    seedIssues: tenant.preexistingJiraIssues().map((issue) => ({
      key: issue.key,
      summary: issue.summary,
      description: issue.description,
      issueType: issue.issueType,
      priority: issue.priority,
      status: issue.status,
      labels: issue.labels,
      component: issue.component,
      created: issue.created,
      updated: issue.updated,
    })),
  });
}

export type { SeedIssue } from './model.js';
