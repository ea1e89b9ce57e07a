import { isArxError } from '../../core/errors.js';
import type { HandlerContext } from '../kit/handler.js';
import type { ConnectorRuntime } from '../kit/runtime.js';
import { writeOnce } from '../kit/write-once.js';
import { need } from './credentials.js';
import type {
  CreateIncidentParams,
  EventParams,
  ListIncidentsParams,
  ResolveIncidentParams,
} from './operations.js';
import { incidentRef, OPEN, openIncident, serviceOf } from './reconcile.js';
import type { CreateIncidentResult, EventResult, ListResult, ResolveResult } from './results.js';
import type { PagerDutySession } from './session.js';

/** One handler per PagerDuty operation id; the gate validated the params and resolved the credentials. */
export function pagerDutyHandlers(
  runtime: ConnectorRuntime,
  session: (ctx: HandlerContext) => PagerDutySession,
) {
  return {
    /**
     * Events are idempotent by `dedup_key` at PagerDuty (a repeated trigger folds into the open alert), so
     * the seam's ordinary retries are safe here.
     */
    async 'pagerduty:events:send'(params: EventParams, ctx: HandlerContext): Promise<EventResult> {
      const s = session(ctx);
      const trigger = params.action === 'trigger';
      const answer = await s.client.sendEvent({
        routing_key: need(s.credentials, 'routingKey', 'sending an event'),
        event_action: params.action,
        dedup_key: params.dedupKey,
        ...(trigger
          ? {
              payload: {
                summary: params.summary,
                source: params.source,
                severity: params.severity,
                timestamp: ctx.clock.now().toISOString(),
                ...(params.component ? { component: params.component } : {}),
                ...(params.group ? { group: params.group } : {}),
                ...(params.class ? { class: params.class } : {}),
                ...(params.customDetails ? { custom_details: params.customDetails } : {}),
              },
              client: 'Arx',
              ...(params.clientUrl ? { client_url: params.clientUrl } : {}),
              ...(params.links ? { links: params.links } : {}),
            }
          : {}),
      });
      return { dedupKey: answer.dedup_key, status: answer.status, message: answer.message };
    },

    /**
     * Opens an incident keyed by the finding. PagerDuty refuses a second open incident with the same key
     * (a 400, not a 409): that answer means "already exists" and the open incident is returned. A lost
     * answer is reconciled by key before the create is sent again.
     */
    async 'pagerduty:incidents:create'(
      params: CreateIncidentParams,
      ctx: HandlerContext,
    ): Promise<CreateIncidentResult> {
      const s = session(ctx);
      need(s.credentials, 'apiKey', 'creating an incident');
      const from = need(s.credentials, 'from', 'creating an incident');
      const serviceId = serviceOf(s, params);
      const urgency =
        params.urgency ?? (params.findingPriority && params.findingPriority !== 'P1' ? 'low' : 'high');
      const incident = {
        type: 'incident',
        title: params.title,
        service: { id: serviceId, type: 'service_reference' },
        urgency,
        incident_key: params.incidentKey,
        ...(params.details ? { body: { type: 'incident_body', details: params.details } } : {}),
        ...(params.escalationPolicyId
          ? { escalation_policy: { id: params.escalationPolicyId, type: 'escalation_policy_reference' } }
          : {}),
        ...(params.priorityId ? { priority: { id: params.priorityId, type: 'priority_reference' } } : {}),
      };
      const existing = async () => {
        const found = await openIncident(s, params.incidentKey, serviceId);
        return found ? incidentRef(found) : undefined;
      };
      try {
        const { value } = await writeOnce({
          attempt: async () => incidentRef(await s.client.createIncident(incident, from)),
          reconcile: existing,
          what: 'pagerduty:incidents:create',
          clock: ctx.clock,
          log: ctx.log,
          profile: runtime.retry,
          random: runtime.random,
        });
        return { ...value, created: true };
      } catch (err) {
        if (!isArxError(err) || err.code !== 'already_exists') throw err;
        const found = await existing();
        if (!found) throw err;
        return { ...found, created: false };
      }
    },

    /** Resolving is idempotent: an incident already resolved is reported unchanged, not as a failure. */
    async 'pagerduty:incidents:resolve'(
      params: ResolveIncidentParams,
      ctx: HandlerContext,
    ): Promise<ResolveResult> {
      const s = session(ctx);
      need(s.credentials, 'apiKey', 'resolving an incident');
      const from = need(s.credentials, 'from', 'resolving an incident');
      const targets = params.incidentId
        ? [await s.client.incident(params.incidentId)]
        : await s.client.incidentsWithKey(params.incidentKey!, OPEN);
      const incidents: ResolveResult['incidents'] = [];
      for (const target of targets) {
        if (target.status === 'resolved') {
          incidents.push({ id: target.id, status: 'resolved', changed: false });
          continue;
        }
        try {
          await s.client.updateIncident(
            target.id,
            { status: 'resolved', ...(params.resolution ? { resolution: params.resolution } : {}) },
            from,
          );
          incidents.push({ id: target.id, status: 'resolved', changed: true });
        } catch (err) {
          if (!isArxError(err) || err.code !== 'already_resolved') throw err;
          incidents.push({ id: target.id, status: 'resolved', changed: false });
        }
      }
      return { incidents };
    },

    async 'pagerduty:incidents:list'(params: ListIncidentsParams, ctx: HandlerContext): Promise<ListResult> {
      const s = session(ctx);
      need(s.credentials, 'apiKey', 'listing incidents');
      const offset = params.after ? Number(params.after) : 0;
      const page = await s.client.listIncidents({ ...params, offset });
      const next =
        page.more && page.incidents.length > 0 ? String(offset + page.incidents.length) : undefined;
      return { items: page.incidents.map(incidentRef), ...(next ? { next } : {}) };
    },
  };
}
