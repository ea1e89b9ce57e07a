import { ArxError } from '../../core/errors.js';
import { type HttpClient, RETRY_NONE } from '../http/index.js';
import { type ConnectorRuntime, toolHttpClient } from '../kit/runtime.js';
import type { AdfDoc } from './adf.js';
import type { JiraCredentials } from './credentials.js';
import { classifyJiraResponse } from './errors.js';

/**
 * The only HTTP code for Jira Cloud REST v3, on the shared seam (rate governor, breaker, timeouts, call
 * counters). Typed fetch rather than jira.js: jira.js 6 owns its transport and offers response/error
 * middlewares but no request hook, so the governor and counters could not see its calls; Arx uses eight
 * endpoints. Creates are sent without retries: Jira has no idempotency key, so a create is retried only
 * after reconciliation (see kit/write-once.ts).
 */
const API = '/rest/api/3';

export interface JiraUser {
  accountId: string;
  displayName?: string;
  emailAddress?: string;
}

export interface CreatedIssue {
  id: string;
  key: string;
  self: string;
}

export interface BulkCreateError {
  status: number;
  failedElementNumber: number;
  elementErrors: { errorMessages?: string[]; errors?: Record<string, string> };
}

export interface BulkCreateAnswer {
  issues: CreatedIssue[];
  errors: BulkCreateError[];
}

export interface IssueCreateBody {
  fields: Record<string, unknown>;
  properties?: Array<{ key: string; value: unknown }>;
}

export interface JiraIssue {
  id: string;
  key: string;
  self?: string;
  fields: Record<string, unknown>;
}

export interface SearchPage {
  issues: JiraIssue[];
  /** Absent or null on the last page (JRACLOUD-92184): `isLast` is what to trust. */
  nextPageToken?: string | null;
  isLast?: boolean;
}

export interface SearchRequest {
  jql: string;
  fields?: string[];
  maxResults?: number;
  nextPageToken?: string;
  /** Ids of issues just created or changed, made consistent in this search (search is eventually consistent). */
  reconcileIssues?: number[];
}

export interface Transition {
  id: string;
  name: string;
  to: { id: string; name: string; statusCategory?: { key: string } };
}

export interface JiraComment {
  id: string;
  body: AdfDoc;
  created?: string;
}

/** Jira answers with fewer items per page than asked when many fields are requested. */
export const SEARCH_PAGE_SIZE = 50;
/** The most issues one search page returns with fields (a few fields: labels, status). */
export const JIRA_SEARCH_MAX = 100;

export class JiraClient {
  readonly site: string;

  constructor(
    private readonly http: HttpClient,
    site: string,
  ) {
    this.site = site.replace(/\/+$/, '');
  }

  /** The issue's page for people (not the API `self`). */
  browseUrl(key: string): string {
    return `${this.site}/browse/${encodeURIComponent(key)}`;
  }

  async myself(): Promise<JiraUser> {
    return (await this.http.request<JiraUser>({ path: `${API}/myself`, endpoint: 'myself' })).body;
  }

  async project(key: string): Promise<{ id: string; key: string; name?: string }> {
    const res = await this.http.request<{ id: string; key: string; name?: string }>({
      path: `${API}/project/${encodeURIComponent(key)}`,
      endpoint: 'project.get',
    });
    return res.body;
  }

  async createIssue(body: IssueCreateBody): Promise<CreatedIssue> {
    const res = await this.http.request<CreatedIssue>({
      method: 'POST',
      path: `${API}/issue`,
      json: body,
      endpoint: 'issue.create',
      retry: RETRY_NONE,
    });
    return expectCreated(res.body, 'issue.create');
  }

  /** At most 50 per call. A 400 where every item failed carries the same per-item shape, so it is an answer. */
  async bulkCreate(issueUpdates: IssueCreateBody[]): Promise<BulkCreateAnswer> {
    if (issueUpdates.length > BULK_CREATE_MAX) {
      throw new ArxError(
        'bulk_too_large',
        `Jira bulk create takes at most ${BULK_CREATE_MAX} issues; got ${issueUpdates.length}`,
        { fault: 'arx' },
      );
    }
    const res = await this.http.request<Partial<BulkCreateAnswer>>({
      method: 'POST',
      path: `${API}/issue/bulk`,
      json: { issueUpdates },
      endpoint: 'issue.bulkCreate',
      retry: RETRY_NONE,
      answerStatuses: [400],
    });
    const issues = Array.isArray(res.body?.issues) ? res.body.issues : [];
    const errors = Array.isArray(res.body?.errors) ? res.body.errors : [];
    if (res.status === 400 && errors.length === 0) {
      // A 400 about the request as a whole (not per item): nothing was created.
      throw new ArxError(
        'invalid_request',
        `Jira refused the bulk create: ${JSON.stringify(res.body).slice(0, 300)}`,
        {
          fault: 'caller',
        },
      );
    }
    return { issues: issues.map((i) => expectCreated(i, 'issue.bulkCreate')), errors };
  }

  /** One page of `POST /search/jql` (the enhanced search: `nextPageToken`, no `total`). */
  async searchPage(request: SearchRequest): Promise<SearchPage> {
    const res = await this.http.request<SearchPage>({
      method: 'POST',
      path: `${API}/search/jql`,
      json: {
        jql: request.jql,
        fields: request.fields ?? ['summary', 'status', 'labels', 'priority'],
        maxResults: request.maxResults ?? SEARCH_PAGE_SIZE,
        ...(request.nextPageToken ? { nextPageToken: request.nextPageToken } : {}),
        ...(request.reconcileIssues?.length ? { reconcileIssues: request.reconcileIssues } : {}),
      },
      endpoint: 'search.jql',
    });
    const body = res.body;
    if (!body || !Array.isArray(body.issues)) {
      throw new ArxError('malformed_response', 'Jira search answered without an issues array', {
        fault: 'tool',
        retryable: true,
      });
    }
    return body;
  }

  /** Every matching issue, fetching the next page only when the caller asks for more. */
  async *search(request: SearchRequest): AsyncGenerator<JiraIssue> {
    let nextPageToken = request.nextPageToken;
    for (;;) {
      const page = await this.searchPage({ ...request, nextPageToken });
      yield* page.issues;
      if (page.isLast === true || !page.nextPageToken) return;
      nextPageToken = page.nextPageToken;
    }
  }

  async getIssue(key: string, fields: string[]): Promise<JiraIssue> {
    const res = await this.http.request<JiraIssue>({
      path: `${API}/issue/${encodeURIComponent(key)}`,
      query: { fields: fields.join(',') },
      endpoint: 'issue.get',
    });
    return res.body;
  }

  /** `PUT /issue/{key}`: setting the same fields twice leaves the same issue, so retries are safe. */
  async editIssue(
    key: string,
    body: { fields?: Record<string, unknown>; update?: Record<string, unknown> },
  ): Promise<void> {
    await this.http.request({
      method: 'PUT',
      path: `${API}/issue/${encodeURIComponent(key)}`,
      json: body,
      endpoint: 'issue.edit',
      parse: 'none',
    });
  }

  async transitions(key: string): Promise<Transition[]> {
    const res = await this.http.request<{ transitions?: Transition[] }>({
      path: `${API}/issue/${encodeURIComponent(key)}/transitions`,
      endpoint: 'issue.transitions',
    });
    return res.body?.transitions ?? [];
  }

  async transition(
    key: string,
    body: { transition: { id: string }; fields?: Record<string, unknown>; update?: Record<string, unknown> },
  ): Promise<void> {
    await this.http.request({
      method: 'POST',
      path: `${API}/issue/${encodeURIComponent(key)}/transitions`,
      json: body,
      endpoint: 'issue.transition',
      parse: 'none',
      // a repeated transition fails (not offered from the new status) rather than acting twice
      retry: RETRY_NONE,
    });
  }

  async addComment(key: string, body: AdfDoc): Promise<JiraComment> {
    const res = await this.http.request<JiraComment>({
      method: 'POST',
      path: `${API}/issue/${encodeURIComponent(key)}/comment`,
      json: { body },
      endpoint: 'issue.comment.add',
      retry: RETRY_NONE,
    });
    return res.body;
  }

  /** Newest first: reconciling a comment only needs the recent ones. */
  async recentComments(key: string, maxResults = 50): Promise<JiraComment[]> {
    const res = await this.http.request<{ comments?: JiraComment[] }>({
      path: `${API}/issue/${encodeURIComponent(key)}/comment`,
      query: { orderBy: '-created', maxResults },
      endpoint: 'issue.comment.list',
    });
    return res.body?.comments ?? [];
  }
}

export const BULK_CREATE_MAX = 50;

function expectCreated(body: unknown, endpoint: string): CreatedIssue {
  const created = body as Partial<CreatedIssue> | undefined;
  if (!created || typeof created.key !== 'string' || created.id === undefined) {
    throw new ArxError('malformed_response', `Jira ${endpoint} answered without an issue key`, {
      fault: 'tool',
      retryable: true,
    });
  }
  return { id: String(created.id), key: created.key, self: String(created.self ?? '') };
}

/** Basic auth (`base64(email:token)`); the seam registers the header value as a secret. */
export function jiraAuth(
  credentials: Pick<JiraCredentials, 'email' | 'apiToken'>,
): (headers: Headers) => void {
  const value = `Basic ${Buffer.from(`${credentials.email}:${credentials.apiToken}`).toString('base64')}`;
  return (headers) => headers.set('authorization', value);
}

/** The seam client for one Jira site and credential (shared by every call with those credentials). */
export function createJiraHttp(runtime: ConnectorRuntime, credentials: JiraCredentials): HttpClient {
  return toolHttpClient(runtime, {
    tool: 'jira',
    baseUrl: credentials.url,
    tenant: new URL(credentials.url).host,
    auth: jiraAuth(credentials),
    classify: classifyJiraResponse,
  });
}

export function createJiraClient(runtime: ConnectorRuntime, credentials: JiraCredentials): JiraClient {
  return new JiraClient(createJiraHttp(runtime, credentials), credentials.url);
}
