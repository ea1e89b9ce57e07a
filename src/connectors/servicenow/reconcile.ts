import type { HandlerContext } from '../kit/handler.js';
import { encodedQuery, type IncidentRecord, type ServiceNowClient } from './client.js';
import type { CreateIncidentParams, UpdateIncidentParams } from './operations.js';
import type { CreateIncidentResult, IncidentRef } from './results.js';

/**
 * Has a ServiceNow write already happened? An incident is found by its `correlation_id` among the active
 * ones; an update by the record already holding the values. ServiceNow silently drops query conditions on
 * fields it does not know (the query widens), so every record found is checked again here.
 */
export function incidentRef(client: ServiceNowClient, record: IncidentRecord): IncidentRef {
  return {
    sysId: record.sys_id!,
    number: record.number ?? '',
    state: record.state ?? '',
    url: client.incidentUrl(record.sys_id!),
  };
}

/** The oldest active incident with this correlation id. */
export async function activeIncident(
  client: ServiceNowClient,
  correlationId: string,
): Promise<IncidentRef | undefined> {
  const page = await client.listIncidents({
    query: encodedQuery({ correlation_id: correlationId, active: 'true' }, 'ORDERBYsys_created_on'),
    limit: 10,
    offset: 0,
  });
  const match = page.records.find((r) => r.correlation_id === correlationId && r.active !== 'false');
  return match ? incidentRef(client, match) : undefined;
}

export async function updateApplied(
  client: ServiceNowClient,
  params: UpdateIncidentParams,
): Promise<IncidentRef | undefined> {
  const names = Object.keys(params.fields);
  // journal fields (work notes, comments) read back empty: they are appended, not set
  const comparable = names.filter((n) => n !== 'work_notes' && n !== 'comments');
  const record = await client.getIncident(params.sysId, ['sys_id', 'number', 'state', ...comparable]);
  if (comparable.length < names.length) return undefined;
  return comparable.every((n) => record[n] === params.fields[n]) ? incidentRef(client, record) : undefined;
}

export function serviceNowReconcilers(session: (ctx: HandlerContext) => ServiceNowClient) {
  return {
    async 'servicenow:incidents:create'(
      params: CreateIncidentParams,
      ctx: HandlerContext,
    ): Promise<CreateIncidentResult | undefined> {
      const found = await activeIncident(session(ctx), params.correlationId);
      return found ? { ...found, created: false } : undefined;
    },
    'servicenow:incidents:update': (params: UpdateIncidentParams, ctx: HandlerContext) =>
      updateApplied(session(ctx), params),
  };
}
