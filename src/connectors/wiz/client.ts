import type { Clock } from '../../core/clock.js';
import { compact } from '../../core/compact.js';
import { secrets } from '../../core/secrets.js';
import { createHttpClient, type HttpClient } from '../http/http-client.js';
import type { ConnectorRuntime } from '../kit/runtime.js';
import type { WizCredentials } from './credentials.js';
import { classifyWizResponse, graphqlError, missingField, type WizGraphQLError } from './errors.js';
import {
  type FindingsReadParams,
  type IssueUpdateParams,
  WIZ_DEFAULT_PAGE,
  type WizFindingKind,
} from './operations.js';
import { CREATE_ISSUE_NOTE, FINDING_QUERIES, ISSUE_NOTES, PROBE_QUERY, UPDATE_ISSUE } from './queries.js';

/**
 * The only HTTP code for Wiz: OAuth client credentials (token cached until shortly before expiry, refreshed
 * once on 401), GraphQL envelopes and their errors, one page per call. Built on the shared HTTP seam, so
 * rate limits, retries, the circuit breaker and call counters are the same as for every tool.
 */
export interface WizPage {
  kind: WizFindingKind;
  /** Raw nodes, as Wiz sent them: the normalisers read them. */
  items: unknown[];
  /** Cursor for the next page; absent on the last page. */
  next?: string;
  totalCount?: number;
}

interface Connection {
  nodes?: unknown;
  pageInfo?: { hasNextPage?: unknown; endCursor?: unknown };
  totalCount?: unknown;
}

interface GraphQLResponse {
  data?: Record<string, unknown> | null;
  errors?: WizGraphQLError[];
}

/**
 * Refresh this long before the token's stated expiry (a tenth of its life, at most five minutes): a call
 * that starts with a nearly expired token would otherwise fail halfway through a page.
 */
const EXPIRY_MARGIN_MS = 5 * 60_000;
/** One bucket for every GraphQL call: Wiz limits per service account, not per query. */
const GRAPHQL_ENDPOINT = 'graphql';

export class WizClient {
  private readonly api: HttpClient;
  private readonly auth: HttpClient;
  private readonly clock: Clock;
  private token: { value: string; expiresAt: number } | undefined;
  private pending: Promise<string> | undefined;

  constructor(
    private readonly credentials: WizCredentials,
    runtime: ConnectorRuntime,
  ) {
    secrets.add(credentials.clientSecret);
    this.clock = runtime.clock;
    // Two origins (token URL and API) on one seam: the same governor, breaker, stats and clock.
    const shared = {
      tool: 'wiz',
      tenant: credentials.clientId,
      clock: runtime.clock,
      log: runtime.log,
      governor: runtime.governor,
      breaker: runtime.breaker,
      stats: runtime.stats,
      classify: classifyWizResponse,
      ...(runtime.retry ? { retry: runtime.retry } : {}),
      ...(runtime.random ? { random: runtime.random } : {}),
      ...(runtime.timeoutMs ? { timeoutMs: runtime.timeoutMs } : {}),
    };
    this.auth = createHttpClient({ ...shared, baseUrl: credentials.authUrl });
    this.api = createHttpClient({
      ...shared,
      baseUrl: credentials.apiUrl,
      auth: async (headers) => headers.set('authorization', `Bearer ${await this.accessToken()}`),
      onUnauthorized: () => this.invalidateToken(),
    });
  }

  get clientId(): string {
    return this.credentials.clientId;
  }

  /** A valid access token, fetched at most once at a time. */
  async accessToken(): Promise<string> {
    if (this.token && this.clock.now().getTime() < this.token.expiresAt) return this.token.value;
    this.pending ??= this.fetchToken().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  invalidateToken(): void {
    this.token = undefined;
  }

  private async fetchToken(): Promise<string> {
    const response = await this.auth.request<{ access_token?: unknown; expires_in?: unknown }>({
      path: this.credentials.authUrl,
      endpoint: 'oauth.token',
      form: {
        grant_type: 'client_credentials',
        audience: this.credentials.audience,
        client_id: this.credentials.clientId,
        client_secret: this.credentials.clientSecret,
      },
    });
    const { access_token: value, expires_in: expiresIn } = response.body ?? {};
    if (typeof value !== 'string' || value === '') {
      throw missingField('oauth.token', 'access_token', { keys: Object.keys(response.body ?? {}) });
    }
    secrets.add(value);
    const lifetimeMs = (typeof expiresIn === 'number' && expiresIn > 0 ? expiresIn : 3600) * 1000;
    const margin = Math.min(EXPIRY_MARGIN_MS, lifetimeMs / 10);
    this.token = { value, expiresAt: this.clock.now().getTime() + lifetimeMs - margin };
    return value;
  }

  /** Sends one GraphQL document and returns `data`; GraphQL errors become one ArxError. */
  async graphql<T extends Record<string, unknown>>(
    operation: string,
    query: string,
    variables: Record<string, unknown>,
    signal?: AbortSignal,
  ): Promise<T> {
    const send = () =>
      this.api.request<GraphQLResponse>({
        path: this.credentials.apiUrl,
        endpoint: GRAPHQL_ENDPOINT,
        json: { query, variables },
        ...(signal ? { signal } : {}),
      });
    let { body } = await send();
    // Some gateways report an expired token as a GraphQL error at HTTP 200: refresh once, as for a 401.
    if (body?.errors?.[0]?.extensions?.code === 'UNAUTHENTICATED') {
      this.invalidateToken();
      ({ body } = await send());
    }
    if (body?.errors && body.errors.length > 0) throw graphqlError(operation, body.errors);
    if (!body?.data || typeof body.data !== 'object') throw missingField(operation, 'data', body);
    return body.data as T;
  }

  /** One page of findings of a kind, filtered as the params say. */
  async findingsPage(params: FindingsReadParams, signal?: AbortSignal): Promise<WizPage> {
    const { query, field } = FINDING_QUERIES[params.kind];
    const variables: Record<string, unknown> = {
      first: params.first ?? params.limit ?? WIZ_DEFAULT_PAGE[params.kind],
      filterBy: FILTERS[params.kind](params),
      ...(params.after ? { after: params.after } : {}),
      ...(params.order ? { orderBy: { field: params.order, direction: 'DESC' } } : {}),
    };
    const data = await this.graphql(field, query, variables, signal);
    const connection = data[field] as Connection | undefined;
    if (!connection || !Array.isArray(connection.nodes)) {
      throw missingField(field, `${field}.nodes`, data);
    }
    const more = connection.pageInfo?.hasNextPage === true;
    const cursor = connection.pageInfo?.endCursor;
    if (more && (typeof cursor !== 'string' || cursor === '')) {
      throw missingField(field, `${field}.pageInfo.endCursor`, connection.pageInfo);
    }
    return {
      kind: params.kind,
      items: connection.nodes,
      ...(more ? { next: cursor as string } : {}),
      ...(typeof connection.totalCount === 'number' ? { totalCount: connection.totalCount } : {}),
    };
  }

  async updateIssue(params: IssueUpdateParams, signal?: AbortSignal): Promise<Record<string, unknown>> {
    const data = await this.graphql(
      'updateIssue',
      UPDATE_ISSUE,
      { issueId: params.issueId, patch: params.patch },
      signal,
    );
    const issue = (data.updateIssue as { issue?: Record<string, unknown> } | null)?.issue;
    if (!issue) throw missingField('updateIssue', 'updateIssue.issue', data);
    return issue;
  }

  /** The notes on one issue (to de-duplicate before adding one). */
  async issueNotes(issueId: string, signal?: AbortSignal): Promise<Array<{ id: string; text: string }>> {
    const data = await this.graphql('issueNotes', ISSUE_NOTES, { filterBy: { id: issueId } }, signal);
    const nodes = (data.issues as Connection | undefined)?.nodes;
    const issue = Array.isArray(nodes) ? (nodes[0] as { notes?: unknown } | undefined) : undefined;
    return Array.isArray(issue?.notes) ? (issue.notes as Array<{ id: string; text: string }>) : [];
  }

  async createIssueNote(issueId: string, text: string, signal?: AbortSignal): Promise<{ id: string }> {
    const data = await this.graphql(
      'createIssueNote',
      CREATE_ISSUE_NOTE,
      { input: { issueId, text } },
      signal,
    );
    const note = (data.createIssueNote as { issueNote?: { id?: unknown } } | null)?.issueNote;
    if (typeof note?.id !== 'string')
      throw missingField('createIssueNote', 'createIssueNote.issueNote', data);
    return { id: note.id };
  }

  /** The cheapest authenticated read: the number of issues the account can see. */
  async probe(signal?: AbortSignal): Promise<{ issues: number | undefined }> {
    const data = await this.graphql('connectionTest', PROBE_QUERY, {}, signal);
    const total = (data.issues as Connection | undefined)?.totalCount;
    return { issues: typeof total === 'number' ? total : undefined };
  }
}

const after = (at: string | undefined) => (at ? { after: at } : undefined);

/** Read params → each query's `filterBy` (key names per api-contracts §1.2–1.4). */
const FILTERS: Record<WizFindingKind, (p: FindingsReadParams) => Record<string, unknown>> = {
  issues: (p) =>
    compact({
      severity: p.severities,
      status: p.status,
      type: p.types,
      project: p.projects,
      statusChangedAt: after(p.since),
      createdAt: after(p.createdAfter),
    }),
  vulnerabilities: (p) =>
    compact({
      severity: p.severities,
      status: p.status,
      projectIdV2: p.projects ? { equals: p.projects } : undefined,
      firstSeenAt: after(p.since),
      resolvedAt: after(p.resolvedSince),
    }),
  configuration: (p) => compact({ severity: p.severities, result: p.status, firstSeenAt: after(p.since) }),
};
