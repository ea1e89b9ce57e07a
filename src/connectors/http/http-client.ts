import { type Clock, systemClock } from '../../core/clock.js';
import { ArxError, isArxError } from '../../core/errors.js';
import { SECRET_KEY_PATTERN, secrets } from '../../core/secrets.js';
import { type Logger, logger } from '../../log/logger.js';
import { type CallStats, createCallStats } from './call-stats.js';
import { type CircuitBreaker, createCircuitBreaker } from './circuit-breaker.js';
import {
  type CallSite,
  type HttpErrorClass,
  httpStatusError,
  malformedBodyError,
  networkError,
  timeoutError,
} from './errors.js';
import { createRateGovernor, type RateGovernor } from './rate-governor.js';
import { type Random, RETRY_DEFAULT, type RetryProfile, withRetry } from './retry.js';

/**
 * The one HTTP seam every connector client uses: typed fetch with a timeout on every call, the rate
 * governor, retries only for retryable errors, a circuit breaker per endpoint, a single translation of
 * failures into ArxError, and call counters. Connector clients add their protocol on top (GraphQL
 * envelopes, pagination, vendor error bodies through `classify`).
 */
/** Re-exported so a connector's `classify` hook can name its return type from one import. */
export type { HttpErrorClass };

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
type Scalar = string | number | boolean;
export type QueryValue = Scalar | undefined | null | readonly Scalar[];

export interface HttpRequest {
  method?: HttpMethod;
  /** Relative to the base URL, or an absolute URL on the same origin (Qualys next-page URLs). */
  path: string;
  query?: Record<string, QueryValue>;
  headers?: Record<string, string>;
  /** Sent as application/json. */
  json?: unknown;
  /** Sent as application/x-www-form-urlencoded (OAuth token requests, Qualys POST). */
  form?: Record<string, QueryValue>;
  body?: string | Uint8Array;
  /** Name for rate buckets, breaker and stats (`graphql.issues`, `issue.create`); defaults to method + path. */
  endpoint?: string;
  /** Splits the endpoint's bucket when its limit is per key (Slack: the channel). */
  rateKey?: string;
  /** How to read a 2xx body. Default `json`. */
  parse?: 'json' | 'text' | 'none';
  /**
   * Non-2xx statuses whose body is an answer, not a failure: it is parsed and returned instead of thrown
   * (Jira bulk create answers 400 with per-item errors when every item failed).
   */
  answerStatuses?: readonly number[];
  timeoutMs?: number;
  retry?: RetryProfile;
  signal?: AbortSignal;
}

export interface HttpResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

/** A connector's reading of a failed response (its own error body format) before the generic one. */
export type ClassifyResponse = (response: {
  status: number;
  headers: Headers;
  text: string;
}) => (Partial<HttpErrorClass> & { message?: string }) | undefined;

export interface HttpClientOptions {
  tool: string;
  /** Separates rate buckets of two tenants of the same tool. */
  tenant?: string;
  baseUrl: string;
  /** Sets auth headers on every attempt (so a refreshed token is picked up). */
  auth?: (headers: Headers) => void | Promise<void>;
  /** Called once per request on 401, e.g. to refresh an OAuth token; the request is then sent again once. */
  onUnauthorized?: () => void | Promise<void>;
  /** Sent on every request (Qualys `X-Requested-With`, PagerDuty `Accept`). */
  defaultHeaders?: Record<string, string>;
  /** Whole call, body included. */
  timeoutMs?: number;
  governor?: RateGovernor;
  breaker?: CircuitBreaker;
  retry?: RetryProfile;
  random?: Random;
  clock?: Clock;
  log?: Logger;
  stats?: CallStats;
  classify?: ClassifyResponse;
}

export interface HttpClient {
  readonly tool: string;
  request<T = unknown>(req: HttpRequest): Promise<HttpResponse<T>>;
  /** Requests sent per tool (every attempt), from this client's stats (shared stats: all tools). */
  calls(): Record<string, number>;
  readonly stats: CallStats;
}

/** Long enough for a Qualys detection page or a Wiz page of 500 issues, short enough to notice a hang. */
export const DEFAULT_TIMEOUT_MS = 30_000;

export function createHttpClient(options: HttpClientOptions): HttpClient {
  const tool = options.tool;
  const tenant = options.tenant ?? 'default';
  const clock = options.clock ?? systemClock;
  const governor = options.governor ?? createRateGovernor({ clock });
  const breaker = options.breaker ?? createCircuitBreaker({ clock });
  const stats = options.stats ?? createCallStats();
  const log = options.log ?? logger();
  const base = parseBaseUrl(tool, options.baseUrl);

  async function buildHeaders(req: HttpRequest): Promise<Headers> {
    const headers = new Headers({ accept: 'application/json', ...options.defaultHeaders, ...req.headers });
    if (req.json !== undefined) headers.set('content-type', 'application/json');
    else if (req.form !== undefined) headers.set('content-type', 'application/x-www-form-urlencoded');
    if (options.auth) {
      await options.auth(headers);
      // Whatever auth attached must never appear in a log or error, even if a server echoes it back.
      for (const [name, value] of headers) {
        if (SECRET_KEY_PATTERN.test(name)) {
          secrets.add(value);
          secrets.add(value.replace(/^(Bearer|Basic|Token token=)\s*/i, ''));
        }
      }
    }
    return headers;
  }

  async function attemptOnce<T>(req: HttpRequest, site: CallSite, url: URL): Promise<HttpResponse<T>> {
    const bucket = { tool, tenant, endpoint: site.endpoint, key: req.rateKey };
    let refreshed = false;
    for (;;) {
      breaker.guard(site);
      const release = await governor.acquire(bucket, req.signal);
      try {
        const headers = await buildHeaders(req);
        const timeoutMs = req.timeoutMs ?? options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
        const timeout = AbortSignal.timeout(timeoutMs);
        const signal = req.signal ? AbortSignal.any([timeout, req.signal]) : timeout;
        const started = Date.now();
        let response: Response;
        let text: string | undefined;
        try {
          stats.record(tool, site.endpoint);
          response = await fetch(url, { method: site.method, headers, body: encodeBody(req), signal });
          const wantBody = !(response.ok && req.parse === 'none');
          text = wantBody ? await response.text() : undefined;
          if (!wantBody) await response.body?.cancel();
        } catch (err) {
          if (req.signal?.aborted) throw req.signal.reason;
          throw timeout.aborted ? timeoutError(site, timeoutMs) : networkError(site, err);
        }
        const pauseMs = governor.observe(bucket, response.headers, response.status);
        log.debug(
          { tool, endpoint: site.endpoint, status: response.status, ms: Date.now() - started },
          'http call',
        );
        if (response.status === 401 && options.onUnauthorized && !refreshed) {
          refreshed = true;
          log.info(
            { tool, endpoint: site.endpoint },
            'unauthorized: refreshing credentials and retrying once',
          );
          await options.onUnauthorized();
          continue;
        }
        if (!response.ok && !req.answerStatuses?.includes(response.status)) {
          const override = options.classify?.({
            status: response.status,
            headers: response.headers,
            text: text ?? '',
          });
          throw httpStatusError(site, response.status, response.headers, text ?? '', override, pauseMs);
        }
        return {
          status: response.status,
          headers: response.headers,
          body: parseBody<T>(req, site, response, text),
        };
      } finally {
        release();
      }
    }
  }

  return {
    tool,
    stats,
    calls: () => stats.calls(),
    async request<T>(req: HttpRequest): Promise<HttpResponse<T>> {
      const method = req.method ?? (req.json !== undefined || req.form !== undefined ? 'POST' : 'GET');
      const url = resolveUrl(tool, base, req.path, req.query);
      const site: CallSite = {
        tool,
        method,
        path: url.pathname,
        endpoint: req.endpoint ?? `${method} ${url.pathname}`,
      };
      return withRetry(
        async () => {
          try {
            const response = await attemptOnce<T>(req, site, url);
            breaker.success(site);
            return response;
          } catch (err) {
            if (isArxError(err) && err.code !== 'circuit_open') {
              // Only the tool failing counts against the circuit; a rejected request proves it is up.
              if (err.fault === 'tool' && err.code !== 'rate_limited') breaker.failure(site);
              else breaker.success(site);
            }
            throw err;
          }
        },
        {
          profile: req.retry ?? options.retry ?? RETRY_DEFAULT,
          clock,
          random: options.random,
          signal: req.signal,
          onRetry: ({ attempt, delayMs, error }) =>
            log.warn(
              {
                tool,
                endpoint: site.endpoint,
                attempt,
                delayMs,
                code: isArxError(error) ? error.code : undefined,
              },
              'retrying http call',
            ),
        },
      );
    },
  };
}

function parseBaseUrl(tool: string, baseUrl: string): URL {
  try {
    const url = new URL(baseUrl);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('protocol');
    return url;
  } catch {
    throw new ArxError('invalid_base_url', `${tool}: base URL "${baseUrl}" is not an http(s) URL`, {
      fault: 'caller',
      hint: `set connectors.${tool} URL in arx.yaml (or its environment variable) to e.g. https://host.example.com`,
    });
  }
}

function resolveUrl(tool: string, base: URL, path: string, query?: Record<string, QueryValue>): URL {
  let url: URL;
  if (/^https?:\/\//i.test(path)) {
    url = new URL(path);
    // Credentials are attached to every request: never send them to a host the user did not configure.
    if (url.origin !== base.origin) {
      throw new ArxError(
        'url_outside_base',
        `${tool}: refusing to call ${url.origin}, outside ${base.origin}`,
        {
          fault: 'tool',
        },
      );
    }
  } else {
    url = new URL(`${base.href.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`);
  }
  appendParams(url.searchParams, query);
  return url;
}

function appendParams(params: URLSearchParams, values: Record<string, QueryValue> | undefined): void {
  for (const [key, value] of Object.entries(values ?? {})) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) for (const item of value) params.append(key, String(item));
    else params.append(key, String(value));
  }
}

function encodeBody(req: HttpRequest): string | Uint8Array | undefined {
  if (req.json !== undefined) return JSON.stringify(req.json);
  if (req.form !== undefined) {
    const params = new URLSearchParams();
    appendParams(params, req.form);
    return params.toString();
  }
  return req.body;
}

function parseBody<T>(req: HttpRequest, site: CallSite, response: Response, text: string | undefined): T {
  const mode = req.parse ?? 'json';
  if (mode === 'none') return undefined as T;
  if (mode === 'text') return (text ?? '') as T;
  if (text === undefined || text.trim() === '') {
    if (response.status === 204 || response.status === 202) return undefined as T;
    throw malformedBodyError(
      site,
      response.status,
      response.headers.get('content-type') ?? '',
      '',
      'empty body',
    );
  }
  try {
    return JSON.parse(text) as T;
  } catch (err) {
    const reason = err instanceof Error ? err.message : 'parse error';
    throw malformedBodyError(site, response.status, response.headers.get('content-type') ?? '', text, reason);
  }
}
