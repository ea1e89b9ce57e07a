import { ArxError } from '../../core/errors.js';
import { type HttpClient, RETRY_NONE } from '../http/index.js';
import { type ConnectorRuntime, toolHttpClient } from '../kit/runtime.js';
import type { ServiceNowCredentials } from './credentials.js';
import { classifyServiceNowResponse } from './errors.js';

/**
 * The only HTTP code for ServiceNow's Table API (`incident`), on the seam. Values are read raw
 * (`sysparm_display_value=false`, reference links excluded) so what Arx compares is what it wrote. Creating
 * an incident is sent without retries: ServiceNow has no idempotency key (reconciled by correlation_id).
 */
const TABLE = 'api/now/table/incident';

export type IncidentRecord = Record<string, string>;

export const DEFAULT_FIELDS = [
  'sys_id',
  'number',
  'state',
  'active',
  'short_description',
  'urgency',
  'impact',
  'priority',
  'correlation_id',
  'sys_updated_on',
] as const;

export interface ListQuery {
  /** An encoded query (`correlation_id=fk_1^active=true`); built with `encodedQuery`. */
  query: string;
  fields?: readonly string[];
  limit: number;
  offset: number;
}

export interface RecordsPage {
  records: IncidentRecord[];
  /** From `X-Total-Count`, when sent. */
  total?: number;
  /** `Link: rel="next"` was sent. */
  hasNext: boolean;
}

/** `^` separates conditions in an encoded query; in a value it is written `^^`. */
export function queryValue(value: string): string {
  return value.replace(/\^/g, '^^');
}

/** Conditions joined with AND: `{correlation_id: 'x', active: 'true'}` → `correlation_id=x^active=true`. */
export function encodedQuery(equals: Record<string, string | undefined>, extra?: string): string {
  const parts = Object.entries(equals)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([field, value]) => `${field}=${queryValue(value)}`);
  return [...parts, ...(extra ? [extra] : [])].join('^');
}

export class ServiceNowClient {
  readonly instance: string;

  constructor(
    private readonly http: HttpClient,
    instance: string,
  ) {
    this.instance = instance.replace(/\/+$/, '');
  }

  /** The incident's form for people. */
  incidentUrl(sysId: string): string {
    return `${this.instance}/nav_to.do?uri=${encodeURIComponent(`incident.do?sys_id=${sysId}`)}`;
  }

  private view(fields: readonly string[] = DEFAULT_FIELDS) {
    return {
      sysparm_fields: fields.join(','),
      sysparm_display_value: 'false',
      sysparm_exclude_reference_link: 'true',
    };
  }

  async createIncident(fields: Record<string, string>): Promise<IncidentRecord> {
    const res = await this.http.request<{ result?: IncidentRecord }>({
      method: 'POST',
      path: TABLE,
      query: this.view(),
      json: fields,
      endpoint: 'incident.create',
      retry: RETRY_NONE,
    });
    return expectRecord(res.body?.result);
  }

  async listIncidents(query: ListQuery): Promise<RecordsPage> {
    const res = await this.http.request<{ result?: IncidentRecord[] }>({
      path: TABLE,
      query: {
        ...this.view(query.fields),
        sysparm_query: query.query || undefined,
        sysparm_limit: query.limit,
        sysparm_offset: query.offset,
      },
      endpoint: 'incident.list',
    });
    if (!Array.isArray(res.body?.result)) {
      throw new ArxError('malformed_response', 'ServiceNow answered a list without a result array', {
        fault: 'tool',
        retryable: true,
      });
    }
    const total = Number(res.headers.get('x-total-count'));
    return {
      records: res.body.result,
      ...(Number.isFinite(total) && res.headers.has('x-total-count') ? { total } : {}),
      hasNext: /rel="next"/.test(res.headers.get('link') ?? ''),
    };
  }

  async getIncident(sysId: string, fields?: readonly string[]): Promise<IncidentRecord> {
    const res = await this.http.request<{ result?: IncidentRecord }>({
      path: `${TABLE}/${encodeURIComponent(sysId)}`,
      query: this.view(fields),
      endpoint: 'incident.get',
    });
    return expectRecord(res.body?.result);
  }

  /** PATCH sets fields; setting the same values again changes nothing, so retries are safe. */
  async updateIncident(sysId: string, fields: Record<string, string>): Promise<IncidentRecord> {
    const res = await this.http.request<{ result?: IncidentRecord }>({
      method: 'PATCH',
      path: `${TABLE}/${encodeURIComponent(sysId)}`,
      query: this.view(),
      json: fields,
      endpoint: 'incident.update',
    });
    return expectRecord(res.body?.result);
  }
}

function expectRecord(record: IncidentRecord | undefined): IncidentRecord {
  if (!record || typeof record.sys_id !== 'string' || record.sys_id === '') {
    throw new ArxError('malformed_response', 'ServiceNow answered without a record', {
      fault: 'tool',
      retryable: true,
    });
  }
  return record;
}

export function createServiceNowHttp(
  runtime: ConnectorRuntime,
  credentials: ServiceNowCredentials,
): HttpClient {
  const basic = `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
  return toolHttpClient(runtime, {
    tool: 'servicenow',
    baseUrl: credentials.url,
    tenant: new URL(credentials.url).host,
    auth: (headers) => headers.set('authorization', basic),
    classify: classifyServiceNowResponse,
  });
}

export function createServiceNowClient(
  runtime: ConnectorRuntime,
  credentials: ServiceNowCredentials,
): ServiceNowClient {
  return new ServiceNowClient(createServiceNowHttp(runtime, credentials), credentials.url);
}
