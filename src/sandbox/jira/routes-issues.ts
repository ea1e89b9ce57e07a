import type { Context } from 'hono';
import type { EmulatorRoute } from '../kit/route-table.js';
import { checkAdf, NOT_A_DOCUMENT } from './adf.js';
import { transitionsFrom } from './catalog.js';
import { ISSUE_NOT_FOUND, isObject, jiraError, readJson, siteUrl } from './http.js';
import type { JiraIssueRecord } from './model.js';
import { commentJson, createdJson, issueJson, selectFields, statusJson } from './render.js';
import type { JiraRouteEnv } from './routes-env.js';
import { commentOps, type WriteErrors } from './site.js';

/** Issue routes of Jira Cloud REST v3: create (single and bulk), read, edit, workflow, comments, properties. */

const BULK_MAX = 50;
const API = '/rest/api/3';

export function issueRoutes(env: JiraRouteEnv): EmulatorRoute[] {
  const { site } = env;

  /** Resolves `:issueIdOrKey` or answers Jira's 404. */
  const withIssue =
    (handle: (c: Context, issue: JiraIssueRecord) => Response | Promise<Response>) =>
    (c: Context): Response | Promise<Response> => {
      const issue = site.find(c.req.param('issueIdOrKey') ?? '');
      return issue ? handle(c, issue) : jiraError(c, 404, [ISSUE_NOT_FOUND]);
    };

  /** One create, as a single request or an element of a bulk request. */
  const createOne = (c: Context, body: unknown): { issue: JiraIssueRecord } | WriteErrors => {
    if (!isObject(body) || !isObject(body.fields)) {
      return { errorMessages: ['Issue fields are required ({"fields": {...}}).'], errors: {} };
    }
    const created = site.create(body.fields, body.properties, env.switchOf(c, 'searchLagMs', 0));
    if (!('issue' in created)) return created;
    const update = isObject(body.update) ? body.update : {};
    const edited = Object.keys(update).length > 0 ? site.edit(created.issue, {}, update) : undefined;
    return edited ?? created;
  };

  const writeFailed = (c: Context, failure: WriteErrors): Response =>
    jiraError(c, 400, failure.errorMessages, failure.errors, failure.reason);

  return [
    {
      op: 'issue.create',
      method: 'POST',
      path: `${API}/issue`,
      async handle(c) {
        const read = await readJson(c);
        if ('response' in read) return read.response;
        const result = createOne(c, read.body);
        if (!('issue' in result)) return writeFailed(c, result);
        const response: Record<string, unknown> = createdJson(siteUrl(c), result.issue);
        const transition = read.body.transition as { id?: unknown } | undefined;
        if (transition?.id !== undefined) {
          const error = site.transition(result.issue, transition.id);
          response.transition = {
            status: error ? 400 : 204,
            errorCollection: { errorMessages: error ? [error] : [], errors: {} },
          };
        }
        return c.json(response, 201);
      },
    },
    {
      op: 'issue.bulkCreate',
      method: 'POST',
      path: `${API}/issue/bulk`,
      async handle(c) {
        const read = await readJson(c);
        if ('response' in read) return read.response;
        const updates = read.body.issueUpdates;
        if (!Array.isArray(updates))
          return jiraError(c, 400, ['issueUpdates is required and must be an array.']);
        if (updates.length > BULK_MAX) {
          return jiraError(c, 400, [
            `Bulk create supports at most ${BULK_MAX} issues per request; got ${updates.length}.`,
          ]);
        }
        const issues: unknown[] = [];
        const errors: unknown[] = [];
        updates.forEach((update, index) => {
          const result = createOne(c, update);
          if ('issue' in result) issues.push(createdJson(siteUrl(c), result.issue));
          else {
            errors.push({
              status: 400,
              elementErrors: { errorMessages: result.errorMessages, errors: result.errors },
              failedElementNumber: index,
            });
          }
        });
        const status =
          issues.length === 0 && errors.length > 0 ? 400 : env.switchOf(c, 'bulkPartialStatus', 201);
        return c.json({ issues, errors }, status as 201);
      },
    },
    {
      op: 'issue.get',
      method: 'GET',
      path: `${API}/issue/:issueIdOrKey`,
      handle: withIssue((c, issue) => {
        const fields = selectFields(c.req.queries('fields'), 'all');
        return c.json(issueJson(siteUrl(c), issue, fields));
      }),
    },
    {
      op: 'issue.edit',
      method: 'PUT',
      path: `${API}/issue/:issueIdOrKey`,
      handle: withIssue(async (c, issue) => {
        const read = await readJson(c);
        if ('response' in read) return read.response;
        const fields = isObject(read.body.fields) ? read.body.fields : {};
        const update = isObject(read.body.update) ? read.body.update : {};
        const failure = site.edit(issue, fields, update);
        if (failure) return writeFailed(c, failure);
        if (c.req.query('returnIssue') === 'true') {
          return c.json(issueJson(siteUrl(c), issue, selectFields(undefined, 'all')));
        }
        return c.body(null, 204);
      }),
    },
    {
      op: 'issue.assign',
      method: 'PUT',
      path: `${API}/issue/:issueIdOrKey/assignee`,
      handle: withIssue(async (c, issue) => {
        const read = await readJson(c);
        if ('response' in read) return read.response;
        const accountId = read.body.accountId;
        const failure = site.edit(issue, { assignee: accountId === null ? null : { accountId } }, {});
        return failure ? writeFailed(c, failure) : c.body(null, 204);
      }),
    },
    {
      op: 'issue.transitions.list',
      method: 'GET',
      path: `${API}/issue/:issueIdOrKey/transitions`,
      handle: withIssue((c, issue) => {
        const base = siteUrl(c);
        const transitions = transitionsFrom(issue.fields.status).map((t) => ({
          id: t.id,
          name: t.name,
          to: statusJson(base, t.to),
          hasScreen: false,
          isGlobal: t.from === undefined,
          isInitial: false,
          isAvailable: true,
          isConditional: false,
          isLooped: false,
        }));
        return c.json({ expand: 'transitions', transitions });
      }),
    },
    {
      op: 'issue.transition',
      method: 'POST',
      path: `${API}/issue/:issueIdOrKey/transitions`,
      handle: withIssue(async (c, issue) => {
        const read = await readJson(c);
        if ('response' in read) return read.response;
        const transitionId = (read.body.transition as { id?: unknown } | undefined)?.id;
        if (transitionId === undefined) return jiraError(c, 400, ['Missing transition id (transition.id).']);
        const fields = isObject(read.body.fields) ? read.body.fields : {};
        const unknown = Object.keys(fields).find((f) => f !== 'resolution');
        if (unknown) {
          return jiraError(c, 400, [], {
            [unknown]: `Field '${unknown}' cannot be set. It is not on the appropriate screen, or unknown.`,
          });
        }
        const comments = commentOps(isObject(read.body.update) ? read.body.update.comment : undefined);
        if (typeof comments === 'string') return jiraError(c, 400, [], { comment: comments });
        const error = site.transition(issue, transitionId);
        if (error) return jiraError(c, 400, [error]);
        for (const body of comments) site.comment(issue, body);
        return c.body(null, 204);
      }),
    },
    {
      op: 'issue.comment.add',
      method: 'POST',
      path: `${API}/issue/:issueIdOrKey/comment`,
      handle: withIssue(async (c, issue) => {
        const read = await readJson(c);
        if ('response' in read) return read.response;
        if (read.body.body === undefined)
          return jiraError(c, 400, [], { comment: 'Comment body can not be empty!' });
        const check = checkAdf(read.body.body);
        if (!check.ok) {
          return jiraError(
            c,
            400,
            [],
            { comment: check.notADocument ? NOT_A_DOCUMENT : 'Comment body is invalid.' },
            check.reason,
          );
        }
        return c.json(commentJson(siteUrl(c), issue, site.comment(issue, check.doc)), 201);
      }),
    },
    {
      op: 'issue.comment.list',
      method: 'GET',
      path: `${API}/issue/:issueIdOrKey/comment`,
      handle: withIssue((c, issue) => {
        const startAt = Math.max(0, Number(c.req.query('startAt') ?? 0) || 0);
        const maxResults = Math.min(5000, Math.max(0, Number(c.req.query('maxResults') ?? 5000) || 0));
        const ordered =
          c.req.query('orderBy') === '-created' ? [...issue.comments].reverse() : issue.comments;
        const page = ordered.slice(startAt, startAt + maxResults);
        const base = siteUrl(c);
        return c.json({
          startAt,
          maxResults,
          total: issue.comments.length,
          comments: page.map((comment) => commentJson(base, issue, comment)),
        });
      }),
    },
    {
      op: 'issue.property.list',
      method: 'GET',
      path: `${API}/issue/:issueIdOrKey/properties`,
      handle: withIssue((c, issue) => {
        const base = siteUrl(c);
        const keys = [...issue.properties.keys()].map((key) => ({
          self: `${base}${API}/issue/${issue.id}/properties/${encodeURIComponent(key)}`,
          key,
        }));
        return c.json({ keys });
      }),
    },
    {
      op: 'issue.property.get',
      method: 'GET',
      path: `${API}/issue/:issueIdOrKey/properties/:propertyKey`,
      handle: withIssue((c, issue) => {
        const key = c.req.param('propertyKey') ?? '';
        if (!issue.properties.has(key))
          return jiraError(c, 404, [`The property with key '${key}' does not exist.`]);
        return c.json({ key, value: issue.properties.get(key) });
      }),
    },
    {
      op: 'issue.property.set',
      method: 'PUT',
      path: `${API}/issue/:issueIdOrKey/properties/:propertyKey`,
      handle: withIssue(async (c, issue) => {
        const key = c.req.param('propertyKey') ?? '';
        if (key.length > 255)
          return jiraError(c, 400, ['The property key cannot be longer than 255 characters.']);
        const text = await c.req.text();
        let value: unknown;
        try {
          value = JSON.parse(text);
        } catch {
          return jiraError(c, 400, ['The property value must be valid JSON.']);
        }
        const existed = issue.properties.has(key);
        issue.properties.set(key, value);
        return c.body(null, existed ? 200 : 201);
      }),
    },
    {
      op: 'issue.property.delete',
      method: 'DELETE',
      path: `${API}/issue/:issueIdOrKey/properties/:propertyKey`,
      handle: withIssue((c, issue) => {
        const key = c.req.param('propertyKey') ?? '';
        if (!issue.properties.delete(key))
          return jiraError(c, 404, [`The property with key '${key}' does not exist.`]);
        return c.body(null, 204);
      }),
    },
  ];
}
