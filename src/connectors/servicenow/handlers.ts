import type { HandlerContext } from '../kit/handler.js';
import type { ConnectorRuntime } from '../kit/runtime.js';
import { writeOnce } from '../kit/write-once.js';
import { DEFAULT_FIELDS, encodedQuery, type ServiceNowClient } from './client.js';
import type { CreateIncidentParams, ReadIncidentsParams, UpdateIncidentParams } from './operations.js';
import { IMPACT_URGENCY_BY_SEVERITY } from './priority.js';
import { activeIncident, incidentRef } from './reconcile.js';
import type { CreateIncidentResult, IncidentRef, ReadResult } from './results.js';

const DEFAULT_PAGE = 100;

/** Create params → the incident's fields (pure). */
export function incidentFields(params: CreateIncidentParams): Record<string, string> {
  const mapped = params.severity ? IMPACT_URGENCY_BY_SEVERITY[params.severity] : undefined;
  const impact = params.impact ?? mapped?.impact;
  const urgency = params.urgency ?? mapped?.urgency;
  return {
    short_description: params.shortDescription,
    correlation_id: params.correlationId,
    correlation_display: params.correlationDisplay,
    ...(params.description ? { description: params.description } : {}),
    ...(impact ? { impact } : {}),
    ...(urgency ? { urgency } : {}),
    ...(params.category ? { category: params.category } : {}),
    ...(params.assignmentGroup ? { assignment_group: params.assignmentGroup } : {}),
    ...(params.callerId ? { caller_id: params.callerId } : {}),
  };
}

/** One handler per ServiceNow operation id; the gate validated the params and resolved the credentials. */
export function serviceNowHandlers(
  runtime: ConnectorRuntime,
  session: (ctx: HandlerContext) => ServiceNowClient,
) {
  return {
    /** One active incident per finding: an active one with the correlation id is returned, not duplicated. */
    async 'servicenow:incidents:create'(
      params: CreateIncidentParams,
      ctx: HandlerContext,
    ): Promise<CreateIncidentResult> {
      const client = session(ctx);
      const existing = await activeIncident(client, params.correlationId);
      if (existing) return { ...existing, created: false };
      const { value } = await writeOnce({
        attempt: async () => incidentRef(client, await client.createIncident(incidentFields(params))),
        reconcile: () => activeIncident(client, params.correlationId),
        what: 'servicenow:incidents:create',
        clock: ctx.clock,
        log: ctx.log,
        profile: runtime.retry,
        random: runtime.random,
      });
      return { ...value, created: true };
    },

    async 'servicenow:incidents:read'(params: ReadIncidentsParams, ctx: HandlerContext): Promise<ReadResult> {
      const client = session(ctx);
      const offset = params.after ? Number(params.after) : 0;
      const limit = params.limit ?? DEFAULT_PAGE;
      const query = encodedQuery(
        {
          correlation_id: params.correlationId,
          number: params.number,
          active: params.active === undefined ? undefined : String(params.active),
        },
        params.query,
      );
      const page = await client.listIncidents({
        query,
        fields: params.fields ?? DEFAULT_FIELDS,
        limit,
        offset,
      });
      // ServiceNow drops conditions on unknown fields and widens the result: keep only what was asked for
      const items = page.records.filter(
        (r) =>
          (params.correlationId === undefined ||
            r.correlation_id === undefined ||
            r.correlation_id === params.correlationId) &&
          (params.number === undefined || r.number === undefined || r.number === params.number),
      );
      const next = page.hasNext && page.records.length > 0 ? String(offset + page.records.length) : undefined;
      return { items, ...(next ? { next } : {}), ...(page.total !== undefined ? { total: page.total } : {}) };
    },

    async 'servicenow:incidents:update'(
      params: UpdateIncidentParams,
      ctx: HandlerContext,
    ): Promise<IncidentRef> {
      const client = session(ctx);
      return incidentRef(client, await client.updateIncident(params.sysId, params.fields));
    },
  };
}
