import type { HandlerContext } from '../kit/handler.js';
import type { PdIncident } from './client.js';
import { need } from './credentials.js';
import type { CreateIncidentParams, EventParams, ResolveIncidentParams } from './operations.js';
import type { CreateIncidentResult, EventResult, IncidentRef, ResolveResult } from './results.js';
import type { PagerDutySession } from './session.js';

/**
 * Has a PagerDuty write already happened? Incidents are found by `incident_key` (an event-created
 * incident carries its `dedup_key` as its key), resolutions by the incidents' status. Events need no
 * reconciling to be safe (re-sending folds into the same alert), so without a REST key there is nothing to
 * look at and the event is simply sent again.
 */
export const OPEN = ['triggered', 'acknowledged'];

export function incidentRef(i: PdIncident): IncidentRef {
  return {
    id: i.id,
    number: i.incident_number,
    title: i.title,
    status: i.status,
    urgency: i.urgency,
    incidentKey: i.incident_key,
    ...(i.service?.id ? { serviceId: i.service.id } : {}),
    ...(i.html_url ? { url: i.html_url } : {}),
    ...(i.created_at ? { createdAt: i.created_at } : {}),
  };
}

/** The open incident with this key on this service (PagerDuty allows one). */
export async function openIncident(
  s: PagerDutySession,
  incidentKey: string,
  serviceId: string,
): Promise<PdIncident | undefined> {
  const open = await s.client.incidentsWithKey(incidentKey, OPEN);
  return open.find((i) => i.service?.id === serviceId);
}

export function serviceOf(s: PagerDutySession, params: { serviceId?: string | undefined }): string {
  return params.serviceId ?? need(s.credentials, 'serviceId', 'creating an incident');
}

export function pagerDutyReconcilers(session: (ctx: HandlerContext) => PagerDutySession) {
  return {
    async 'pagerduty:incidents:create'(
      params: CreateIncidentParams,
      ctx: HandlerContext,
    ): Promise<CreateIncidentResult | undefined> {
      const s = session(ctx);
      need(s.credentials, 'apiKey', 'looking up incidents');
      const found = await openIncident(s, params.incidentKey, serviceOf(s, params));
      return found ? { ...incidentRef(found), created: false } : undefined;
    },

    async 'pagerduty:incidents:resolve'(
      params: ResolveIncidentParams,
      ctx: HandlerContext,
    ): Promise<ResolveResult | undefined> {
      const s = session(ctx);
      need(s.credentials, 'apiKey', 'looking up incidents');
      const incidents = params.incidentId
        ? [await s.client.incident(params.incidentId)]
        : await s.client.incidentsWithKey(params.incidentKey!);
      if (incidents.length === 0 || incidents.some((i) => i.status !== 'resolved')) return undefined;
      return { incidents: incidents.map((i) => ({ id: i.id, status: 'resolved' as const, changed: false })) };
    },

    async 'pagerduty:events:send'(
      params: EventParams,
      ctx: HandlerContext,
    ): Promise<EventResult | undefined> {
      const s = session(ctx);
      if (!s.credentials.apiKey) return undefined;
      const incidents = await s.client.incidentsWithKey(params.dedupKey);
      const open = incidents.filter((i) => i.status !== 'resolved');
      const happened =
        params.action === 'trigger'
          ? open.length > 0
          : params.action === 'acknowledge'
            ? open.length > 0 && open.every((i) => i.status === 'acknowledged')
            : incidents.length > 0 && open.length === 0;
      return happened
        ? {
            dedupKey: params.dedupKey,
            status: 'success',
            message: `already ${params.action === 'trigger' ? 'open' : `${params.action}d`}`,
          }
        : undefined;
    },
  };
}
