import type { Context, Hono } from 'hono';
import type { SandboxTenantView } from '../tenant/types.js';

/**
 * The contract between the sandbox kit (server, fault injection, rate limiting, stats) and each emulator.
 * An emulator is a Hono app plus facts about how its real service behaves; the kit wraps it with the
 * generic behaviours so each emulator only models its own protocol.
 */

/** Faults injected in front of an emulator. Rates are probabilities per request in [0, 1]. */
export interface FaultSpec {
  /** Added latency per request, in milliseconds. */
  latencyMs?: number;
  /** Fraction of requests answered with a 5xx in the service's own error shape. */
  errorRate?: number;
  /** Fraction of requests that never answer (the client must time out). */
  timeoutRate?: number;
  /** Fraction of responses whose body is cut short / not valid for its content type. */
  malformedRate?: number;
  /** Request-rate limiting: `realistic` uses the emulator's documented limit, `off` none, or a custom one. */
  rateLimit?: 'realistic' | 'off' | RateLimit;
  /** Switches for behaviours marked [unconfirmed] in the API contracts, named per emulator. */
  switches?: Record<string, string | number | boolean>;
}

export interface RateLimit {
  /** Requests allowed per window. */
  requests: number;
  /** Window length in milliseconds. */
  windowMs: number;
  /** What the limit is counted by: the whole service, each credential, or each key from `rateKey`. */
  scope?: 'service' | 'key';
}

/** Per-request counters, served at `/_sandbox/stats`. */
export interface EmulatorStats {
  /** `operation -> status -> count`, operation as named by the emulator (e.g. `chat.postMessage`). */
  requests: Record<string, Record<string, number>>;
  total: number;
}

export interface EmulatorContext {
  /** Seeded randomness: same seed, same tenant, same injected faults. */
  random(): number;
  faults: FaultSpec;
}

export interface EmulatorDefinition {
  /** Short name: wiz, qualys, jira, slack, pagerduty, servicenow. */
  name: string;
  /** The routes of the service. Handlers set `c.set('operation', '...')` for stats via `operationOf`. */
  app: Hono;
  /** Names a request for stats and rate limiting (e.g. `POST /rest/api/3/issue` -> `issue.create`). */
  operationOf(c: Context): string;
  /** The limit the real service documents, used when `rateLimit: 'realistic'`. */
  realisticRateLimit?: RateLimit;
  /** Key for per-key limits (Slack: per channel; others: per credential). */
  rateKey?(c: Context, body: unknown): string | undefined;
  /** The response the real service gives when rate limited (status, headers such as Retry-After, body). */
  rateLimitedResponse(c: Context, retryAfterSeconds: number): Response;
  /** The response the real service gives on an internal error. */
  serverErrorResponse(c: Context): Response;
  /** Environment variables that point Arx at this emulator, given the base URL it listens on. */
  env(baseUrl: string): Record<string, string>;
}

/** Control routes served under `/_sandbox/` (e.g. Wiz's `POST /_sandbox/advance`): no stats, faults or limits. */
export interface EmulatorControl {
  /** Extra routes, mounted at `/_sandbox`. */
  control?: Hono;
  /** Switches this emulator understands (name -> what it changes), for `--faults` validation and help. */
  switches?: Record<string, string>;
}

/** Everything an emulator factory may use: the shared tenant and seeded randomness. */
export interface SandboxContext {
  seed: number;
  tenant: SandboxTenantView;
  random(): number;
}

/** Builds one emulator. `src/sandbox/emulators.ts` lists them all. */
export type EmulatorFactory = (ctx: SandboxContext) => EmulatorDefinition & EmulatorControl;

/** The rate-limit state of the current request, set by the kit for services that report it in headers. */
export interface RateLimitState {
  limit: number;
  remaining: number;
  windowSeconds: number;
  retryAfterSeconds: number;
}

declare module 'hono' {
  interface ContextVariableMap {
    /** Set by handlers so `operationOf` can name the request. */
    operation: string;
    /** The request body as the kit read it: parsed JSON, form fields as an object, or undefined. */
    sandboxBody: unknown;
    /** The faults in force for this request (switches change at run time through `/_sandbox/faults`). */
    sandboxFaults: FaultSpec;
    /** Set by the kit when a rate limit is active. */
    rateLimit: RateLimitState;
  }
}
