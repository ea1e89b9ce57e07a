import type { Context } from 'hono';
import { type Clock, systemClock } from '../../core/clock.js';
import { type EmulatorRoute, routeTable, switchValue } from '../kit/route-table.js';
import type {
  EmulatorControl,
  EmulatorDefinition,
  FaultSpec,
  RateLimit,
  SandboxContext,
} from '../kit/types.js';
import { type Args, METHODS, type SlackBody } from './methods.js';
import { type ChannelSpec, SlackWorkspace } from './workspace.js';

/** Slack Web API emulator: `POST|GET /api/<method>`, Bearer bot token, form or JSON arguments, `ok:false` errors. */

export const SLACK_SANDBOX_TOKEN = 'xoxb-sandbox-slack-bot-token';

export interface SlackEmulatorOptions {
  channels?: ChannelSpec[];
  token?: string;
  clock?: Clock;
  /** Switch values when no live fault spec is on the request (see `SLACK_SWITCHES`). */
  faults?: FaultSpec;
}

export const DEFAULT_CHANNELS: ChannelSpec[] = [
  { name: 'general' },
  { name: 'sec-alerts' },
  { name: 'security-incidents' },
  { name: 'old-alerts', isArchived: true },
  { name: 'secops-private', isPrivate: true },
  { name: 'hr-private', isPrivate: true, isMember: false },
];

export const SLACK_SWITCHES: Record<string, string> = {
  ratelimitedError:
    'the error string of a 429 body (default "ratelimited"; the contract leaves it unconfirmed)',
};

/** `chat.postMessage` allows about one message per second per channel (short bursts tolerated). */
const POST_LIMIT: RateLimit = { requests: 1, windowMs: 1000, scope: 'key' };
const SCOPES = 'chat:write,chat:write.public,channels:read,groups:read,channels:history,groups:history';

export function createSlackEmulator(
  ctx: { random(): number; faults?: FaultSpec },
  options: SlackEmulatorOptions = {},
): EmulatorDefinition & EmulatorControl {
  const token = options.token ?? SLACK_SANDBOX_TOKEN;
  const ws = new SlackWorkspace(
    options.clock ?? systemClock,
    () => ctx.random(),
    options.channels ?? DEFAULT_CHANNELS,
  );
  const built = options.faults ?? ctx.faults;

  const answer = (c: Context, body: SlackBody): Response => {
    c.header('X-OAuth-Scopes', SCOPES);
    return c.json(body, 200);
  };

  const call = (method: string) => async (c: Context) => {
    const read = await readArgs(c);
    if ('error' in read) return answer(c, { ok: false, error: read.error });
    const { args, jsonWithoutCharset } = read;
    const bearer = /^Bearer\s+(.+)$/i.exec(c.req.header('authorization') ?? '')?.[1] ?? args.token;
    if (!bearer) return answer(c, { ok: false, error: 'not_authed' });
    if (bearer !== token) return answer(c, { ok: false, error: 'invalid_auth' });
    const body = METHODS[method]!(args, ws);
    if (body.ok && jsonWithoutCharset) {
      body.warning = 'missing_charset';
      body.response_metadata = { ...(body.response_metadata as object), warnings: ['missing_charset'] };
    }
    return answer(c, body);
  };

  const routes: EmulatorRoute[] = Object.keys(METHODS).flatMap((method) =>
    (['GET', 'POST'] as const).map((verb) => ({
      op: method,
      method: verb,
      path: `/api/${method}`,
      handle: call(method),
    })),
  );
  const table = routeTable(routes, (app) => {
    app.onError((_err, c) => c.json({ ok: false, error: 'internal_error' }, 500));
    app.notFound((c) => {
      const method = c.req.path.replace(/^\/api\//, '');
      return c.json({ ok: false, error: 'unknown_method', req_method: method }, 200);
    });
  });

  return {
    name: 'slack',
    app: table.app,
    operationOf: (c) => (c.req.path.startsWith('/api/') ? c.req.path.slice(5) : table.operationOf(c)),
    realisticRateLimit: POST_LIMIT,
    rateKey(c, body) {
      const method = c.req.path.replace(/^\/api\//, '');
      if (method !== 'chat.postMessage') return method;
      const ref = (body as Args | undefined)?.channel ?? c.req.query('channel');
      return `channel:${ws.find(ref, true)?.id ?? String(ref)}`;
    },
    rateLimitedResponse: (c, retryAfterSeconds) =>
      c.json({ ok: false, error: switchValue(c, built, 'ratelimitedError', 'ratelimited') }, 429, {
        'Retry-After': String(retryAfterSeconds),
      }),
    serverErrorResponse: (c) => c.json({ ok: false, error: 'internal_error' }, 500),
    env: (baseUrl) => ({ SLACK_BOT_TOKEN: token, SLACK_API_URL: `${baseUrl}/api/` }),
    switches: SLACK_SWITCHES,
  };
}

/** Arguments from the query string and a JSON, form or multipart body; `token` may come in the body too. */
async function readArgs(
  c: Context,
): Promise<{ args: Args; jsonWithoutCharset: boolean } | { error: string }> {
  const args: Args = { ...c.req.query() };
  const type = (c.req.header('content-type') ?? '').toLowerCase();
  if (c.req.method !== 'POST') return { args, jsonWithoutCharset: false };
  if (type.startsWith('application/json')) {
    const text = await c.req.text();
    if (text.trim() === '') return { args, jsonWithoutCharset: !type.includes('charset') };
    try {
      const body = JSON.parse(text) as unknown;
      if (typeof body !== 'object' || body === null || Array.isArray(body)) return { error: 'invalid_json' };
      return { args: { ...args, ...(body as Args) }, jsonWithoutCharset: !type.includes('charset') };
    } catch {
      return { error: 'invalid_json' };
    }
  }
  if (type.startsWith('application/x-www-form-urlencoded')) {
    return {
      args: { ...args, ...Object.fromEntries(new URLSearchParams(await c.req.text())) },
      jsonWithoutCharset: false,
    };
  }
  if (type.startsWith('multipart/form-data')) {
    // Rebuilt from the text the kit already read, keeping the boundary from the original content type.
    const form = await new Response(await c.req.text(), { headers: { 'content-type': type } }).formData();
    const fields = Object.fromEntries([...form.entries()].filter(([, v]) => typeof v === 'string'));
    return { args: { ...args, ...fields }, jsonWithoutCharset: false };
  }
  return { args, jsonWithoutCharset: false };
}

/** The Slack emulator as the demo tenant sees it: its teams' channels beside the default ones. */
export function slackEmulatorForTenant(
  ctx: SandboxContext & { faults?: FaultSpec },
): EmulatorDefinition & EmulatorControl {
  const teamChannels = ctx.tenant.teams().map((team) => ({ name: team.slackChannel.replace(/^#/, '') }));
  return createSlackEmulator(ctx, { channels: [...DEFAULT_CHANNELS, ...teamChannels] });
}

export type { ChannelSpec } from './workspace.js';
