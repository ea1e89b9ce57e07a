import type { Context, Next } from 'hono';
import { type Clock, systemClock } from '../../core/clock.js';
import { routeTable, type SwitchReader, switchValue } from '../kit/route-table.js';
import type {
  EmulatorControl,
  EmulatorDefinition,
  FaultSpec,
  RateLimit,
  SandboxContext,
} from '../kit/types.js';
import { PagerDutyAccount, type ServiceSpec } from './account.js';
import { enqueue, UNRECOGNIZED } from './events.js';
import { pdError, restRoutes } from './rest.js';

/**
 * PagerDuty emulator: Events API v2 and REST API v2 sharing one incident store. The real services live on two
 * hosts (events.pagerduty.com, api.pagerduty.com); here they are two path prefixes of one server, so a
 * connector that sends REST calls to the events URL (or the reverse) fails as it would in production.
 */

export const EVENTS_PREFIX = '/events';
export const API_PREFIX = '/api';

export const PAGERDUTY_SANDBOX_API_KEY = 'sandbox-pagerduty-api-key';
export const PAGERDUTY_SANDBOX_FROM = 'arx-bot@sandbox.arx.invalid';
/** Integration keys are 32 characters; these are visibly fake and numbered per service. */
const sandboxRoutingKey = (n: number) => `arxsandboxroutingkey${String(n).padStart(12, '0')}`;

export interface PagerDutyEmulatorOptions {
  /** The first service is the default one (`PAGERDUTY_SERVICE_ID`, `PAGERDUTY_ROUTING_KEY`). */
  services?: ServiceSpec[];
  /** People on the account; the first is the API requester (`From`), the second is on call. */
  users?: Array<{ name: string; email: string }>;
  apiKey?: string;
  clock?: Clock;
  /** Switch values when no live fault spec is on the request (see `PAGERDUTY_SWITCHES`). */
  faults?: FaultSpec;
}

export const PAGERDUTY_SWITCHES: Record<string, string> = {
  unknownRoutingKey:
    'an event for a 32-character key no service owns: reject (default, 400) or accept (202, dropped)',
  eventsRetryAfter: 'send Retry-After on Events API 429s (default false: the docs name none)',
  restRateLimitHeaders:
    'send ratelimit-limit/-remaining/-reset on REST 429s (default true; PagerDuty sometimes omits them)',
  reacknowledge: 'acknowledging an acknowledged incident over REST: error (default, 400 code 1002) or ok',
  requireAcceptHeader:
    'refuse REST calls without Accept: application/vnd.pagerduty+json;version=2 (default false)',
};

/** Events API v2: about 120 events per minute per integration key, over a sliding 60 s window. */
const EVENTS_LIMIT: RateLimit = { requests: 120, windowMs: 60_000, scope: 'key' };
const MAX_EVENT_BYTES = 512 * 1024;
const ACCEPT_V2 = 'application/vnd.pagerduty+json;version=2';
const THROTTLED = {
  status: 'throttle exceeded',
  message: 'Requests for this service are arriving too quickly. Please retry later.',
};

export function createPagerDutyEmulator(
  ctx: { random(): number; faults?: FaultSpec },
  options: PagerDutyEmulatorOptions = {},
): EmulatorDefinition & EmulatorControl {
  const apiKey = options.apiKey ?? PAGERDUTY_SANDBOX_API_KEY;
  const services = (options.services ?? [{ name: 'Cloud Security' }]).map((s, i) => ({
    routingKey: sandboxRoutingKey(i + 1),
    ...s,
  }));
  const users = options.users ?? [
    { name: 'Arx Automation', email: PAGERDUTY_SANDBOX_FROM },
    { name: 'On-call Engineer', email: 'oncall@sandbox.arx.invalid' },
  ];
  const account = new PagerDutyAccount(options.clock ?? systemClock, () => ctx.random(), services, users);
  const built = options.faults ?? ctx.faults;
  const switchOf: SwitchReader = (c, name, fallback) => switchValue(c, built, name, fallback);
  const isEvents = (c: Context) => c.req.path.startsWith(`${EVENTS_PREFIX}/`);

  const authenticate = async (c: Context, next: Next) => {
    const token = /^Token token=(.+)$/.exec(c.req.header('authorization') ?? '')?.[1];
    if (token !== apiKey) return pdError(c, 401, 'Authentication failed', 2006);
    const accept = c.req.header('accept') ?? '';
    if (switchOf(c, 'requireAcceptHeader', false) && !accept.replace(/\s/g, '').includes(ACCEPT_V2)) {
      return pdError(c, 400, 'Invalid Input Provided', 2001, [`The Accept header must be ${ACCEPT_V2}`]);
    }
    await next();
    const rate = c.get('rateLimit');
    if (rate) rateHeaders(c, rate.limit, rate.remaining, rate.windowSeconds);
  };

  const table = routeTable(
    [
      {
        op: 'events.enqueue',
        method: 'POST',
        path: `${EVENTS_PREFIX}/v2/enqueue`,
        async handle(c) {
          const text = await c.req.text();
          if (text.length > MAX_EVENT_BYTES) {
            return c.json(
              { status: 'invalid event', message: 'Event object is invalid', errors: ['Event is too large'] },
              400,
            );
          }
          let event: unknown;
          try {
            event = JSON.parse(text);
          } catch {
            return c.json(UNRECOGNIZED.body, 400);
          }
          const outcome = enqueue(account, event, switchOf(c, 'unknownRoutingKey', 'reject') === 'reject');
          return c.json(outcome.body, outcome.status);
        },
      },
      ...restRoutes({ account, prefix: API_PREFIX, switchOf }),
    ],
    (app) => {
      app.use(`${API_PREFIX}/*`, authenticate);
      app.onError((_err, c) => serverError(c));
      app.notFound((c) =>
        isEvents(c)
          ? c.json({ status: 'Not Found', message: 'Not Found' }, 404)
          : pdError(c, 404, 'Not Found', 2100),
      );
    },
  );

  const serverError = (c: Context): Response =>
    isEvents(c)
      ? c.json({ status: 'error', message: 'Internal Server Error' }, 500)
      : c.json({ error: { message: 'Internal Server Error', code: 2000 } }, 500);

  return {
    name: 'pagerduty',
    app: table.app,
    operationOf: table.operationOf,
    realisticRateLimit: EVENTS_LIMIT,
    rateKey(c, body) {
      if (isEvents(c))
        return `events:${String((body as { routing_key?: unknown } | undefined)?.routing_key)}`;
      return `rest:${c.req.header('authorization') ?? ''}`;
    },
    rateLimitedResponse(c, retryAfterSeconds) {
      if (isEvents(c)) {
        const headers: Record<string, string> = switchOf(c, 'eventsRetryAfter', false)
          ? { 'Retry-After': String(retryAfterSeconds) }
          : {};
        return c.json(THROTTLED, 429, headers);
      }
      if (switchOf(c, 'restRateLimitHeaders', true)) {
        rateHeaders(c, c.get('rateLimit')?.limit ?? EVENTS_LIMIT.requests, 0, retryAfterSeconds);
      }
      return c.json({ error: { message: 'Rate Limit Exceeded', code: 2020 } }, 429);
    },
    serverErrorResponse: serverError,
    env: (baseUrl) => ({
      PAGERDUTY_API_KEY: apiKey,
      PAGERDUTY_ROUTING_KEY: account.services[0]!.routingKey,
      PAGERDUTY_SERVICE_ID: account.services[0]!.id,
      PAGERDUTY_EVENTS_URL: `${baseUrl}${EVENTS_PREFIX}`,
      PAGERDUTY_API_URL: `${baseUrl}${API_PREFIX}`,
      PAGERDUTY_FROM_EMAIL: account.users[0]!.email,
      // the name Arx's connector reads (connectors.pagerduty.from)
      PAGERDUTY_FROM: account.users[0]!.email,
    }),
    switches: PAGERDUTY_SWITCHES,
  };
}

function rateHeaders(c: Context, limit: number, remaining: number, resetSeconds: number): void {
  c.header('ratelimit-limit', String(limit));
  c.header('ratelimit-remaining', String(remaining));
  c.header('ratelimit-reset', String(resetSeconds));
}

/** The PagerDuty emulator as the demo tenant sees it: one service per team, keeping the tenant's service ids. */
export function pagerDutyEmulatorForTenant(
  ctx: SandboxContext & { faults?: FaultSpec },
): EmulatorDefinition & EmulatorControl {
  const teams = ctx.tenant.teams();
  return createPagerDutyEmulator(ctx, {
    ...(teams.length > 0
      ? { services: teams.map((t) => ({ id: t.pagerdutyServiceId, name: `${t.name} on-call` })) }
      : {}),
    users: [
      { name: 'Arx Automation', email: PAGERDUTY_SANDBOX_FROM },
      ...teams.map((t) => ({ name: t.owner.name, email: t.owner.email })),
    ],
  });
}
