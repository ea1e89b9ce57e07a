import type { Context } from 'hono';
import { Hono } from 'hono';
import { PatternRouter } from 'hono/router/pattern-router';
import type { FaultSpec } from './types.js';

/**
 * An emulator's routes as data: each entry names its operation once, and that name serves the Hono route,
 * the stats and the rate limiter. `operationOf` answers from method and path alone, so it also works before
 * a handler has run (rate limiting) and for requests no handler matched.
 */
export interface EmulatorRoute {
  /** Operation name for stats, e.g. `issue.create` or `chat.postMessage`. */
  op: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Hono path pattern, e.g. `/rest/api/3/issue/:issueIdOrKey`. */
  path: string;
  handle(c: Context): Response | Promise<Response>;
}

export interface RouteTable {
  app: Hono;
  operationOf(c: Context): string;
}

export function routeTable(routes: readonly EmulatorRoute[], setup?: (app: Hono) => void): RouteTable {
  const app = new Hono();
  setup?.(app);
  const router = new PatternRouter<string>();
  for (const route of routes) {
    router.add(route.method, route.path, route.op);
    app.on(route.method, route.path, (c) => {
      c.set('operation', route.op);
      return route.handle(c);
    });
  }
  return {
    app,
    operationOf(c) {
      const [matches] = router.match(c.req.method, c.req.path);
      return matches[0]?.[0] ?? c.get('operation') ?? 'unknown';
    },
  };
}

/**
 * The value of an [unconfirmed]-behaviour switch for this request: the faults the kit put on the context
 * (they change at run time through `/_sandbox/faults`), else the ones the emulator was built with, else the
 * default.
 */
export function switchValue<T extends string | number | boolean>(
  c: Context,
  built: FaultSpec | undefined,
  name: string,
  fallback: T,
): SwitchType<T> {
  const live = c.get('sandboxFaults') as FaultSpec | undefined;
  const value = (live ?? built)?.switches?.[name];
  if (value === undefined) return fallback as unknown as SwitchType<T>;
  if (typeof fallback === 'number') return Number(value) as SwitchType<T>;
  if (typeof fallback === 'boolean') return (value === true || value === 'true') as SwitchType<T>;
  return String(value) as SwitchType<T>;
}

/** Reads a switch for a request; emulators hand this to their route modules. */
export type SwitchReader = <T extends string | number | boolean>(
  c: Context,
  name: string,
  fallback: T,
) => SwitchType<T>;

/** A switch's value type from its default: `'text'` -> string, `0` -> number, `true` -> boolean. */
export type SwitchType<T> = T extends string ? string : T extends number ? number : boolean;
