import type { Context, Next } from 'hono';
import { type Clock, systemClock } from '../../core/clock.js';
import { routeTable, type SwitchReader, switchValue } from '../kit/route-table.js';
import type { EmulatorControl, EmulatorDefinition, FaultSpec, SandboxContext } from '../kit/types.js';
import { IncidentTable } from './incidents.js';
import { snError, tableRoutes } from './routes.js';

/** ServiceNow Table API emulator for `incident`: Basic auth, create, encoded-query lookups, update. */

export const SERVICENOW_SANDBOX_CREDENTIALS = {
  username: 'arx-sandbox',
  password: 'sandbox-servicenow-password',
} as const;

export interface ServiceNowEmulatorOptions {
  credentials?: { username: string; password: string };
  /** Incidents that exist before Arx runs (writable fields, e.g. `correlation_id`). */
  seedIncidents?: Array<Record<string, string>>;
  clock?: Clock;
  /** Switch values when no live fault spec is on the request (see `SERVICENOW_SWITCHES`). */
  faults?: FaultSpec;
}

export const SERVICENOW_SWITCHES: Record<string, string> = {
  invalidQuery:
    'sysparm_query conditions on unknown fields: ignore (default: dropped, so the query widens, as ServiceNow does), empty (no rows), error (400)',
  resolveNeedsCloseFields:
    'the out-of-box data policy: resolving/closing needs close_code and close_notes (default true, 403)',
  resolvedIsActive: 'a Resolved incident is still active=true until closed (default true)',
};

export function createServiceNowEmulator(
  ctx: { random(): number; faults?: FaultSpec },
  options: ServiceNowEmulatorOptions = {},
): EmulatorDefinition & EmulatorControl {
  const credentials = options.credentials ?? SERVICENOW_SANDBOX_CREDENTIALS;
  const random = () => ctx.random();
  const userSysId = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16)).join('');
  const incidents = new IncidentTable(options.clock ?? systemClock, random, {
    sysId: userSysId,
    name: credentials.username,
  });
  const built = options.faults ?? ctx.faults;
  const switchOf: SwitchReader = (c, name, fallback) => switchValue(c, built, name, fallback);
  for (const seed of options.seedIncidents ?? []) {
    incidents.create(seed, { resolveNeedsCloseFields: false, resolvedIsActive: true });
  }

  const expected = `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
  const authenticate = async (c: Context, next: Next) => {
    if (c.req.header('authorization') !== expected) {
      return snError(c, 401, 'User Not Authenticated', 'Required to provide Auth information');
    }
    await next();
  };

  const table = routeTable(
    tableRoutes({ incidents, user: { sysId: userSysId, displayName: 'Arx Sandbox Integration' }, switchOf }),
    (app) => {
      app.use('/api/*', authenticate);
      app.onError((_err, c) => snError(c, 500, 'Internal server error', null));
      app.notFound((c) => snError(c, 400, 'Requested URI does not represent any resource', null));
    },
  );

  return {
    name: 'servicenow',
    app: table.app,
    operationOf: table.operationOf,
    // Instances have no inbound rate-limit rule until an admin adds one, so there is no realistic default.
    rateKey: (c) => c.req.header('authorization') ?? 'anonymous',
    rateLimitedResponse(c, retryAfterSeconds) {
      const reset = Math.ceil(incidents.now().getTime() / 1000) + retryAfterSeconds;
      return c.json(
        {
          error: { message: 'Rate limit exceeded', detail: 'Too many requests for the rate limit rule' },
          status: 'failure',
        },
        429,
        {
          'Retry-After': String(retryAfterSeconds),
          'X-RateLimit-Limit': String(c.get('rateLimit')?.limit ?? 0),
          'X-RateLimit-Reset': String(reset),
          'X-RateLimit-Rule': 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
        },
      );
    },
    serverErrorResponse: (c) => snError(c, 500, 'Internal server error', null),
    env: (baseUrl) => ({
      SERVICENOW_URL: baseUrl,
      SERVICENOW_USERNAME: credentials.username,
      SERVICENOW_PASSWORD: credentials.password,
    }),
    switches: SERVICENOW_SWITCHES,
  };
}

/** The ServiceNow emulator for `arx sandbox up`: an empty incident table (Arx's tickets are the only ones). */
export function serviceNowEmulatorForTenant(
  ctx: SandboxContext & { faults?: FaultSpec },
): EmulatorDefinition & EmulatorControl {
  return createServiceNowEmulator(ctx);
}
