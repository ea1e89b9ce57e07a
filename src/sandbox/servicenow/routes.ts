import type { Context } from 'hono';
import type { EmulatorRoute, SwitchReader } from '../kit/route-table.js';
import {
  CHOICES,
  INCIDENT_FIELDS,
  type IncidentRecord,
  type IncidentTable,
  REFERENCES,
} from './incidents.js';
import { matchesQuery, parseEncodedQuery, sortRecords } from './query.js';

/** Table API routes (`/api/now/table/<table>` and the versioned `/api/now/v1/table/<table>`) for `incident`. */

export interface TableEnv {
  incidents: IncidentTable;
  /** The sys_id and display name of the API user, for reference display values. */
  user: { sysId: string; displayName: string };
  switchOf: SwitchReader;
}

const DEFAULT_LIMIT = 10_000;
const TABLES = ['incident'];

type ErrorStatus = 400 | 401 | 403 | 404;

export function snError(
  c: Context,
  status: ErrorStatus | 429 | 500,
  message: string,
  detail: string | null,
): Response {
  return c.json({ error: { message, detail }, status: 'failure' }, status);
}

const origin = (c: Context) => new URL(c.req.url).origin;

interface ViewParams {
  fields: string[];
  display: 'true' | 'false' | 'all';
  excludeLinks: boolean;
}

function viewParams(c: Context): ViewParams {
  const requested = (c.req.query('sysparm_fields') ?? '')
    .split(',')
    .map((f) => f.trim())
    .filter(Boolean);
  const display = c.req.query('sysparm_display_value');
  return {
    fields: requested.length > 0 ? requested.filter((f) => INCIDENT_FIELDS.has(f)) : [...INCIDENT_FIELDS],
    display: display === 'true' || display === 'all' ? display : 'false',
    excludeLinks: c.req.query('sysparm_exclude_reference_link') === 'true',
  };
}

function recordJson(base: string, env: TableEnv, record: IncidentRecord, view: ViewParams) {
  const out: Record<string, unknown> = {};
  for (const field of view.fields) {
    const value = record[field] ?? '';
    const refTable = REFERENCES[field];
    const display =
      CHOICES[field]?.[value] ?? (refTable && value === env.user.sysId ? env.user.displayName : value);
    const link =
      refTable && value && !view.excludeLinks ? `${base}/api/now/table/${refTable}/${value}` : undefined;
    if (view.display === 'true') out[field] = display;
    else if (view.display === 'all')
      out[field] = { display_value: display, value, ...(link ? { link } : {}) };
    else out[field] = link ? { link, value } : value;
  }
  return out;
}

export function tableRoutes(env: TableEnv): EmulatorRoute[] {
  const { incidents } = env;
  const policy = (c: Context) => ({
    resolveNeedsCloseFields: env.switchOf(c, 'resolveNeedsCloseFields', true),
    resolvedIsActive: env.switchOf(c, 'resolvedIsActive', true),
  });

  const withTable =
    (handle: (c: Context) => Response | Promise<Response>) =>
    (c: Context): Response | Promise<Response> =>
      TABLES.includes(c.req.param('table') ?? '')
        ? handle(c)
        : snError(c, 400, `Invalid table ${c.req.param('table')}`, null);

  const withRecord = (handle: (c: Context, record: IncidentRecord) => Response | Promise<Response>) =>
    withTable((c) => {
      const record = incidents.find(c.req.param('sysId') ?? '');
      if (!record) {
        return snError(
          c,
          404,
          'No Record found',
          "Record doesn't exist or ACL restricts the record retrieval",
        );
      }
      return handle(c, record);
    });

  const readBody = async (c: Context): Promise<Record<string, unknown> | Response> => {
    try {
      const body = (await c.req.json()) as unknown;
      if (typeof body === 'object' && body !== null && !Array.isArray(body))
        return body as Record<string, unknown>;
    } catch {
      // answered below
    }
    return snError(c, 400, 'Exception while reading request', 'The payload is not valid JSON.');
  };

  const policyFailure = (c: Context, mandatory: string[]) =>
    snError(
      c,
      403,
      'Operation Failed',
      `Data Policy Exception: \n\tThe following fields are mandatory: ${mandatory.join(', ')}\n`,
    );

  const list = withTable((c) => {
    const query = parseEncodedQuery(c.req.query('sysparm_query') ?? '', INCIDENT_FIELDS);
    const onInvalid = env.switchOf(c, 'invalidQuery', 'ignore');
    if (query.invalid.length > 0 && onInvalid === 'error') {
      return snError(c, 400, 'Invalid query', `Invalid condition(s): ${query.invalid.join(', ')}`);
    }
    const matched =
      query.invalid.length > 0 && onInvalid === 'empty'
        ? []
        : sortRecords(
            incidents.records.filter((r) => matchesQuery(r, query)),
            query.orderBy,
          );
    const limit = Math.max(1, Number(c.req.query('sysparm_limit') ?? DEFAULT_LIMIT) || DEFAULT_LIMIT);
    const offset = Math.max(0, Number(c.req.query('sysparm_offset') ?? 0) || 0);
    const page = matched.slice(offset, offset + limit);
    const base = origin(c);
    c.header('X-Total-Count', String(matched.length));
    const link = paginationLinks(c.req.url, matched.length, offset, limit);
    if (link) c.header('Link', link);
    const view = viewParams(c);
    return c.json({ result: page.map((r) => recordJson(base, env, r, view)) });
  });

  const create = withTable(async (c) => {
    const body = await readBody(c);
    if (body instanceof Response) return body;
    const created = incidents.create(body, policy(c));
    if ('mandatory' in created) return policyFailure(c, created.mandatory as string[]);
    const base = origin(c);
    c.header('Location', `${base}/api/now/table/incident/${created.sys_id}`);
    return c.json({ result: recordJson(base, env, created, viewParams(c)) }, 201);
  });

  const update = withRecord(async (c, record) => {
    const body = await readBody(c);
    if (body instanceof Response) return body;
    const updated = incidents.update(record, body, policy(c));
    if ('mandatory' in updated) return policyFailure(c, updated.mandatory as string[]);
    return c.json({ result: recordJson(origin(c), env, updated, viewParams(c)) });
  });

  return ['/api/now/table', '/api/now/v1/table'].flatMap((root) => [
    { op: 'table.list', method: 'GET' as const, path: `${root}/:table`, handle: list },
    { op: 'table.create', method: 'POST' as const, path: `${root}/:table`, handle: create },
    {
      op: 'table.get',
      method: 'GET' as const,
      path: `${root}/:table/:sysId`,
      handle: withRecord((c, record) =>
        c.json({ result: recordJson(origin(c), env, record, viewParams(c)) }),
      ),
    },
    { op: 'table.update', method: 'PATCH' as const, path: `${root}/:table/:sysId`, handle: update },
    { op: 'table.update', method: 'PUT' as const, path: `${root}/:table/:sysId`, handle: update },
    {
      op: 'table.delete',
      method: 'DELETE' as const,
      path: `${root}/:table/:sysId`,
      handle: withRecord((c, record) => {
        incidents.delete(record);
        return c.body(null, 204);
      }),
    },
  ]);
}

/** `Link: <...>;rel="first",<...>;rel="prev",<...>;rel="next",<...>;rel="last"`, as the Table API sends it. */
function paginationLinks(url: string, total: number, offset: number, limit: number): string | undefined {
  if (total <= limit && offset === 0) return undefined;
  const at = (o: number) => {
    const u = new URL(url);
    u.searchParams.set('sysparm_offset', String(o));
    u.searchParams.set('sysparm_limit', String(limit));
    return u.toString();
  };
  const lastOffset = Math.max(0, Math.floor((total - 1) / limit) * limit);
  const links = [`<${at(0)}>;rel="first"`];
  if (offset > 0) links.push(`<${at(Math.max(0, offset - limit))}>;rel="prev"`);
  if (offset + limit < total) links.push(`<${at(offset + limit)}>;rel="next"`);
  links.push(`<${at(lastOffset)}>;rel="last"`);
  return links.join(',');
}
