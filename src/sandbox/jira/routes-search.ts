import { createHash } from 'node:crypto';
import type { Context } from 'hono';
import type { EmulatorRoute } from '../kit/route-table.js';
import { jiraError, readJson, siteUrl } from './http.js';
import { JqlError, parseJql } from './jql.js';
import { issueJson, selectFields } from './render.js';
import type { JiraRouteEnv } from './routes-env.js';
import { searchIssues } from './search.js';

/**
 * `search/jql` (the enhanced search: `nextPageToken` / `isLast`, no `total`), the approximate count, and the
 * retired `/search`, which answers 410 unless the `legacySearch` switch brings it back.
 */

const API = '/rest/api/3';
const DEFAULT_MAX_RESULTS = 50;
/** Jira's hard cap when only ids are requested; with fields it returns fewer per page. */
const MAX_RESULTS_IDS_ONLY = 5000;
const MAX_RESULTS_WITH_FIELDS = 100;
const RECONCILE_MAX = 50;

export const LEGACY_SEARCH_GONE =
  'The requested API has been removed. Please migrate to the /rest/api/3/search/jql API. A full migration guideline is available at https://developer.atlassian.com/changelog/#CHANGE-2046';

interface SearchRequest {
  jql: string;
  nextPageToken: string | undefined;
  maxResults: number;
  fields: string[] | undefined;
  reconcileIssues: string[];
}

export function searchRoutes(env: JiraRouteEnv): EmulatorRoute[] {
  const search = (c: Context, request: SearchRequest): Response => {
    if (!Number.isInteger(request.maxResults) || request.maxResults < 1) {
      return jiraError(c, 400, ["The value of 'maxResults' must be a positive integer."]);
    }
    if (request.reconcileIssues.length > RECONCILE_MAX) {
      return jiraError(c, 400, [`reconcileIssues accepts at most ${RECONCILE_MAX} issue ids.`]);
    }
    const matched = run(c, request.jql, new Set(request.reconcileIssues));
    if (matched instanceof Response) return matched;
    const offset = readPageToken(request.nextPageToken, request.jql);
    if (offset === undefined)
      return jiraError(c, 400, ['The provided next page token is invalid or expired.']);
    const fields = selectFields(request.fields, 'none');
    const idsOnly = fields.length === 0;
    const size = Math.min(request.maxResults, idsOnly ? MAX_RESULTS_IDS_ONLY : MAX_RESULTS_WITH_FIELDS);
    const page = matched.slice(offset, offset + size);
    const base = siteUrl(c);
    const isLast = offset + page.length >= matched.length;
    const body: Record<string, unknown> = {
      issues: page.map((issue) => (idsOnly ? { id: issue.id } : issueJson(base, issue, fields))),
    };
    if (!isLast) body.nextPageToken = pageToken(offset + page.length, request.jql);
    else if (env.switchOf(c, 'lastPageToken', 'absent') === 'null') body.nextPageToken = null;
    body.isLast = isLast;
    return c.json(body);
  };

  const run = (c: Context, jql: unknown, reconcile: ReadonlySet<string>) => {
    if (typeof jql !== 'string') return jiraError(c, 400, ['The JQL query is required (jql).']);
    try {
      return searchIssues(env.site, parseJql(jql), {
        reconcile,
        missingKeyIsError: env.switchOf(c, 'jqlMissingKeyError', true),
      });
    } catch (err) {
      if (err instanceof JqlError) return jiraError(c, 400, [err.message]);
      throw err;
    }
  };

  const legacy = (c: Context, params: { jql: unknown; startAt: number; maxResults: number }): Response => {
    if (!env.switchOf(c, 'legacySearch', false)) return jiraError(c, 410, [LEGACY_SEARCH_GONE]);
    const matched = run(c, params.jql, new Set());
    if (matched instanceof Response) return matched;
    const maxResults = Math.min(100, params.maxResults);
    const page = matched.slice(params.startAt, params.startAt + maxResults);
    const base = siteUrl(c);
    return c.json({
      expand: 'schema,names',
      startAt: params.startAt,
      maxResults,
      total: matched.length,
      issues: page.map((issue) => issueJson(base, issue, selectFields(undefined, 'all'))),
    });
  };

  return [
    {
      op: 'search.jql',
      method: 'GET',
      path: `${API}/search/jql`,
      handle: (c) =>
        search(c, {
          jql: c.req.query('jql') ?? '',
          nextPageToken: c.req.query('nextPageToken'),
          maxResults: Number(c.req.query('maxResults') ?? DEFAULT_MAX_RESULTS),
          fields: c.req.queries('fields'),
          reconcileIssues: (c.req.query('reconcileIssues') ?? '').split(',').filter(Boolean),
        }),
    },
    {
      op: 'search.jql',
      method: 'POST',
      path: `${API}/search/jql`,
      async handle(c) {
        const read = await readJson(c);
        if ('response' in read) return read.response;
        const { jql, nextPageToken, maxResults, fields, reconcileIssues } = read.body;
        if (fields !== undefined && !Array.isArray(fields))
          return jiraError(c, 400, ["'fields' must be an array."]);
        return search(c, {
          jql: typeof jql === 'string' ? jql : '',
          nextPageToken: typeof nextPageToken === 'string' ? nextPageToken : undefined,
          maxResults:
            maxResults === undefined || maxResults === null ? DEFAULT_MAX_RESULTS : Number(maxResults),
          fields: fields as string[] | undefined,
          reconcileIssues: Array.isArray(reconcileIssues) ? reconcileIssues.map(String) : [],
        });
      },
    },
    {
      op: 'search.approximateCount',
      method: 'POST',
      path: `${API}/search/approximate-count`,
      async handle(c) {
        const read = await readJson(c);
        if ('response' in read) return read.response;
        const matched = run(c, read.body.jql, new Set());
        return matched instanceof Response ? matched : c.json({ count: matched.length });
      },
    },
    {
      op: 'search.legacy',
      method: 'GET',
      path: `${API}/search`,
      handle: (c) =>
        legacy(c, {
          jql: c.req.query('jql'),
          startAt: Number(c.req.query('startAt') ?? 0) || 0,
          maxResults: Number(c.req.query('maxResults') ?? DEFAULT_MAX_RESULTS) || DEFAULT_MAX_RESULTS,
        }),
    },
    {
      op: 'search.legacy',
      method: 'POST',
      path: `${API}/search`,
      async handle(c) {
        const read = await readJson(c);
        if ('response' in read) return read.response;
        return legacy(c, {
          jql: read.body.jql,
          startAt: Number(read.body.startAt ?? 0) || 0,
          maxResults: Number(read.body.maxResults ?? DEFAULT_MAX_RESULTS) || DEFAULT_MAX_RESULTS,
        });
      },
    },
  ];
}

/** Opaque to callers, like Jira's; bound to the query so a token cannot be replayed against another JQL. */
function pageToken(offset: number, jql: string): string {
  return Buffer.from(JSON.stringify({ o: offset, q: jqlDigest(jql) })).toString('base64url');
}

function readPageToken(token: string | undefined, jql: string): number | undefined {
  if (token === undefined || token === '') return 0;
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as {
      o?: unknown;
      q?: unknown;
    };
    if (parsed.q !== jqlDigest(jql) || !Number.isInteger(parsed.o) || (parsed.o as number) < 0)
      return undefined;
    return parsed.o as number;
  } catch {
    return undefined;
  }
}

function jqlDigest(jql: string): string {
  return createHash('sha256').update(jql).digest('base64url').slice(0, 12);
}
