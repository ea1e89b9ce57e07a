import type { Context } from 'hono';
import type { EmulatorRoute, SwitchReader } from '../kit/route-table.js';
import type { IncidentStatus, PagerDutyAccount, PdIncident, PdUser } from './account.js';
import { incidentJson, noteJson, serviceJson } from './render.js';

/**
 * REST API v2 routes, mounted under the emulator's API base: incidents (create with `From`, list with
 * filters and offset pagination, get, status updates, notes) and services. Errors use PagerDuty's
 * `{error: {message, code, errors}}`.
 */

export interface RestEnv {
  account: PagerDutyAccount;
  /** The REST base path inside the emulator (e.g. `/api`). */
  prefix: string;
  switchOf: SwitchReader;
}

const STATUSES: readonly IncidentStatus[] = ['triggered', 'acknowledged', 'resolved'];
const LIST_DEFAULT_LIMIT = 25;
const LIST_MAX_LIMIT = 100;
/** PagerDuty refuses to page past offset + limit = 10,000 (classic pagination's window). */
const PAGINATION_WINDOW = 10_000;

type PdErrorStatus = 400 | 401 | 403 | 404;

export function pdError(
  c: Context,
  status: PdErrorStatus,
  message: string,
  code: number,
  errors?: string[],
): Response {
  return c.json({ error: { message, code, ...(errors ? { errors } : {}) } }, status);
}

const invalidInput = (c: Context, ...errors: string[]) =>
  pdError(c, 400, 'Invalid Input Provided', 2001, errors);

const apiBase = (c: Context, prefix: string) => `${new URL(c.req.url).origin}${prefix}`;

/** Array query parameters arrive as `statuses[]=a&statuses[]=b` (or without the brackets). */
const queryList = (c: Context, name: string): string[] => [
  ...(c.req.queries(`${name}[]`) ?? []),
  ...(c.req.queries(name) ?? []),
];

async function readBody(c: Context): Promise<Record<string, unknown> | undefined> {
  try {
    const body = (await c.req.json()) as unknown;
    return typeof body === 'object' && body !== null && !Array.isArray(body)
      ? (body as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

export function restRoutes(env: RestEnv): EmulatorRoute[] {
  const { account, prefix } = env;

  /** Writes need `From: <email of a user on the account>`. */
  const requester = (c: Context): PdUser | Response => {
    const from = c.req.header('from');
    if (!from)
      return invalidInput(
        c,
        'You must specify a user\'s email address in the "From" header to perform this action',
      );
    return (
      account.userByEmail(from) ??
      invalidInput(c, `Requester User Not Found: "${from}" is not a user on this account`)
    );
  };

  const withIncident =
    (handle: (c: Context, incident: PdIncident) => Response | Promise<Response>) =>
    (c: Context): Response | Promise<Response> => {
      const incident = account.incidents.find((i) => i.id === c.req.param('id'));
      return incident ? handle(c, incident) : pdError(c, 404, 'Not Found', 2100);
    };

  const create = async (c: Context): Promise<Response> => {
    const user = requester(c);
    if (user instanceof Response) return user;
    const body = await readBody(c);
    const incident = body?.incident as Record<string, unknown> | undefined;
    if (typeof incident !== 'object' || incident === null) return invalidInput(c, 'Incident is required');
    const errors: string[] = [];
    if (incident.type !== 'incident') errors.push("Incident type must be 'incident'");
    if (typeof incident.title !== 'string' || incident.title.trim() === '')
      errors.push("Title can't be blank");
    const serviceId = (incident.service as { id?: unknown } | undefined)?.id;
    if (serviceId === undefined) errors.push('Service is required');
    const urgency = incident.urgency ?? 'high';
    if (urgency !== 'high' && urgency !== 'low') errors.push('Urgency must be one of high, low');
    const details = (incident.body as { details?: unknown } | undefined)?.details;
    if (details !== undefined && typeof details !== 'string')
      errors.push('Incident body details must be a string');
    if (incident.assignments !== undefined && incident.escalation_policy !== undefined) {
      errors.push('Assignments and escalation_policy cannot both be specified');
    }
    if (errors.length > 0) return invalidInput(c, ...errors);
    const service = account.services.find((s) => s.id === serviceId);
    if (!service)
      return pdError(c, 400, 'Service Not Found', 5002, [`Service ${String(serviceId)} not found`]);
    const key =
      typeof incident.incident_key === 'string' && incident.incident_key
        ? incident.incident_key
        : account.hex(32);
    if (account.openIncident(service, key)) {
      return invalidInput(c, `Open incident with key '${key}' already exists`);
    }
    const created = account.open({
      service,
      title: incident.title as string,
      urgency: urgency as 'high' | 'low',
      incidentKey: key,
      createdVia: 'rest_api',
      ...(details === undefined ? {} : { details: details as string }),
      ...(typeof (incident.priority as { id?: unknown })?.id === 'string'
        ? { priorityId: (incident.priority as { id: string }).id }
        : {}),
    });
    return c.json({ incident: incidentJson(apiBase(c, prefix), created) }, 201);
  };

  const list = (c: Context): Response => {
    const statuses = queryList(c, 'statuses');
    const bad = statuses.find((s) => !STATUSES.includes(s as IncidentStatus));
    if (bad) return invalidInput(c, `Statuses must be one of ${STATUSES.join(', ')} (got '${bad}')`);
    const serviceIds = queryList(c, 'service_ids');
    const urgencies = queryList(c, 'urgencies');
    const key = c.req.query('incident_key');
    const since = c.req.query('since') ? Date.parse(c.req.query('since')!) : undefined;
    const until = c.req.query('until') ? Date.parse(c.req.query('until')!) : undefined;
    if (Number.isNaN(since) || Number.isNaN(until))
      return invalidInput(c, 'since and until must be ISO 8601 dates');
    const limit = Number(c.req.query('limit') ?? LIST_DEFAULT_LIMIT);
    const offset = Number(c.req.query('offset') ?? 0);
    if (!Number.isInteger(limit) || limit < 1 || !Number.isInteger(offset) || offset < 0) {
      return invalidInput(c, 'limit must be a positive integer and offset a non-negative integer');
    }
    const size = Math.min(limit, LIST_MAX_LIMIT);
    if (offset + size > PAGINATION_WINDOW) {
      return invalidInput(
        c,
        `Offset must be less than ${PAGINATION_WINDOW - size} (use since/until to narrow the window)`,
      );
    }
    const matched = account.incidents.filter(
      (i) =>
        (statuses.length === 0 || statuses.includes(i.status)) &&
        (serviceIds.length === 0 || serviceIds.includes(i.service.id)) &&
        (urgencies.length === 0 || urgencies.includes(i.urgency)) &&
        (key === undefined || i.incidentKey === key) &&
        (since === undefined || i.createdAt.getTime() >= since) &&
        (until === undefined || i.createdAt.getTime() < until),
    );
    const [sortField, direction] = (c.req.query('sort_by') ?? 'created_at:asc').split(':');
    const sign = direction === 'desc' ? -1 : 1;
    const time = (i: PdIncident) => (sortField === 'incident_number' ? 0 : i.createdAt.getTime());
    matched.sort((a, b) => sign * (time(a) - time(b) || a.number - b.number));
    const page = matched.slice(offset, offset + size);
    const api = apiBase(c, prefix);
    return c.json({
      incidents: page.map((i) => incidentJson(api, i)),
      limit: size,
      offset,
      total: c.req.query('total') === 'true' ? matched.length : null,
      more: offset + page.length < matched.length,
    });
  };

  const update = withIncident(async (c, incident) => {
    const user = requester(c);
    if (user instanceof Response) return user;
    const body = await readBody(c);
    const change = body?.incident as Record<string, unknown> | undefined;
    if (typeof change !== 'object' || change === null) return invalidInput(c, 'Incident is required');
    const status = change.status;
    if (status !== undefined && status !== 'acknowledged' && status !== 'resolved') {
      return invalidInput(c, 'Status must be one of acknowledged, resolved');
    }
    if (status && incident.status === 'resolved') {
      return pdError(c, 400, 'Incident Already Resolved', 1001, ['Incident Already Resolved']);
    }
    if (status === 'acknowledged' && incident.status === 'acknowledged') {
      if (env.switchOf(c, 'reacknowledge', 'error') === 'error') {
        return pdError(c, 400, 'Incident Already Acknowledged', 1002, ['Incident Already Acknowledged']);
      }
    }
    if (typeof change.title === 'string' && change.title.trim()) incident.title = change.title;
    if (change.urgency === 'high' || change.urgency === 'low') incident.urgency = change.urgency;
    if (status) account.setStatus(incident, status, user);
    else incident.updatedAt = account.now();
    return c.json({ incident: incidentJson(apiBase(c, prefix), incident) });
  });

  const addNote = withIncident(async (c, incident) => {
    const user = requester(c);
    if (user instanceof Response) return user;
    const content = ((await readBody(c))?.note as { content?: unknown } | undefined)?.content;
    if (typeof content !== 'string' || content.trim() === '')
      return invalidInput(c, "Note content can't be blank");
    return c.json({ note: noteJson(apiBase(c, prefix), account.addNote(incident, user, content)) }, 201);
  });

  const withIntegrations = (c: Context) => queryList(c, 'include').includes('integrations');

  return [
    { op: 'incidents.create', method: 'POST', path: `${prefix}/incidents`, handle: create },
    { op: 'incidents.list', method: 'GET', path: `${prefix}/incidents`, handle: list },
    {
      op: 'incidents.get',
      method: 'GET',
      path: `${prefix}/incidents/:id`,
      handle: withIncident((c, incident) => c.json({ incident: incidentJson(apiBase(c, prefix), incident) })),
    },
    { op: 'incidents.update', method: 'PUT', path: `${prefix}/incidents/:id`, handle: update },
    { op: 'incidents.notes.create', method: 'POST', path: `${prefix}/incidents/:id/notes`, handle: addNote },
    {
      op: 'incidents.notes.list',
      method: 'GET',
      path: `${prefix}/incidents/:id/notes`,
      handle: withIncident((c, incident) =>
        c.json({ notes: incident.notes.map((n) => noteJson(apiBase(c, prefix), n)) }),
      ),
    },
    {
      op: 'services.list',
      method: 'GET',
      path: `${prefix}/services`,
      handle: (c) =>
        c.json({
          services: account.services.map((s) => serviceJson(apiBase(c, prefix), s, withIntegrations(c))),
          limit: LIST_DEFAULT_LIMIT,
          offset: 0,
          total: null,
          more: false,
        }),
    },
    {
      op: 'services.get',
      method: 'GET',
      path: `${prefix}/services/:id`,
      handle(c) {
        const service = account.services.find((s) => s.id === c.req.param('id'));
        if (!service) return pdError(c, 404, 'Not Found', 2100);
        return c.json({ service: serviceJson(apiBase(c, prefix), service, withIntegrations(c)) });
      },
    },
    {
      op: 'abilities',
      method: 'GET',
      path: `${prefix}/abilities`,
      handle: (c) => c.json({ abilities: ['teams', 'urgencies', 'read_only_users', 'event_rules'] }),
    },
  ];
}
