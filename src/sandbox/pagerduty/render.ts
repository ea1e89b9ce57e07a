import type { PdIncident, PdNote, PdService, PdUser } from './account.js';

/** PagerDuty REST v2 JSON for the account's objects. `api` is the REST base URL the caller used. */

const WEB = 'https://arx-sandbox.pagerduty.com';

/** PagerDuty timestamps carry whole seconds: `2025-06-02T06:45:00Z`. */
export function pdTime(at: Date): string {
  return at.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function userReference(api: string, user: PdUser) {
  return {
    id: user.id,
    type: 'user_reference',
    summary: user.name,
    self: `${api}/users/${user.id}`,
    html_url: `${WEB}/users/${user.id}`,
  };
}

export function serviceJson(api: string, service: PdService, withIntegrations: boolean) {
  return {
    id: service.id,
    type: 'service',
    summary: service.name,
    name: service.name,
    self: `${api}/services/${service.id}`,
    html_url: `${WEB}/service-directory/${service.id}`,
    status: 'active',
    escalation_policy: { id: service.escalationPolicyId, type: 'escalation_policy_reference' },
    incident_urgency_rule: { type: 'constant', urgency: 'high' },
    integrations: [
      {
        id: `${service.id}I`,
        type: withIntegrations
          ? 'events_api_v2_inbound_integration'
          : 'events_api_v2_inbound_integration_reference',
        summary: 'Arx',
        ...(withIntegrations ? { integration_key: service.routingKey } : {}),
      },
    ],
  };
}

export function incidentJson(api: string, incident: PdIncident) {
  const resolved = incident.status === 'resolved';
  return {
    id: incident.id,
    type: 'incident',
    summary: `[#${incident.number}] ${incident.title}`,
    self: `${api}/incidents/${incident.id}`,
    html_url: `${WEB}/incidents/${incident.id}`,
    incident_number: incident.number,
    title: incident.title,
    created_at: pdTime(incident.createdAt),
    updated_at: pdTime(incident.updatedAt),
    status: incident.status,
    incident_key: incident.incidentKey,
    service: {
      id: incident.service.id,
      type: 'service_reference',
      summary: incident.service.name,
      self: `${api}/services/${incident.service.id}`,
      html_url: `${WEB}/service-directory/${incident.service.id}`,
    },
    // PagerDuty clears assignments once an incident is resolved.
    assignments: resolved
      ? []
      : [{ at: pdTime(incident.createdAt), assignee: userReference(api, incident.service.onCall) }],
    assigned_via: 'escalation_policy',
    acknowledgements: incident.acknowledgedBy
      ? [
          {
            at: pdTime(incident.lastStatusChangeAt),
            acknowledger: userReference(api, incident.acknowledgedBy),
          },
        ]
      : [],
    last_status_change_at: pdTime(incident.lastStatusChangeAt),
    urgency: incident.urgency,
    escalation_policy: { id: incident.service.escalationPolicyId, type: 'escalation_policy_reference' },
    priority: incident.priorityId ? { id: incident.priorityId, type: 'priority_reference' } : null,
    resolved_at: incident.resolvedAt ? pdTime(incident.resolvedAt) : null,
    alert_counts: {
      all: incident.alertCount,
      triggered: resolved ? 0 : incident.alertCount,
      resolved: resolved ? incident.alertCount : 0,
    },
    body: { type: 'incident_body', details: incident.details ?? '' },
    created_via: incident.createdVia,
  };
}

export function noteJson(api: string, note: PdNote) {
  return {
    id: note.id,
    user: userReference(api, note.user),
    channel: { summary: 'The PagerDuty website or APIs' },
    content: note.content,
    created_at: note.created_at,
  };
}
