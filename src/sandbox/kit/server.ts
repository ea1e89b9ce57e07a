import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { type Context, Hono, type Next } from 'hono';
import { readBody } from './body.js';
import { checkSwitches, faultSpecSchema } from './fault-schema.js';
import { malformResponse } from './malformed.js';
import { mixSeed, mulberry32 } from './random.js';
import { RateLimiter } from './rate-limiter.js';
import { StatsCounter } from './stats.js';
import type { EmulatorControl, EmulatorDefinition, EmulatorStats, FaultSpec, RateLimit } from './types.js';

export interface StartEmulatorOptions {
  /** 0 or absent: an ephemeral port. */
  port?: number;
  host?: string;
  faults?: FaultSpec;
  /** Seeds the fault dice, so the same seed injects the same faults in the same request order. */
  seed?: number;
  /** Time source for rate limiting (tests pass a fake). */
  now?: () => number;
}

export interface RunningEmulator {
  name: string;
  url: string;
  port: number;
  stats(): EmulatorStats;
  faults(): FaultSpec;
  setFaults(faults: FaultSpec): void;
  close(): Promise<void>;
}

/**
 * Serves an emulator on loopback, wrapped in the generic behaviours, in this order:
 * stats (every answered or abandoned request) -> faults (latency, timeout, 5xx, malformed body) ->
 * rate limit -> the emulator's own routes. `/_sandbox/stats` and `/_sandbox/faults` sit outside all of it.
 */
export async function startEmulator(
  def: EmulatorDefinition & EmulatorControl,
  options: StartEmulatorOptions = {},
): Promise<RunningEmulator> {
  let faults: FaultSpec = { ...options.faults };
  checkSwitches(def, faults);
  const stats = new StatsCounter();
  const dice = mulberry32(mixSeed(options.seed ?? 1, def.name));
  const now = options.now ?? Date.now;
  let limiter = limiterFor(def, faults, now);
  const held = new Set<() => void>();
  const timedOut = new WeakSet<Context>();

  const root = new Hono();
  root.get('/_sandbox/stats', (c) => c.json(stats.snapshot()));
  root.delete('/_sandbox/stats', (c) => {
    stats.reset();
    return c.body(null, 204);
  });
  root.get('/_sandbox/faults', (c) => c.json(faults));
  root.put('/_sandbox/faults', async (c) => {
    const parsed = faultSpecSchema.safeParse(await c.req.json().catch(() => undefined));
    if (!parsed.success) return c.json({ error: 'invalid fault spec', issues: parsed.error.issues }, 400);
    try {
      checkSwitches(def, parsed.data);
    } catch (err) {
      return c.json({ error: (err as Error).message }, 400);
    }
    faults = parsed.data;
    limiter = limiterFor(def, faults, now);
    return c.json(faults);
  });
  if (def.control) root.route('/_sandbox', def.control);

  root.use('*', async (c: Context, next: Next) => {
    try {
      await next();
    } finally {
      const status = timedOut.has(c) ? 'timeout' : c.res.status;
      stats.count(safeOperation(def, c), status);
    }
  });

  root.use('*', async (c: Context, next: Next) => {
    const rolls = { timeout: dice(), error: dice(), malformed: dice() };
    if (faults.latencyMs) await sleep(faults.latencyMs);
    if (rolls.timeout < (faults.timeoutRate ?? 0)) {
      timedOut.add(c);
      return holdUntilAbandoned(c, held);
    }
    if (rolls.error < (faults.errorRate ?? 0)) return def.serverErrorResponse(c);
    await next();
    if (rolls.malformed < (faults.malformedRate ?? 0)) {
      const broken = await malformResponse(c.res);
      c.res = undefined as unknown as Response; // drop the old response so its headers are not merged back
      c.res = broken;
    }
  });

  root.use('*', async (c: Context, next: Next) => {
    const body = await readBody(c);
    c.set('sandboxBody', body);
    c.set('sandboxFaults', faults);
    if (!limiter) return next();
    const key = limiter.scope === 'key' ? (def.rateKey?.(c, body) ?? 'service') : 'service';
    const decision = limiter.limiter.take(key);
    c.set('rateLimit', {
      limit: decision.limit,
      remaining: decision.remaining,
      windowSeconds: decision.windowSeconds,
      retryAfterSeconds: decision.retryAfterSeconds,
    });
    if (!decision.allowed) return def.rateLimitedResponse(c, decision.retryAfterSeconds);
    return next();
  });

  root.route('/', def.app);
  root.notFound((c) => def.app.fetch(c.req.raw));

  const server = await listen(root, options.port ?? 0, options.host ?? '127.0.0.1');
  const port = (server.address() as AddressInfo).port;
  const host = options.host ?? '127.0.0.1';
  return {
    name: def.name,
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    stats: () => stats.snapshot(),
    faults: () => faults,
    setFaults(next) {
      checkSwitches(def, next);
      faults = { ...next };
      limiter = limiterFor(def, faults, now);
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const release of held) release();
        held.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

type NodeServer = ReturnType<typeof serve>;

function listen(
  app: Hono,
  port: number,
  hostname: string,
): Promise<NodeServer & { closeAllConnections(): void }> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port, hostname }, () => resolve(server as never));
    server.once('error', reject);
  });
}

function limiterFor(
  def: EmulatorDefinition,
  faults: FaultSpec,
  now: () => number,
): { limiter: RateLimiter; scope: RateLimit['scope'] } | undefined {
  const spec = faults.rateLimit === 'realistic' ? def.realisticRateLimit : faults.rateLimit;
  if (!spec || spec === 'off') return undefined;
  return { limiter: new RateLimiter(spec, now), scope: spec.scope ?? 'service' };
}

/** A request that never answers: released when the client gives up or the emulator closes. */
function holdUntilAbandoned(c: Context, held: Set<() => void>): Promise<Response> {
  return new Promise((resolve) => {
    const release = () => {
      held.delete(release);
      resolve(new Response(null, { status: 504 }));
    };
    held.add(release);
    c.req.raw.signal?.addEventListener('abort', release, { once: true });
  });
}

function safeOperation(def: EmulatorDefinition, c: Context): string {
  try {
    return def.operationOf(c) || `${c.req.method} ${c.req.path}`;
  } catch {
    return `${c.req.method} ${c.req.path}`;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
