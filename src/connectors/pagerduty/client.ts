import { ArxError } from '../../core/errors.js';
import { type HttpClient, RETRY_NONE, type RetryProfile } from '../http/index.js';
import { type ConnectorRuntime, toolHttpClient } from '../kit/runtime.js';
import type { PagerDutyCredentials } from './credentials.js';
import { classifyPagerDutyResponse } from './errors.js';

/**
 * The only HTTP code for PagerDuty, on the seam: typed fetch for the Events API v2 (one POST) and REST v2.
 * `@pagerduty/pdjs` was not used: it hard-codes https in its `server` option and its last release is from
 * 2024 (dependencies.md §6). REST calls send `Accept: application/vnd.pagerduty+json;version=2`; writes
 * send `From`. Creating an incident is sent without retries (reconciled instead, see handlers).
 */
const ACCEPT_V2 = 'application/vnd.pagerduty+json;version=2';

/**
 * Events API 429s carry no Retry-After (api-contracts §4.1: the event is not ingested; PagerDuty suggests
 * retrying about 30 s apart or backing off for minutes): longer waits and more tries than the default, so a
 * page is not lost to a burst, without holding a worker for minutes.
 */
export const EVENTS_RETRY: RetryProfile = {
  name: 'pagerduty-events',
  maxAttempts: 6,
  baseDelayMs: 2_000,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 60_000,
};
const ENQUEUE_PATH = '/v2/enqueue';

export interface PdIncident {
  id: string;
  incident_number: number;
  title: string;
  status: 'triggered' | 'acknowledged' | 'resolved';
  urgency: 'high' | 'low';
  incident_key: string;
  html_url?: string;
  created_at?: string;
  service?: { id: string; summary?: string };
}

export interface IncidentsPage {
  incidents: PdIncident[];
  more: boolean;
  offset: number;
  limit: number;
  total?: number | null;
}

export interface ListQuery {
  statuses?: string[];
  incidentKey?: string;
  serviceIds?: string[];
  since?: string;
  until?: string;
  limit?: number;
  offset?: number;
}

export interface EventAnswer {
  status: string;
  message: string;
  dedup_key: string;
}

/** The enqueue URL for a configured events URL: the full `/v2/enqueue` URL, or the host it lives on. */
export function enqueueUrl(eventsUrl: string): URL {
  const url = new URL(eventsUrl);
  if (!url.pathname.replace(/\/+$/, '').endsWith(ENQUEUE_PATH)) {
    url.pathname = `${url.pathname.replace(/\/+$/, '')}${ENQUEUE_PATH}`;
  }
  return url;
}

export class PagerDutyClient {
  constructor(
    private readonly rest: HttpClient,
    private readonly events: HttpClient,
    private readonly credentials: PagerDutyCredentials,
  ) {}

  async sendEvent(event: Record<string, unknown>): Promise<EventAnswer> {
    const res = await this.events.request<EventAnswer>({
      method: 'POST',
      path: enqueueUrl(this.credentials.eventsUrl).href,
      json: event,
      endpoint: 'events.enqueue',
      rateKey: String(event.routing_key ?? ''),
      retry: EVENTS_RETRY,
    });
    if (!res.body || typeof res.body.dedup_key !== 'string') {
      throw new ArxError('malformed_response', 'PagerDuty Events answered without a dedup_key', {
        fault: 'tool',
        retryable: true,
      });
    }
    return res.body;
  }

  async createIncident(incident: Record<string, unknown>, from: string): Promise<PdIncident> {
    const res = await this.rest.request<{ incident?: PdIncident }>({
      method: 'POST',
      path: 'incidents',
      json: { incident },
      headers: { from },
      endpoint: 'incidents.create',
      retry: RETRY_NONE,
    });
    return expectIncident(res.body?.incident);
  }

  async incident(id: string): Promise<PdIncident> {
    const res = await this.rest.request<{ incident?: PdIncident }>({
      path: `incidents/${encodeURIComponent(id)}`,
      endpoint: 'incidents.get',
    });
    return expectIncident(res.body?.incident);
  }

  /** One page (offset pagination; `more` says whether another page exists). */
  async listIncidents(query: ListQuery): Promise<IncidentsPage> {
    const res = await this.rest.request<IncidentsPage>({
      path: 'incidents',
      query: {
        'statuses[]': query.statuses,
        incident_key: query.incidentKey,
        'service_ids[]': query.serviceIds,
        since: query.since,
        until: query.until,
        limit: query.limit ?? 25,
        offset: query.offset ?? 0,
      },
      endpoint: 'incidents.list',
    });
    if (!res.body || !Array.isArray(res.body.incidents)) {
      throw new ArxError('malformed_response', 'PagerDuty answered a list without incidents', {
        fault: 'tool',
        retryable: true,
      });
    }
    return res.body;
  }

  /** Every incident with this key (any status), newest first. */
  async incidentsWithKey(incidentKey: string, statuses?: string[]): Promise<PdIncident[]> {
    const found: PdIncident[] = [];
    for (let offset = 0; ; ) {
      const page = await this.listIncidents({ incidentKey, statuses, limit: 100, offset });
      found.push(...page.incidents);
      if (!page.more || page.incidents.length === 0) break;
      offset += page.incidents.length;
    }
    return found.reverse();
  }

  /** A status change is idempotent in effect: resolving twice leaves one resolved incident. */
  async updateIncident(id: string, change: Record<string, unknown>, from: string): Promise<PdIncident> {
    const res = await this.rest.request<{ incident?: PdIncident }>({
      method: 'PUT',
      path: `incidents/${encodeURIComponent(id)}`,
      json: { incident: { type: 'incident_reference', ...change } },
      headers: { from },
      endpoint: 'incidents.update',
    });
    return expectIncident(res.body?.incident);
  }

  async service(id: string): Promise<{ id: string; name: string }> {
    const res = await this.rest.request<{ service?: { id: string; name: string } }>({
      path: `services/${encodeURIComponent(id)}`,
      endpoint: 'services.get',
    });
    if (!res.body?.service)
      throw new ArxError('malformed_response', 'PagerDuty answered without a service', {
        fault: 'tool',
        retryable: true,
      });
    return res.body.service;
  }

  /** The cheapest authenticated read: what the account can do. */
  async abilities(): Promise<string[]> {
    const res = await this.rest.request<{ abilities?: string[] }>({
      path: 'abilities',
      endpoint: 'abilities',
    });
    return res.body?.abilities ?? [];
  }
}

function expectIncident(incident: PdIncident | undefined): PdIncident {
  if (!incident || typeof incident.id !== 'string') {
    throw new ArxError('malformed_response', 'PagerDuty answered without an incident', {
      fault: 'tool',
      retryable: true,
    });
  }
  return incident;
}

export function createPagerDutyHttp(runtime: ConnectorRuntime, credentials: PagerDutyCredentials) {
  const rest = toolHttpClient(runtime, {
    tool: 'pagerduty',
    baseUrl: credentials.apiUrl,
    defaultHeaders: { accept: ACCEPT_V2 },
    ...(credentials.apiKey
      ? { auth: (headers: Headers) => headers.set('authorization', `Token token=${credentials.apiKey}`) }
      : {}),
    classify: classifyPagerDutyResponse,
  });
  // the routing key travels in the body; the seam still scrubs it from errors through the secret registry
  const events = toolHttpClient(runtime, {
    tool: 'pagerduty',
    baseUrl: enqueueUrl(credentials.eventsUrl).origin,
    classify: classifyPagerDutyResponse,
  });
  return { rest, events };
}

export function createPagerDutyClient(
  runtime: ConnectorRuntime,
  credentials: PagerDutyCredentials,
): PagerDutyClient {
  const { rest, events } = createPagerDutyHttp(runtime, credentials);
  return new PagerDutyClient(rest, events, credentials);
}
