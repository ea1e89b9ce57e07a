import { parse } from 'graphql';
import { type Context, Hono } from 'hono';
import { switchValue } from '../kit/route-table.js';
import type {
  EmulatorControl,
  EmulatorDefinition,
  FaultSpec,
  RateLimit,
  SandboxContext,
} from '../kit/types.js';
import type { DemoTenant } from '../tenant/tenant.js';
import { TokenStore, WIZ_SANDBOX_CREDENTIALS, type WizCredentials } from './auth.js';
import { rootFields, WizGraphQL } from './executor.js';
import { type WizRequestContext, wizResolvers } from './resolvers.js';

/** Behaviours the contract marks [unconfirmed], settable through `--faults wiz:<name>=<value>`. */
export const WIZ_SWITCHES: Record<string, string> = {
  tokenTtlSeconds: 'expires_in of issued tokens (default 86400, as in the Wiz doc; some tenants use less)',
  maxPageSize: 'largest `first` accepted; larger is a BAD_USER_INPUT error (default 1000)',
  retryAfterHeader: 'send Retry-After with 429 (default true)',
  resolveOnlyThreatDetection:
    'refuse status RESOLVED except on THREAT_DETECTION issues, like older Wiz (default false)',
  noteMaxLength: 'reject notes longer than this many characters, 0 for no limit (default 0)',
};

/**
 * Wiz publishes no per-service-account limit; clients in the wild cap themselves at about 3 requests per
 * second, so `rate=realistic` makes that the ceiling.
 */
const REALISTIC_LIMIT: RateLimit = { requests: 3, windowMs: 1000, scope: 'service' };

export interface WizEmulatorOptions {
  credentials?: WizCredentials;
  /** Time for token expiry (tests pass a fake). */
  now?: () => number;
  faults?: FaultSpec;
}

const gqlError = (message: string, code: string) => ({
  data: null,
  errors: [{ message, extensions: { code } }],
});

/** Wiz: OAuth token endpoint, GraphQL API over the demo tenant, and `POST /_sandbox/advance`. */
export function createWizEmulator(
  ctx: SandboxContext & { tenant: DemoTenant; faults?: FaultSpec },
  options: WizEmulatorOptions = {},
): EmulatorDefinition & EmulatorControl {
  const { tenant } = ctx;
  const credentials = options.credentials ?? WIZ_SANDBOX_CREDENTIALS;
  const built = options.faults ?? ctx.faults;
  const tokens = new TokenStore(credentials, options.now ?? Date.now);
  const graphql = new WizGraphQL();
  const rootValue = wizResolvers(tenant);
  const app = new Hono();

  app.post('/oauth/token', async (c) => {
    c.set('operation', 'oauth.token');
    const type = c.req.header('content-type') ?? '';
    const form = type.includes('application/x-www-form-urlencoded')
      ? (c.get('sandboxBody') as Record<string, string> | undefined)
      : undefined;
    const result = tokens.issue(form, switchValue(c, built, 'tokenTtlSeconds', 86_400));
    return result.ok ? c.json(result.body) : c.json(result.body, result.status);
  });

  app.post('/graphql', async (c) => {
    c.set('operation', 'graphql');
    const clientId = tokens.verify(c.req.header('authorization'));
    if (!clientId)
      return c.json(gqlError('Unauthorized: missing, invalid or expired token', 'UNAUTHENTICATED'), 401);
    const body = c.get('sandboxBody');
    if (body === undefined)
      return c.json(
        gqlError('Request body must be JSON: {"query": ..., "variables": ...}', 'BAD_REQUEST'),
        400,
      );
    const context: WizRequestContext = {
      clientId,
      maxPageSize: switchValue(c, built, 'maxPageSize', 1000),
      noteMaxLength: switchValue(c, built, 'noteMaxLength', 0),
      resolveOnlyThreatDetection: switchValue(c, built, 'resolveOnlyThreatDetection', false),
    };
    const answer = await graphql.run(body, rootValue, context);
    if (answer.fields.length > 0) c.set('operation', answer.fields.join('+'));
    return c.json(answer.body, answer.status);
  });

  const control = new Hono();
  control.post('/advance', (c) => c.json(tenant.advance()));
  control.get('/tenant', (c) =>
    c.json({
      seed: tenant.seed,
      findings: tenant.findings,
      scan: tenant.scan,
      scannedAt: new Date(tenant.scannedAt).toISOString(),
      issues: tenant.count('issue'),
      vulnerabilities: tenant.count('vuln'),
      hosts: tenant.hosts,
      teams: tenant.teams(),
      accounts: tenant.accounts(),
      projects: tenant.projects(),
    }),
  );

  return {
    name: 'wiz',
    app,
    control,
    switches: WIZ_SWITCHES,
    operationOf: (c) => operationOf(c),
    realisticRateLimit: REALISTIC_LIMIT,
    rateKey: (c) => c.req.header('authorization') ?? 'anonymous',
    rateLimitedResponse(c, retryAfterSeconds) {
      const headers: Record<string, string> = switchValue(c, built, 'retryAfterHeader', true)
        ? { 'Retry-After': String(retryAfterSeconds) }
        : {};
      return c.json(gqlError('Rate limit exceeded', 'RATE_LIMIT_EXCEEDED'), 429, headers);
    },
    serverErrorResponse: (c) => c.json(gqlError('Internal server error', 'INTERNAL_SERVER_ERROR'), 503),
    env: (baseUrl) => ({
      WIZ_API_URL: `${baseUrl}/graphql`,
      WIZ_AUTH_URL: `${baseUrl}/oauth/token`,
      WIZ_CLIENT_ID: credentials.clientId,
      WIZ_CLIENT_SECRET: credentials.clientSecret,
    }),
  };
}

/** Names a request for stats: the GraphQL root fields when known, else the endpoint. */
function operationOf(c: Context): string {
  const set = c.get('operation');
  if (set && set !== 'graphql') return set;
  if (c.req.path === '/oauth/token') return 'oauth.token';
  if (c.req.path !== '/graphql') return `${c.req.method} ${c.req.path}`;
  const query = (c.get('sandboxBody') as { query?: unknown } | undefined)?.query;
  if (typeof query === 'string') {
    try {
      const fields = rootFields(parse(query));
      if (fields.length > 0) return fields.join('+');
    } catch {
      // an unparsable query is counted as plain graphql
    }
  }
  return 'graphql';
}

/** The emulator as `startSandbox` builds it from the shared context. */
export function wizEmulatorForTenant(ctx: SandboxContext & { tenant: DemoTenant; faults?: FaultSpec }) {
  return createWizEmulator(ctx);
}
