import { type Clock, systemClock } from '../../core/clock.js';
import { circuitOpenError } from './errors.js';

/**
 * A circuit per endpoint: after `failureThreshold` consecutive tool failures it opens and calls fail fast
 * (a retryable `circuit_open`) instead of piling onto a service that is down; after `coolDownMs` one probe
 * goes through (half-open) and its outcome closes or re-opens the circuit.
 */
export type CircuitState = 'closed' | 'open' | 'half_open';

export interface CircuitBreakerOptions {
  clock?: Clock;
  /** Five in a row rides out a retry burst of one call (RETRY_DEFAULT has 4 attempts) without tripping. */
  failureThreshold?: number;
  /** Long enough for a restarting service to come back, short enough that a run does not stall. */
  coolDownMs?: number;
}

export const BREAKER_DEFAULTS = { failureThreshold: 5, coolDownMs: 30_000 } as const;

export interface CircuitBreaker {
  /** Throws `circuit_open` while open (or while the half-open probe is in flight); otherwise lets the call go. */
  guard(site: { tool: string; endpoint: string }): void;
  success(site: { tool: string; endpoint: string }): void;
  failure(site: { tool: string; endpoint: string }): void;
  state(site: { tool: string; endpoint: string }): CircuitState;
}

interface Circuit {
  state: CircuitState;
  failures: number;
  openedAt: number;
  probing: boolean;
}

export function createCircuitBreaker(options: CircuitBreakerOptions = {}): CircuitBreaker {
  const clock = options.clock ?? systemClock;
  const threshold = options.failureThreshold ?? BREAKER_DEFAULTS.failureThreshold;
  const coolDownMs = options.coolDownMs ?? BREAKER_DEFAULTS.coolDownMs;
  const circuits = new Map<string, Circuit>();

  const circuitOf = (site: { tool: string; endpoint: string }): Circuit => {
    const id = `${site.tool}\u0000${site.endpoint}`;
    let circuit = circuits.get(id);
    if (!circuit) {
      circuit = { state: 'closed', failures: 0, openedAt: 0, probing: false };
      circuits.set(id, circuit);
    }
    return circuit;
  };

  const currentState = (circuit: Circuit): CircuitState => {
    if (circuit.state === 'open' && clock.now().getTime() - circuit.openedAt >= coolDownMs) {
      circuit.state = 'half_open';
      circuit.probing = false;
    }
    return circuit.state;
  };

  return {
    guard(site) {
      const circuit = circuitOf(site);
      const state = currentState(circuit);
      if (state === 'closed') return;
      if (state === 'half_open' && !circuit.probing) {
        circuit.probing = true;
        return;
      }
      const retryInMs = Math.max(0, circuit.openedAt + coolDownMs - clock.now().getTime());
      throw circuitOpenError(site, retryInMs);
    },
    success(site) {
      const circuit = circuitOf(site);
      circuit.state = 'closed';
      circuit.failures = 0;
      circuit.probing = false;
    },
    failure(site) {
      const circuit = circuitOf(site);
      circuit.failures += 1;
      if (circuit.state === 'half_open' || circuit.failures >= threshold) {
        circuit.state = 'open';
        circuit.openedAt = clock.now().getTime();
        circuit.probing = false;
      }
    },
    state(site) {
      return currentState(circuitOf(site));
    },
  };
}
