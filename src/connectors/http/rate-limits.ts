/**
 * Each vendor's documented request limits, as the seed of the rate governor's token buckets. Numbers come
 * from `api-contracts.md` (Wiz §1.7, Jira §2.7, Slack §3.3, PagerDuty §4.1/§4.2, Qualys §5.4, ServiceNow §6);
 * where the vendor publishes no number we start below what well-behaved clients use, say so, and mark the entry
 * `adaptive` so the governor learns the real limit from the answers (rate-adaptation.ts). Every entry can be
 * overridden per connector in arx.yaml (`connectors.<name>.rate_limits`); a rate given there is pinned.
 */
export interface RateLimitSpec {
  /** Requests allowed per `perSeconds`. */
  requests: number;
  perSeconds: number;
  /** Bucket capacity: how many calls may go out back to back. Defaults to `requests`. */
  burst?: number;
  /** Calls allowed in flight at once (Qualys answers 409 beyond its concurrency limit). */
  concurrency?: number;
  /** `key`: one bucket per request key (Slack `chat.postMessage` is limited per channel). */
  scope?: 'endpoint' | 'key';
  /**
   * The vendor publishes no number: `requests` is a conservative seed that the governor raises while calls
   * succeed and cuts on a 429, never above `ceiling` (requests per `perSeconds`). The burst stays the seed's.
   */
  adaptive?: { ceiling: number };
}

export interface ToolRateLimits {
  /** Applies to every endpoint without its own entry; each endpoint still gets its own bucket. */
  default: RateLimitSpec;
  endpoints?: Record<string, RateLimitSpec>;
}

export const VENDOR_RATE_LIMITS: Record<string, ToolRateLimits> = {
  // Wiz publishes no per-service-account number (§1.7 [unconfirmed]); bridges in the wild cap at 3 req/s,
  // so that is the seed, learned up to 10/s.
  wiz: { default: { requests: 3, perSeconds: 1, adaptive: { ceiling: 10 } } },
  // Jira: API-token traffic is governed by per-second burst limits per tenant + endpoint + method (§2.7);
  // Atlassian publishes no number, so 10/s per endpoint is a conservative seed, learned up to 50/s.
  jira: { default: { requests: 10, perSeconds: 1, adaptive: { ceiling: 50 } } },
  // Slack: limits are per method per workspace by tier (§3.3); unknown methods get Tier 3.
  slack: {
    default: { requests: 50, perSeconds: 60, burst: 10 },
    endpoints: {
      'conversations.list': { requests: 20, perSeconds: 60, burst: 5 }, // Tier 2
      // about one message per second per channel, short bursts tolerated
      'chat.postMessage': { requests: 1, perSeconds: 1, burst: 3, scope: 'key' },
      'chat.update': { requests: 50, perSeconds: 60, burst: 10 }, // Tier 3
    },
  },
  // PagerDuty Events v2: about 120 events/min per integration key (sliding 60 s window, §4.1).
  // REST: 960 req/min per API key (§4.2); POST /incidents is "heavily rate limited" with no number given.
  pagerduty: {
    default: { requests: 960, perSeconds: 60, burst: 16 },
    endpoints: {
      'events.enqueue': { requests: 120, perSeconds: 60, burst: 20 },
      'incidents.create': { requests: 60, perSeconds: 60, burst: 5 },
    },
  },
  // Qualys: per-subscription defaults; 300 calls per 3600 s with concurrency 2 is the example seen (§5.4).
  qualys: { default: { requests: 300, perSeconds: 3600, burst: 10, concurrency: 2 } },
  // ServiceNow: limits are per-instance admin rules with no default (§6); the 10/s seed keeps well clear of
  // common rules, learned up to 25/s (a 429 carries the rule's Retry-After and reset either way).
  servicenow: { default: { requests: 10, perSeconds: 1, adaptive: { ceiling: 25 } } },
};

/** Used for a tool that has no entry above (a new connector before its limits are known). */
export const FALLBACK_RATE_LIMIT: RateLimitSpec = { requests: 5, perSeconds: 1 };

/**
 * `connectors.<name>.rate_limits` of arx.yaml (validated by `rateLimitsSchema` in config/connectors.ts).
 * It applies to every endpoint of the tool; fields left out keep the vendor table's values. A rate given here
 * is the rate: the governor does not adapt it.
 */
export interface RateLimitOverride {
  requests_per_second?: number;
  requests_per_minute?: number;
  burst?: number;
  max_concurrency?: number;
  /** Read by the retry profile (`withMaxRetries`), not by the governor. */
  max_retries?: number;
}
/** Overrides for every tool: `{ [tool]: connectors.<tool>.rate_limits }`. */
export type RateLimitOverrides = Record<string, RateLimitOverride | undefined>;

/** The limit that applies to one endpoint of one tool, with arx.yaml overrides applied over the vendor table. */
export function resolveRateLimit(
  tool: string,
  endpoint: string,
  overrides: RateLimitOverrides = {},
  table: Record<string, ToolRateLimits> = VENDOR_RATE_LIMITS,
): RateLimitSpec {
  const vendor = table[tool];
  const seeded = vendor?.endpoints?.[endpoint] ?? vendor?.default ?? FALLBACK_RATE_LIMIT;
  const override = overrides[tool];
  if (!override) return seeded;
  // with both given, the stricter rate wins
  const perSecond = [
    override.requests_per_second,
    override.requests_per_minute && override.requests_per_minute / 60,
  ]
    .filter((r): r is number => typeof r === 'number' && r > 0)
    .sort((x, y) => x - y)[0];
  const rate: Pick<RateLimitSpec, 'requests' | 'perSeconds' | 'burst' | 'adaptive'> =
    perSecond === undefined
      ? {
          requests: seeded.requests,
          perSeconds: seeded.perSeconds,
          burst: seeded.burst,
          adaptive: seeded.adaptive,
        }
      : { requests: perSecond, perSeconds: 1, burst: Math.max(1, Math.ceil(perSecond)) };
  return {
    ...rate,
    burst: override.burst ?? rate.burst,
    concurrency: override.max_concurrency ?? seeded.concurrency,
    scope: seeded.scope,
  };
}
