/**
 * Learning a limit the vendor does not publish (Jira, Wiz, ServiceNow): additive increase, multiplicative
 * decrease, as TCP does for a link of unknown capacity. The rate starts at the table's conservative seed,
 * grows while calls succeed with the governor as the bottleneck, and drops when the server says it is near its
 * limit or answers 429. Pure: the governor feeds it outcomes and the time.
 *
 * Near-limit cuts like a 429 rather than only holding the rate: a warning means the server's budget is draining,
 * so holding still ends in a 429 (and its Retry-After pause). Against the Jira emulator (20/s, warning below 20%
 * left) holding took 13 429s per 800 calls at 20.0 calls/s; cutting took none at 20.3/s.
 */
export interface AdaptiveRate {
  /** Requests per the spec's `perSeconds`, as now allowed. */
  rate: number;
  readonly seed: number;
  readonly floor: number;
  readonly ceiling: number;
  /** Epoch ms before which another 429 or warning does not cut again (it answers a call sent before the cut). */
  holdCutUntil: number;
}

/**
 * `success`: answered, not limited. `near-limit`: answered, with the server warning that little budget is left
 * (Jira `X-RateLimit-NearLimit: true`). `limited`: 429. `other`: anything else, which says nothing about the rate.
 */
export type RateOutcome = 'success' | 'near-limit' | 'limited' | 'other';

/**
 * Per window (a second for per-second limits) of calls that succeed at the governor's pace, the rate grows by
 * this share of the seed: Jira's 10/s seed gains 5/s each second.
 */
export const GROWTH_PER_WINDOW = 0.5;
/** A cut keeps this share of the rate (TCP CUBIC's 0.7: gentler than halving, still quick to get clear). */
export const CUT_FACTOR = 0.7;
/** Cuts never go below this share of the seed: a lower real limit is still held by Retry-After. */
export const FLOOR_FACTOR = 0.25;

export function startAdaptiveRate(seed: number, ceiling: number): AdaptiveRate {
  return { rate: seed, seed, floor: seed * FLOOR_FACTOR, ceiling: Math.max(seed, ceiling), holdCutUntil: 0 };
}

export interface OutcomeContext {
  now: number;
  /** The spec's window in ms (`perSeconds` × 1000). */
  windowMs: number;
  /**
   * The caller is spending tokens as fast as the governor allows. Growth only counts then: a caller that is
   * slower than the rate proves nothing about a higher one (TCP's congestion window validation, RFC 7661).
   */
  saturated: boolean;
}

/** The rate after one call's outcome. Mutates and returns `state`. */
export function adaptRate(state: AdaptiveRate, outcome: RateOutcome, ctx: OutcomeContext): AdaptiveRate {
  if (outcome === 'limited' || outcome === 'near-limit') {
    if (ctx.now >= state.holdCutUntil) {
      state.rate = Math.max(state.floor, state.rate * CUT_FACTOR);
      // Calls already in flight were sent at the old rate; their answers report the same overshoot.
      state.holdCutUntil = ctx.now + ctx.windowMs;
    }
    return state;
  }
  if (outcome === 'success' && ctx.saturated) {
    // About `rate` successes arrive per window, so each adds its share of one window's growth.
    state.rate = Math.min(state.ceiling, state.rate + (state.seed * GROWTH_PER_WINDOW) / state.rate);
  }
  return state;
}
