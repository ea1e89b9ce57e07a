import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type RunningEmulator, startEmulator } from '../kit/server.js';
import { DemoTenant } from '../tenant/tenant.js';
import { WIZ_SANDBOX_CREDENTIALS } from './auth.js';
import { createWizEmulator } from './index.js';

const ISSUES = `query Issues($filterBy: IssueFilters, $first: Int, $after: String, $orderBy: IssueOrder) {
  issues: issuesV2(filterBy: $filterBy, first: $first, after: $after, orderBy: $orderBy) {
    nodes { id type status severity createdAt statusChangedAt updatedAt
      sourceRule { __typename ... on CloudConfigurationRule { id name } ... on Control { id name } ... on CloudEventRule { id name } }
      projects { id name } entitySnapshot { id type name cloudPlatform subscriptionExternalId providerId tags }
      serviceTickets { externalId url } notes { id text serviceAccount { name } } }
    pageInfo { hasNextPage endCursor }
    totalCount
  }
}`;

const VULNS = `query V($filterBy: VulnerabilityFindingFilters, $first: Int, $after: String) {
  vulnerabilityFindings(filterBy: $filterBy, first: $first, after: $after) {
    totalCount
    nodes { id name CVSSSeverity score hasCisaKevExploit epssProbability status fixedVersion firstDetectedAt
      vulnerableAsset { ... on VulnerableAssetBase { id name subscriptionExternalId } ... on VulnerableAssetVirtualMachine { ipAddresses hostname } } }
    pageInfo { hasNextPage endCursor }
  }
}`;

/** GraphQL JSON as the tests read it: shapes are checked by the assertions, not the compiler. */
// biome-ignore lint/suspicious/noExplicitAny: loosely typed response JSON
type Json = any;

type Issue = {
  id: string;
  status: string;
  severity: string;
  type: string;
  statusChangedAt: string;
  [k: string]: unknown;
};
type Connection<T> = {
  nodes: T[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  totalCount: number;
};

let now = Date.parse('2026-03-01T12:00:00Z');
const tenant = new DemoTenant({
  seed: 42,
  findings: 300,
  anchor: '2026-03-01T00:00:00Z',
  clock: clockAt(() => now),
});
let wiz: RunningEmulator;
let token: string;

before(async () => {
  wiz = await startEmulator(createWizEmulator({ seed: 42, tenant, random: Math.random }, { now: () => now }));
  token = await getToken();
});
after(() => wiz.close());

function clockAt(read: () => number) {
  return { now: () => new Date(read()), sleep: async () => {} };
}

async function getToken(overrides: Record<string, string> = {}): Promise<string> {
  const res = await tokenRequest(overrides);
  assert.equal(res.status, 200);
  const body = (await res.json()) as { access_token: string; expires_in: number; token_type: string };
  assert.equal(body.token_type, 'Bearer');
  return body.access_token;
}

function tokenRequest(overrides: Record<string, string> = {}) {
  return fetch(`${wiz.url}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      audience: 'wiz-api',
      client_id: WIZ_SANDBOX_CREDENTIALS.clientId,
      client_secret: WIZ_SANDBOX_CREDENTIALS.clientSecret,
      ...overrides,
    }),
  });
}

async function gql(query: string, variables: Record<string, unknown> = {}, bearer = token) {
  const res = await fetch(`${wiz.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, body: (await res.json()) as { data?: Json; errors?: Json[] } };
}

async function issuesPage(variables: Record<string, unknown>): Promise<Connection<Issue>> {
  const { status, body } = await gql(ISSUES, variables);
  assert.equal(status, 200, JSON.stringify(body.errors));
  assert.equal(body.errors, undefined);
  return body.data.issues;
}

async function allIssues(variables: Record<string, unknown>): Promise<{ nodes: Issue[]; pages: number[] }> {
  const nodes: Issue[] = [];
  const pages: number[] = [];
  let after: string | null = null;
  for (;;) {
    const page = await issuesPage({ ...variables, after });
    nodes.push(...page.nodes);
    pages.push(page.nodes.length);
    if (!page.pageInfo.hasNextPage) return { nodes, pages };
    after = page.pageInfo.endCursor;
  }
}

describe('Wiz emulator: auth', () => {
  it('refuses bad credentials with 401 and a wrong audience with 400', async () => {
    assert.equal((await tokenRequest({ client_secret: 'nope' })).status, 401);
    const wrongAudience = await tokenRequest({ audience: 'beyond-api' });
    assert.equal(wrongAudience.status, 400);
    assert.equal(((await wrongAudience.json()) as { error: string }).error, 'invalid_request');
  });

  it('answers 401 without a token, with an unknown one, and once the token has expired', async () => {
    const unauth = await fetch(`${wiz.url}/graphql`, { method: 'POST', body: '{}' });
    assert.equal(unauth.status, 401);
    assert.equal((await gql(ISSUES, {}, 'made-up')).status, 401);
    const shortLived = await getToken();
    assert.equal((await gql(ISSUES, { first: 1 }, shortLived)).status, 200);
    now += 86_400 * 1000;
    const expired = await gql(ISSUES, { first: 1 }, shortLived);
    assert.equal(expired.status, 401);
    assert.equal(expired.body.errors?.[0].extensions.code, 'UNAUTHENTICATED');
    token = await getToken();
  });
});

describe('Wiz emulator: issuesV2 paging', () => {
  it('pages every issue exactly once and totalCount matches', async () => {
    const { nodes, pages } = await allIssues({ first: 50 });
    const total = tenant.count('issue');
    assert.equal(nodes.length, total);
    assert.equal(new Set(nodes.map((n) => n.id)).size, total);
    assert.deepEqual(
      pages.slice(0, -1),
      pages.slice(0, -1).map(() => 50),
    );
    assert.equal((await issuesPage({ first: 1 })).totalCount, total);
  });

  it('says hasNextPage false on a last page that is exactly full', async () => {
    const total = tenant.count('issue');
    const page = await issuesPage({ first: total });
    assert.equal(page.nodes.length, total);
    assert.equal(page.pageInfo.hasNextPage, false);
  });

  it('answers an empty page for a filter nothing matches', async () => {
    const page = await issuesPage({ first: 10, filterBy: { createdAt: { after: '2099-01-01T00:00:00Z' } } });
    assert.deepEqual(page.nodes, []);
    assert.equal(page.pageInfo.hasNextPage, false);
    assert.equal(page.pageInfo.endCursor, null);
    assert.equal(page.totalCount, 0);
  });

  it('filters by status, severity, type, project and statusChangedAt', async () => {
    const open = await allIssues({
      first: 100,
      filterBy: { status: ['OPEN', 'IN_PROGRESS'], severity: ['CRITICAL', 'HIGH'] },
    });
    assert.ok(open.nodes.length > 0);
    for (const n of open.nodes) {
      assert.ok(['OPEN', 'IN_PROGRESS'].includes(n.status));
      assert.ok(['CRITICAL', 'HIGH'].includes(n.severity));
    }
    const all = (await allIssues({ first: 500 })).nodes;
    const expectOpen = all.filter(
      (n) => ['OPEN', 'IN_PROGRESS'].includes(n.status) && ['CRITICAL', 'HIGH'].includes(n.severity),
    );
    assert.equal(open.nodes.length, expectOpen.length);

    const threats = (await allIssues({ first: 100, filterBy: { type: ['THREAT_DETECTION'] } })).nodes;
    assert.equal(threats.length, all.filter((n) => n.type === 'THREAT_DETECTION').length);

    const project = tenant.projects()[0]!.id;
    const inProject = (await allIssues({ first: 100, filterBy: { project: [project] } })).nodes;
    assert.ok(inProject.length > 0);
    for (const n of inProject) assert.equal((n.projects as Array<{ id: string }>)[0]!.id, project);

    const since = '2026-02-01T00:00:00Z';
    const changed = (await allIssues({ first: 100, filterBy: { statusChangedAt: { after: since } } })).nodes;
    assert.equal(changed.length, all.filter((n) => n.statusChangedAt > since).length);
  });

  it('orders by severity across pages', async () => {
    const rank = { CRITICAL: 0, HIGH: 1, MEDIUM: 2, LOW: 3, INFORMATIONAL: 4 } as Record<string, number>;
    const { nodes } = await allIssues({ first: 40, orderBy: { field: 'SEVERITY', direction: 'DESC' } });
    assert.equal(nodes.length, tenant.count('issue'));
    for (let i = 1; i < nodes.length; i++)
      assert.ok(rank[nodes[i - 1]!.severity]! <= rank[nodes[i]!.severity]!);
  });

  it('refuses a cursor from another query and an oversized page, in GraphQL error shape', async () => {
    const first = await issuesPage({ first: 5 });
    const wrong = await gql(ISSUES, {
      first: 5,
      after: first.pageInfo.endCursor,
      filterBy: { status: ['OPEN'] },
    });
    assert.equal(wrong.body.data, null);
    assert.equal(wrong.body.errors?.[0].extensions.code, 'BAD_USER_INPUT');
    assert.deepEqual(wrong.body.errors?.[0].path, ['issues']);
    const big = await gql(ISSUES, { first: 5000 });
    assert.match(big.body.errors?.[0].message, /first/);
  });

  it('rejects invalid documents and mistyped variables with 400', async () => {
    const invalid = await gql('{ issuesV2 { nodes { nope } } }');
    assert.equal(invalid.status, 400);
    assert.equal(invalid.body.errors?.[0].extensions.code, 'GRAPHQL_VALIDATION_FAILED');
    const mistyped = await gql(ISSUES, { first: 'ten' });
    assert.equal(mistyped.status, 400);
    assert.equal(mistyped.body.errors?.[0].extensions.code, 'VALIDATION_INVALID_TYPE_VARIABLE');
  });

  it('links pre-ticketed issues to the Jira issues the tenant exports', async () => {
    const tickets = tenant.preexistingJiraIssues();
    assert.ok(tickets.length > 0);
    const ticket = tickets[0]!;
    const page = await issuesPage({ filterBy: { id: ticket.wizIssueId } });
    assert.equal(page.nodes.length, 1);
    const tickets0 = page.nodes[0]!.serviceTickets as Array<{ externalId: string; url: string }>;
    assert.equal(tickets0[0]!.externalId, ticket.key);
    assert.match(tickets0[0]!.url, new RegExp(`/browse/${ticket.key}$`));
  });
});

describe('Wiz emulator: mutations', () => {
  it('updateIssue changes status (seen by filters) and createIssueNote adds a note', async () => {
    const [target] = (await issuesPage({ first: 1, filterBy: { status: ['OPEN'] } })).nodes;
    assert.ok(target);
    const update = await gql(
      `mutation U($issueId: ID!, $patch: UpdateIssuePatch) { updateIssue(input: { id: $issueId, patch: $patch }) { issue { id status resolutionReason notes { text } } } }`,
      {
        issueId: target.id,
        patch: { status: 'RESOLVED', resolutionReason: 'ISSUE_FIXED', note: 'fixed by Arx' },
      },
    );
    assert.equal(update.status, 200, JSON.stringify(update.body));
    assert.equal(update.body.data.updateIssue.issue.status, 'RESOLVED');
    assert.ok(
      update.body.data.updateIssue.issue.notes.some((n: { text: string }) => n.text === 'fixed by Arx'),
    );
    const resolved = await issuesPage({ filterBy: { id: target.id, status: ['RESOLVED'] } });
    assert.equal(resolved.nodes.length, 1);

    const note = await gql(
      `mutation N($input: CreateIssueNoteInput!) { createIssueNote(input: $input) { issueNote { id text } } }`,
      { input: { issueId: target.id, text: 'Jira SEC-999 created' } },
    );
    assert.equal(note.body.data.createIssueNote.issueNote.text, 'Jira SEC-999 created');
    const after = await issuesPage({ filterBy: { id: target.id } });
    assert.ok(
      (after.nodes[0]!.notes as Array<{ text: string }>).some((n) => n.text === 'Jira SEC-999 created'),
    );
  });

  it('refuses resolving without a reason and unknown issue ids', async () => {
    const [target] = (await issuesPage({ first: 1, filterBy: { status: ['OPEN'] } })).nodes;
    const noReason = await gql(
      `mutation { updateIssue(input: { id: "${target!.id}", patch: { status: REJECTED } }) { issue { id } } }`,
    );
    assert.equal(noReason.body.errors?.[0].extensions.code, 'BAD_USER_INPUT');
    const unknown = await gql(
      `mutation { createIssueNote(input: { issueId: "00000000-0000-4000-8000-000000000001", text: "x" }) { issueNote { id } } }`,
    );
    assert.equal(unknown.body.errors?.[0].extensions.code, 'NOT_FOUND');
  });
});

describe('Wiz emulator: vulnerability and configuration findings', () => {
  it('pages vulnerability findings with real KEV CVEs and filters by status and severity', async () => {
    const first = await gql(VULNS, { first: 1000 });
    assert.equal(first.status, 200);
    const all = first.body.data.vulnerabilityFindings;
    assert.equal(all.totalCount, tenant.count('vuln'));
    assert.equal(all.nodes.length, tenant.count('vuln'));
    const node = all.nodes[0];
    assert.match(node.name, /^CVE-\d{4}-\d+$/);
    assert.equal(node.hasCisaKevExploit, true);
    assert.ok(node.vulnerableAsset.ipAddresses[0].startsWith('10.'));
    const critical = await gql(VULNS, {
      first: 1000,
      filterBy: { severity: ['CRITICAL'], status: ['OPEN'] },
    });
    const expected = all.nodes.filter(
      (n: Json) => n.CVSSSeverity === 'CRITICAL' && n.status === 'OPEN',
    ).length;
    assert.equal(critical.body.data.vulnerabilityFindings.nodes.length, expected);
    assert.ok(expected > 0);
  });

  it('returns configuration findings with FAIL/PASS results', async () => {
    const query = `query C($filterBy: ConfigurationFindingFilters) { configurationFindings(filterBy: $filterBy, first: 500) {
      nodes { id result severity rule { id name } resource { name subscription { externalId cloudProvider } } } totalCount pageInfo { hasNextPage } } }`;
    const fail = await gql(query, { filterBy: { result: ['FAIL'] } });
    assert.equal(fail.status, 200, JSON.stringify(fail.body));
    const nodes = fail.body.data.configurationFindings.nodes;
    assert.ok(nodes.length > 0);
    for (const n of nodes) assert.equal(n.result, 'FAIL');
    assert.ok(
      nodes.some((n: Json) => /^[a-z0-9]+_[a-z0-9_]+$/.test(n.rule.id)),
      'real check ids',
    );
  });
});

describe('Wiz emulator: scans and stats', () => {
  it('advances the tenant through POST /_sandbox/advance: new issues arrive, statuses move', async () => {
    const before = (await allIssues({ first: 500 })).nodes;
    const res = await fetch(`${wiz.url}/_sandbox/advance`, { method: 'POST' });
    const body = (await res.json()) as { scan: number; issues: number; at: string };
    assert.equal(body.scan, tenant.scan);
    const afterAdvance = (await allIssues({ first: 500 })).nodes;
    assert.equal(afterAdvance.length, body.issues);
    assert.ok(afterAdvance.length > before.length, 'new issues arrived');
    const changed = afterAdvance.filter((n) => {
      const old = before.find((b) => b.id === n.id);
      return old && old.status !== n.status;
    });
    assert.ok(changed.length > 0, 'some statuses changed');
    for (const n of changed)
      assert.equal(n.statusChangedAt, body.at, 'a status that moved with the scan changed at the scan');
  });

  it('counts requests by GraphQL field', async () => {
    const stats = wiz.stats();
    assert.ok((stats.requests.issuesV2?.['200'] ?? 0) > 5);
    assert.ok((stats.requests['oauth.token']?.['401'] ?? 0) >= 1);
    assert.ok((stats.requests.updateIssue?.['200'] ?? 0) >= 1);
  });
});

describe('Wiz emulator: a larger tenant', () => {
  it('pages 20,000 findings of issues with no duplicates or gaps (the 1M run is bench/sandbox-wiz-1m.ts)', async () => {
    const large = new DemoTenant({ seed: 1, findings: 20_000, anchor: '2026-03-01T00:00:00Z' });
    const emulator = await startEmulator(createWizEmulator({ seed: 1, tenant: large, random: Math.random }));
    try {
      const auth = await fetch(`${emulator.url}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          audience: 'wiz-api',
          client_id: WIZ_SANDBOX_CREDENTIALS.clientId,
          client_secret: WIZ_SANDBOX_CREDENTIALS.clientSecret,
        }),
      });
      const { access_token } = (await auth.json()) as { access_token: string };
      const ids = new Set<string>();
      let after: string | null = null;
      let pages = 0;
      for (;;) {
        const res = await fetch(`${emulator.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${access_token}` },
          body: JSON.stringify({
            query:
              'query($after: String) { issuesV2(first: 1000, after: $after) { nodes { id } pageInfo { hasNextPage endCursor } } }',
            variables: { after },
          }),
        });
        const page = ((await res.json()) as Json).data.issuesV2;
        for (const node of page.nodes) ids.add(node.id);
        pages++;
        if (!page.pageInfo.hasNextPage) break;
        after = page.pageInfo.endCursor;
      }
      assert.equal(ids.size, large.count('issue'));
      assert.equal(pages, Math.ceil(large.count('issue') / 1000));
    } finally {
      await emulator.close();
    }
  });
});
