import { send, sendJson } from './http.js';

/** A Wiz access token by the client-credentials grant, as every Wiz script starts. */
export async function wizToken(env: Record<string, string>): Promise<string> {
  const response = await send(env.WIZ_AUTH_URL!, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      audience: 'wiz-api',
      client_id: env.WIZ_CLIENT_ID!,
      client_secret: env.WIZ_CLIENT_SECRET!,
    }),
  });
  if (!response.ok) throw new Error(`Wiz token: HTTP ${response.status}`);
  return ((await response.json()) as { access_token: string }).access_token;
}

export interface NaiveIssue {
  id: string;
  status: string;
  severity: string;
  sourceRule: { name?: string | null } | null;
  entitySnapshot: { name?: string | null; subscriptionExternalId?: string | null } | null;
  serviceTickets: Array<{ externalId?: string | null }> | null;
}

interface IssuesPage {
  data: { issuesV2: { nodes: NaiveIssue[]; pageInfo: { hasNextPage: boolean; endCursor: string } } };
}

const ISSUES = `query Issues($filterBy: IssueFilters, $first: Int, $after: String) {
  issuesV2(filterBy: $filterBy, first: $first, after: $after) {
    nodes { id status severity
      sourceRule { ... on Control { name } ... on CloudEventRule { name } ... on CloudConfigurationRule { name } }
      entitySnapshot { name subscriptionExternalId }
      serviceTickets { externalId } }
    pageInfo { hasNextPage endCursor } } }`;

/** Every issue matching the filter, page by page. */
export async function* wizIssues(
  env: Record<string, string>,
  token: string,
  filterBy: Record<string, unknown>,
  pageSize: number,
): AsyncGenerator<NaiveIssue> {
  for (let after: string | null = null; ; ) {
    const body: IssuesPage = await sendJson<IssuesPage>(env.WIZ_API_URL!, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ query: ISSUES, variables: { filterBy, first: pageSize, after } }),
    });
    yield* body.data.issuesV2.nodes;
    if (!body.data.issuesV2.pageInfo.hasNextPage) return;
    after = body.data.issuesV2.pageInfo.endCursor;
  }
}
