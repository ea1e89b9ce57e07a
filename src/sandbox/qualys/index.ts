import { type Context, Hono, type Next } from 'hono';
import { switchValue } from '../kit/route-table.js';
import type {
  EmulatorControl,
  EmulatorDefinition,
  FaultSpec,
  RateLimit,
  SandboxContext,
} from '../kit/types.js';
import type { DemoTenant } from '../tenant/tenant.js';
import { detectionDocument, parseDetectionQuery } from './detections.js';
import { knowledgeBaseDocument } from './knowledge-base.js';
import { mergedParams, ParamError } from './params.js';
import { simpleReturn } from './xml.js';

export const QUALYS_SANDBOX_CREDENTIALS = {
  username: 'sandbox_qualys',
  password: 'sandbox-qualys-password',
} as const;

/** Behaviours the contract marks [unconfirmed], settable through `--faults qualys:<name>=<value>`. */
export const QUALYS_SWITCHES: Record<string, string> = {
  unlimitedTruncation: 'accept truncation_limit=0 as "no limit" (default true)',
  missingRequestedWithStatus: 'HTTP status when X-Requested-With is missing (default 400)',
  concurrencyLimit:
    'refuse a call with 409 when more than this many run at once, 0 = report only (default 0)',
};

/** Qualys documents per-subscription limits; 300 calls per hour per API user is a common default. */
const REALISTIC_LIMIT: RateLimit = { requests: 300, windowMs: 3_600_000, scope: 'key' };
/** Reported in `X-Concurrency-Limit-Limit`; the common default. */
const CONCURRENCY_LIMIT = 2;
/** Qualys error codes: 1905 bad parameter, 1960 concurrency, 1965 rate limit, 2000 bad login, 999 internal. */
const CODES = {
  badParameter: 1905,
  concurrency: 1960,
  rateLimit: 1965,
  badLogin: 2000,
  internal: 999,
} as const;

const VERSIONS = ['2.0', '3.0', '4.0', '5.0'];

const xml = (c: Context, status: number, body: string | ReadableStream) =>
  c.body(body as string, status as 200, { 'content-type': 'application/xml' });

export interface QualysEmulatorOptions {
  credentials?: { username: string; password: string };
  faults?: FaultSpec;
}

/** Qualys VMDR: Host List Detection and KnowledgeBase over the demo tenant's agent-scanned hosts. */
export function createQualysEmulator(
  ctx: SandboxContext & { tenant: DemoTenant; faults?: FaultSpec },
  options: QualysEmulatorOptions = {},
): EmulatorDefinition & EmulatorControl {
  const { tenant } = ctx;
  const credentials = options.credentials ?? QUALYS_SANDBOX_CREDENTIALS;
  const built = options.faults ?? ctx.faults;
  const expected = `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
  let running = 0;
  const app = new Hono();

  app.use('/api/*', async (c: Context, next: Next) => {
    running++;
    try {
      setLimitHeaders(c, running);
      if (!c.req.header('x-requested-with')) {
        return xml(
          c,
          switchValue(c, built, 'missingRequestedWithStatus', 400),
          simpleReturn(CODES.badParameter, 'Missing required header X-Requested-With.', Date.now()),
        );
      }
      if (c.req.header('authorization') !== expected) {
        c.header('WWW-Authenticate', 'Basic realm="MSP Portal"');
        return xml(c, 401, simpleReturn(CODES.badLogin, 'Bad Login/Password', Date.now()));
      }
      const limit = switchValue(c, built, 'concurrencyLimit', 0);
      if (limit > 0 && running > limit) {
        return xml(
          c,
          409,
          simpleReturn(
            CODES.concurrency,
            `Concurrency limit of ${limit} reached; wait for a running call to end.`,
            Date.now(),
          ),
        );
      }
      await next();
    } finally {
      running--;
    }
  });

  for (const version of VERSIONS) {
    app.on(
      ['GET', 'POST'],
      [`/api/${version}/fo/asset/host/vm/detection`, `/api/${version}/fo/asset/host/vm/detection/`],
      (c) => {
        c.set('operation', 'host.detection.list');
        return answer(c, () => {
          const query = parseDetectionQuery(
            mergedParams(c.req.url, c.get('sandboxBody')),
            switchValue(c, built, 'unlimitedTruncation', true),
          );
          const chunks = detectionDocument(tenant, query, c.req.url);
          const encoder = new TextEncoder();
          const stream = new ReadableStream<Uint8Array>({
            async pull(controller) {
              const next = await chunks.next();
              if (next.done) controller.close();
              else controller.enqueue(encoder.encode(next.value));
            },
          });
          return xml(c, 200, stream);
        });
      },
    );
  }
  app.on(['GET', 'POST'], ['/api/2.0/fo/knowledge_base/vuln', '/api/2.0/fo/knowledge_base/vuln/'], (c) => {
    c.set('operation', 'knowledge_base.vuln.list');
    return answer(c, () =>
      xml(c, 200, knowledgeBaseDocument(mergedParams(c.req.url, c.get('sandboxBody')), tenant.scannedAt)),
    );
  });

  return {
    name: 'qualys',
    app,
    switches: QUALYS_SWITCHES,
    operationOf: (c) => c.get('operation') ?? operationFromPath(c.req.path),
    realisticRateLimit: REALISTIC_LIMIT,
    rateKey: (c) => c.req.header('authorization') ?? 'anonymous',
    rateLimitedResponse(c, retryAfterSeconds) {
      const rate = c.get('rateLimit');
      return c.body(
        simpleReturn(
          CODES.rateLimit,
          `This API cannot be run again for another ${retryAfterSeconds} seconds.`,
          Date.now(),
        ),
        409,
        {
          'content-type': 'application/xml',
          'X-RateLimit-Limit': String(rate?.limit ?? REALISTIC_LIMIT.requests),
          'X-RateLimit-Window-Sec': String(rate?.windowSeconds ?? REALISTIC_LIMIT.windowMs / 1000),
          'X-RateLimit-Remaining': '0',
          'X-RateLimit-ToWait-Sec': String(retryAfterSeconds),
          'X-Concurrency-Limit-Limit': String(CONCURRENCY_LIMIT),
          'X-Concurrency-Limit-Running': String(running + 1),
        },
      );
    },
    serverErrorResponse: (c) =>
      c.body(
        simpleReturn(CODES.internal, 'Internal error. Please contact customer support.', Date.now()),
        503,
        {
          'content-type': 'application/xml',
        },
      ),
    env: (baseUrl) => ({
      QUALYS_URL: baseUrl,
      QUALYS_USERNAME: credentials.username,
      QUALYS_PASSWORD: credentials.password,
    }),
  };
}

/** Every v2 response carries the rate and concurrency headers (Qualys "HTTP headers" doc). */
function setLimitHeaders(c: Context, running: number): void {
  const rate = c.get('rateLimit');
  c.header('X-RateLimit-Limit', String(rate?.limit ?? REALISTIC_LIMIT.requests));
  c.header('X-RateLimit-Window-Sec', String(rate?.windowSeconds ?? REALISTIC_LIMIT.windowMs / 1000));
  c.header('X-RateLimit-Remaining', String(rate?.remaining ?? REALISTIC_LIMIT.requests));
  c.header('X-RateLimit-ToWait-Sec', '0');
  c.header('X-Concurrency-Limit-Limit', String(CONCURRENCY_LIMIT));
  c.header('X-Concurrency-Limit-Running', String(running));
}

function answer(c: Context, produce: () => Response): Response {
  try {
    return produce();
  } catch (err) {
    if (err instanceof ParamError)
      return xml(c, 400, simpleReturn(CODES.badParameter, err.message, Date.now()));
    throw err;
  }
}

function operationFromPath(path: string): string {
  if (path.includes('/vm/detection')) return 'host.detection.list';
  if (path.includes('/knowledge_base/vuln')) return 'knowledge_base.vuln.list';
  return path;
}

export function qualysEmulatorForTenant(ctx: SandboxContext & { tenant: DemoTenant; faults?: FaultSpec }) {
  return createQualysEmulator(ctx);
}
