import type { PagerDutyAccount, Urgency } from './account.js';

/**
 * Events API v2 `POST /v2/enqueue`: validation with PagerDuty's `{status, message, errors}` shape and the
 * dedup semantics (a trigger on an open key folds into it; after resolve the key opens a new incident;
 * acknowledge/resolve on an unknown or resolved key is accepted and dropped).
 */

export interface EnqueueOutcome {
  status: 202 | 400;
  body: Record<string, unknown>;
}

const ACTIONS = ['trigger', 'acknowledge', 'resolve'] as const;
const SEVERITIES = ['critical', 'error', 'warning', 'info'] as const;
const ROUTING_KEY_LENGTH = 32;
const DEDUP_KEY_MAX = 255;
const SUMMARY_MAX = 1024;
/** PagerDuty's "severity based" urgency rule: critical and error page with high urgency. */
const URGENCY_BY_SEVERITY: Record<string, Urgency> = {
  critical: 'high',
  error: 'high',
  warning: 'low',
  info: 'low',
};

export const UNRECOGNIZED: EnqueueOutcome = {
  status: 400,
  body: {
    status: 'Unrecognized object',
    message: 'Event object format is unrecognized',
    errors: ['JSON parse error'],
  },
};

const invalid = (errors: string[]): EnqueueOutcome => ({
  status: 400,
  body: { status: 'invalid event', message: 'Event object is invalid', errors },
});

const accepted = (dedupKey: string): EnqueueOutcome => ({
  status: 202,
  body: { status: 'success', message: 'Event processed', dedup_key: dedupKey },
});

type Event = Record<string, unknown>;
const isObject = (v: unknown): v is Event => typeof v === 'object' && v !== null && !Array.isArray(v);
const blank = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');

/** Every problem with an event, in PagerDuty's wording (the exact strings are [unconfirmed]). */
export function eventErrors(
  event: Event,
  knownRoutingKey: (key: string) => boolean,
  rejectUnknownKey: boolean,
): string[] {
  const errors: string[] = [];
  const { routing_key: routingKey, event_action: action, dedup_key: dedupKey, payload } = event;
  if (blank(routingKey)) errors.push("'routing_key' is missing or blank");
  else if (typeof routingKey !== 'string' || routingKey.length !== ROUTING_KEY_LENGTH) {
    errors.push(`Length of 'routing_key' is incorrect (should be ${ROUTING_KEY_LENGTH} characters)`);
  } else if (rejectUnknownKey && !knownRoutingKey(routingKey)) errors.push('Invalid routing key');
  if (blank(action)) errors.push("'event_action' is missing or blank");
  else if (!ACTIONS.includes(action as (typeof ACTIONS)[number])) {
    errors.push(`'event_action' is invalid (must be one of ${ACTIONS.join(', ')})`);
  }
  if (dedupKey !== undefined && dedupKey !== null) {
    if (typeof dedupKey !== 'string') errors.push("'dedup_key' must be a string");
    else if (dedupKey.length > DEDUP_KEY_MAX) {
      errors.push(`Length of 'dedup_key' is too long (should be at most ${DEDUP_KEY_MAX} characters)`);
    }
  }
  if ((action === 'acknowledge' || action === 'resolve') && blank(dedupKey)) {
    errors.push("'dedup_key' is missing or blank");
  }
  if (action === 'trigger') errors.push(...payloadErrors(payload));
  for (const [i, image] of (Array.isArray(event.images) ? event.images : []).entries()) {
    if (!isObject(image) || typeof image.src !== 'string' || !image.src.startsWith('https://')) {
      errors.push(`'images[${i}].src' must be an HTTPS URL`);
    }
  }
  return errors;
}

function payloadErrors(payload: unknown): string[] {
  if (!isObject(payload)) return ["'payload' is missing or blank"];
  const errors: string[] = [];
  if (blank(payload.summary)) errors.push("'payload.summary' is missing or blank");
  else if (String(payload.summary).length > SUMMARY_MAX) {
    errors.push(`Length of 'payload.summary' is too long (should be at most ${SUMMARY_MAX} characters)`);
  }
  if (blank(payload.source)) errors.push("'payload.source' is missing or blank");
  if (blank(payload.severity)) errors.push("'payload.severity' is missing or blank");
  else if (!SEVERITIES.includes(payload.severity as (typeof SEVERITIES)[number])) {
    errors.push(`'payload.severity' is invalid (must be one of ${SEVERITIES.join(', ')})`);
  }
  if (payload.timestamp !== undefined && Number.isNaN(Date.parse(String(payload.timestamp)))) {
    errors.push("'payload.timestamp' is invalid (must be an ISO 8601 timestamp)");
  }
  if (
    payload.custom_details !== undefined &&
    !isObject(payload.custom_details) &&
    typeof payload.custom_details !== 'string'
  ) {
    errors.push("'payload.custom_details' must be an object");
  }
  return errors;
}

export function enqueue(account: PagerDutyAccount, raw: unknown, rejectUnknownKey: boolean): EnqueueOutcome {
  if (!isObject(raw)) return UNRECOGNIZED;
  const errors = eventErrors(raw, (key) => account.serviceByRoutingKey(key) !== undefined, rejectUnknownKey);
  if (errors.length > 0) return invalid(errors);
  const service = account.serviceByRoutingKey(raw.routing_key as string);
  const action = raw.event_action as (typeof ACTIONS)[number];
  const dedupKey = blank(raw.dedup_key) ? account.uuid().replace(/-/g, '') : (raw.dedup_key as string);
  if (!service) return accepted(dedupKey); // an unknown key accepted by switch: nothing is ingested
  const open = account.openIncident(service, dedupKey);

  if (action === 'trigger') {
    if (open) {
      open.alertCount += 1;
      open.updatedAt = account.now();
      return accepted(dedupKey);
    }
    const payload = raw.payload as Event;
    account.open({
      service,
      title: String(payload.summary),
      urgency: URGENCY_BY_SEVERITY[String(payload.severity)] ?? 'high',
      incidentKey: dedupKey,
      createdVia: 'events_api_v2',
      eventPayload: payload,
    });
    return accepted(dedupKey);
  }
  // Acknowledge / resolve: applied to the open incident; on an unknown or resolved key they are dropped.
  if (open && !(action === 'acknowledge' && open.status === 'acknowledged')) {
    account.setStatus(open, action === 'acknowledge' ? 'acknowledged' : 'resolved', null);
  }
  return accepted(dedupKey);
}
