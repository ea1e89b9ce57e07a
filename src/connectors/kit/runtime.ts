import { type Clock, systemClock } from '../../core/clock.js';
import { type Logger, logger } from '../../log/logger.js';
import {
  type CallStats,
  type CircuitBreaker,
  type ClassifyResponse,
  createCallStats,
  createCircuitBreaker,
  createHttpClient,
  createRateGovernor,
  type HttpClient,
  type Random,
  type RateGovernor,
  type RateLimitOverrides,
  type RetryProfile,
} from '../http/index.js';

/**
 * What every connector client of one Arx process shares: one rate governor (so two workflows posting to
 * the same Slack channel draw from one bucket), one breaker, one call-counter table, one clock. Connectors
 * build their HTTP clients from it; nothing else creates a governor.
 */
export interface ConnectorRuntime {
  clock: Clock;
  log: Logger;
  governor: RateGovernor;
  breaker: CircuitBreaker;
  stats: CallStats;
  /** Jitter source for backoff; tests pass a seeded one. */
  random?: Random;
  /** Overrides every client's default retry profile (tests use a short one). */
  retry?: RetryProfile;
  timeoutMs?: number;
}

export interface RuntimeOptions extends Partial<ConnectorRuntime> {
  /** `connectors.<name>.rate_limits` from arx.yaml, keyed by tool. */
  rateOverrides?: RateLimitOverrides;
}

export function createConnectorRuntime(options: RuntimeOptions = {}): ConnectorRuntime {
  const clock = options.clock ?? systemClock;
  return {
    clock,
    log: options.log ?? logger(),
    governor: options.governor ?? createRateGovernor({ clock, overrides: options.rateOverrides }),
    breaker: options.breaker ?? createCircuitBreaker({ clock }),
    stats: options.stats ?? createCallStats(),
    ...(options.random ? { random: options.random } : {}),
    ...(options.retry ? { retry: options.retry } : {}),
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
  };
}

export interface ToolClientOptions {
  tool: string;
  baseUrl: string;
  /** Separates rate buckets of two accounts of one tool (e.g. the credential's user). */
  tenant?: string;
  auth?: (headers: Headers) => void | Promise<void>;
  defaultHeaders?: Record<string, string>;
  classify?: ClassifyResponse;
  retry?: RetryProfile;
}

/** An HTTP client on the shared seam: the runtime's governor, breaker, stats, clock and log. */
export function toolHttpClient(runtime: ConnectorRuntime, options: ToolClientOptions): HttpClient {
  return createHttpClient({
    ...options,
    governor: runtime.governor,
    breaker: runtime.breaker,
    stats: runtime.stats,
    clock: runtime.clock,
    log: runtime.log,
    ...(runtime.random ? { random: runtime.random } : {}),
    ...(runtime.timeoutMs ? { timeoutMs: runtime.timeoutMs } : {}),
    ...((options.retry ?? runtime.retry) ? { retry: options.retry ?? runtime.retry } : {}),
  });
}
