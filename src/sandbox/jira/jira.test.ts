import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { TestClock } from '../../core/clock.js';
import { mulberry32 } from '../kit/random.js';
import { type RunningEmulator, startEmulator } from '../kit/server.js';
import type { FaultSpec } from '../kit/types.js';
import { NOT_A_DOCUMENT, UNSUPPORTED_CONTENT } from './adf.js';
import { createJiraEmulator, JIRA_SANDBOX_CREDENTIALS, type JiraEmulatorOptions } from './index.js';
import { LEGACY_SEARCH_GONE } from './routes-search.js';

/** Contract tests: the Jira emulator over real HTTP through the sandbox kit, driven with plain fetch. */

const running: RunningEmulator[] = [];
after(async () => {
  for (const emulator of running) await emulator.close();
});

const AUTH = `Basic ${Buffer.from(`${JIRA_SANDBOX_CREDENTIALS.email}:${JIRA_SANDBOX_CREDENTIALS.apiToken}`).toString('base64')}`;

async function jira(options: JiraEmulatorOptions = {}, faults: FaultSpec = {}) {
  const emulator = await startEmulator(createJiraEmulator({ random: mulberry32(7) }, options), { faults });
  running.push(emulator);
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(`${emulator.url}${path}`, {
      method,
      headers: {
        authorization: AUTH,
        accept: 'application/json',
        'content-type': 'application/json',
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    const isJson = text !== '' && response.headers.get('content-type')?.includes('json');
    return {
      status: response.status,
      headers: response.headers,
      text,
      json: isJson ? JSON.parse(text) : undefined,
    };
  };
  const create = async (summary: string, extra: Record<string, unknown> = {}) => {
    const res = await call('POST', '/rest/api/3/issue', { fields: issueFields(summary, extra) });
    assert.equal(res.status, 201, res.text);
    return res.json as { id: string; key: string; self: string };
  };
  const search = (body: Record<string, unknown>) => call('POST', '/rest/api/3/search/jql', body);
  return { emulator, call, create, search };
}

const doc = (text: string) => ({
  type: 'doc',
  version: 1,
  content: [{ type: 'paragraph', content: [{ type: 'text', text }] }],
});

const issueFields = (summary: string, extra: Record<string, unknown> = {}) => ({
  project: { key: 'SEC' },
  issuetype: { name: 'Bug' },
  summary,
  description: doc(`Details of ${summary}`),
  ...extra,
});

describe('Jira emulator: authentication', () => {
  it('answers 401 without or with wrong Basic credentials, in the switchable body', async () => {
    const { emulator, call } = await jira();
    const anonymous = await fetch(`${emulator.url}/rest/api/3/myself`);
    assert.equal(anonymous.status, 401);
    assert.equal(await anonymous.text(), 'Client must be authenticated to access this resource.');
    const wrong = await call('GET', '/rest/api/3/myself', undefined, {
      authorization: `Basic ${Buffer.from(`${JIRA_SANDBOX_CREDENTIALS.email}:nope`).toString('base64')}`,
    });
    assert.equal(wrong.status, 401);
    assert.equal(wrong.headers.get('x-seraph-loginreason'), 'AUTHENTICATED_FAILED');

    emulator.setFaults({ switches: { unauthorizedBody: 'json' } });
    const json = await fetch(`${emulator.url}/rest/api/3/myself`);
    assert.deepEqual(await json.json(), {
      errorMessages: ['Client must be authenticated to access this resource.'],
      errors: {},
    });
  });

  it('tells the token owner who they are', async () => {
    const { call } = await jira();
    const me = await call('GET', '/rest/api/3/myself');
    assert.equal(me.status, 200);
    assert.equal(me.json.emailAddress, JIRA_SANDBOX_CREDENTIALS.email);
    assert.match(me.json.accountId, /^[0-9a-f]{24}$/);
  });
});

describe('Jira emulator: create and validate', () => {
  it('creates an issue with an ADF description and returns id, key and self', async () => {
    const { create, call, emulator } = await jira();
    const created = await create('Public bucket', {
      priority: { name: 'Highest' },
      labels: ['wiz', 'wiz-issue-1'],
    });
    assert.match(created.id, /^\d+$/);
    assert.equal(created.key, 'SEC-1');
    assert.equal(created.self, `${emulator.url}/rest/api/3/issue/${created.id}`);
    const got = await call(
      'GET',
      `/rest/api/3/issue/${created.key}?fields=summary,priority,labels,status,description`,
    );
    assert.equal(got.json.fields.priority.name, 'Highest');
    assert.deepEqual(got.json.fields.labels, ['wiz', 'wiz-issue-1']);
    assert.equal(got.json.fields.status.statusCategory.key, 'new');
    assert.equal(got.json.fields.description.type, 'doc');
    assert.equal(got.json.fields.created, undefined, 'only the requested fields come back');
  });

  it('rejects a plain-string description the way v3 does', async () => {
    const { call } = await jira();
    const res = await call('POST', '/rest/api/3/issue', {
      fields: issueFields('x', { description: 'plain text' }),
    });
    assert.equal(res.status, 400);
    assert.deepEqual(res.json, { errorMessages: [], errors: { description: NOT_A_DOCUMENT } });
  });

  it("answers malformed ADF with Jira's vague message and names the problem in X-Sandbox-Reason", async () => {
    const { call } = await jira();
    const bad = {
      type: 'doc',
      version: 1,
      content: [{ type: 'paragraph', content: [{ type: 'text', text: '' }] }],
    };
    const res = await call('POST', '/rest/api/3/issue', { fields: issueFields('x', { description: bad }) });
    assert.equal(res.status, 400);
    assert.deepEqual(res.json.errorMessages, [UNSUPPORTED_CONTENT]);
    assert.match(
      res.headers.get('x-sandbox-reason') ?? '',
      /description: doc\.content\[0\]\.content\[0\]: text node/,
    );
  });

  it('reports every invalid field in errors, keyed by field', async () => {
    const { call } = await jira();
    const res = await call('POST', '/rest/api/3/issue', {
      fields: {
        project: { key: 'NOPE' },
        issuetype: { name: 'Bug' },
        labels: ['has space'],
        customfield_1: 'x',
      },
    });
    assert.equal(res.status, 400);
    assert.deepEqual(Object.keys(res.json.errors).sort(), ['customfield_1', 'labels', 'project', 'summary']);
    assert.equal(res.json.errors.project, 'valid project is required');
  });

  it('trips the XSRF check for form posts and answers 404 in Jira shape for unknown issues', async () => {
    const { call } = await jira();
    const form = await call('POST', '/rest/api/3/issue', undefined, {
      'content-type': 'application/x-www-form-urlencoded',
    });
    assert.equal(form.status, 403);
    const missing = await call('GET', '/rest/api/3/issue/SEC-999');
    assert.equal(missing.status, 404);
    assert.deepEqual(missing.json, {
      errorMessages: ['Issue does not exist or you do not have permission to see it.'],
      errors: {},
    });
  });

  it('offers Highest and Blocker among the priorities', async () => {
    const { call, create } = await jira();
    const priorities = await call('GET', '/rest/api/3/priority');
    const names = (priorities.json as Array<{ name: string }>).map((p) => p.name);
    assert.ok(names.includes('Highest') && names.includes('Blocker'));
    const blocker = await create('Blocker bug', { priority: { name: 'Blocker' } });
    assert.ok(blocker.key);
  });
});

describe('Jira emulator: bulk create', () => {
  it('creates the valid items and reports the failed ones by failedElementNumber', async () => {
    const { call } = await jira();
    const res = await call('POST', '/rest/api/3/issue/bulk', {
      issueUpdates: [
        { fields: issueFields('first') },
        { fields: issueFields('second', { priority: 'High' }) },
        { fields: issueFields('third') },
      ],
    });
    assert.equal(res.status, 201);
    assert.deepEqual(
      res.json.issues.map((i: { key: string }) => i.key),
      ['SEC-1', 'SEC-2'],
    );
    assert.deepEqual(res.json.errors, [
      {
        status: 400,
        elementErrors: {
          errorMessages: [],
          errors: { priority: 'Specify the Priority (name) in the string format' },
        },
        failedElementNumber: 1,
      },
    ]);
  });

  it('answers 400 when every item fails, and refuses more than 50', async () => {
    const { call } = await jira();
    const allBad = await call('POST', '/rest/api/3/issue/bulk', {
      issueUpdates: [{ fields: { summary: 'x' } }],
    });
    assert.equal(allBad.status, 400);
    assert.equal(allBad.json.issues.length, 0);
    assert.equal(allBad.json.errors[0].failedElementNumber, 0);
    const tooMany = await call('POST', '/rest/api/3/issue/bulk', {
      issueUpdates: Array.from({ length: 51 }, (_, i) => ({ fields: issueFields(`n${i}`) })),
    });
    assert.equal(tooMany.status, 400);
    assert.match(tooMany.json.errorMessages[0], /at most 50/);
  });
});

describe('Jira emulator: search/jql', () => {
  it('pages with nextPageToken until isLast, with the key absent on the last page', async () => {
    const { create, search, call } = await jira();
    for (let i = 0; i < 7; i++) await create(`finding ${i}`, { labels: ['arx', `arx-finding-${i}`] });
    await create('unrelated');
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const res = await search({
        jql: 'project = SEC AND labels = arx',
        maxResults: 3,
        nextPageToken: token,
        fields: ['summary'],
      });
      assert.equal(res.status, 200, res.text);
      pages++;
      seen.push(...res.json.issues.map((i: { key: string }) => i.key));
      token = res.json.nextPageToken;
      if (res.json.isLast) assert.equal('nextPageToken' in res.json, false);
      else assert.equal(typeof token, 'string');
    } while (token);
    assert.equal(pages, 3);
    assert.equal(new Set(seen).size, 7);

    const viaGet = await call(
      'GET',
      `/rest/api/3/search/jql?jql=${encodeURIComponent('labels = arx-finding-3')}`,
    );
    assert.deepEqual(Object.keys(viaGet.json.issues[0]), ['id'], 'without fields only ids come back');
    assert.equal(viaGet.json.isLast, true);
  });

  it('rejects a page token replayed against another query, and returns nextPageToken null when switched', async () => {
    const { create, search, emulator } = await jira();
    for (let i = 0; i < 3; i++) await create(`n${i}`, { labels: ['a'] });
    const first = await search({ jql: 'labels = a', maxResults: 2 });
    const replay = await search({ jql: 'labels = b', nextPageToken: first.json.nextPageToken });
    assert.equal(replay.status, 400);
    emulator.setFaults({ switches: { lastPageToken: 'null' } });
    const last = await search({ jql: 'labels = a', maxResults: 2, nextPageToken: first.json.nextPageToken });
    assert.equal(last.json.isLast, true);
    assert.equal(last.json.nextPageToken, null);
  });

  it('evaluates the workflow JQL subset: key in, statusCategory, ORDER BY created', async () => {
    const clock = new TestClock('2025-06-02T07:00:00Z');
    const { create, search, call } = await jira({ clock });
    const a = await create('a', { labels: ['x'] });
    clock.tick(60_000);
    const b = await create('b', { labels: ['x', 'y'] });
    clock.tick(60_000);
    const c = await create('c');
    await call('POST', `/rest/api/3/issue/${b.key}/transitions`, { transition: { id: '31' } });

    const keys = async (jql: string) => {
      const res = await search({ jql, fields: ['summary'] });
      assert.equal(res.status, 200, `${jql}: ${res.text}`);
      return res.json.issues.map((i: { key: string }) => i.key);
    };
    assert.deepEqual(await keys(`key in (${a.key}, ${c.key}) ORDER BY created ASC`), [a.key, c.key]);
    assert.deepEqual(await keys('project = SEC AND statusCategory = Done'), [b.key]);
    assert.deepEqual(await keys('project = SEC AND statusCategory != Done ORDER BY created DESC'), [
      c.key,
      a.key,
    ]);
    assert.deepEqual(await keys('labels in ("y", z)'), [b.key]);
    assert.deepEqual(
      await keys('labels != y ORDER BY created ASC'),
      [a.key],
      'issues without labels are left out',
    );
    assert.deepEqual(await keys('status = "To Do" AND resolution = Unresolved ORDER BY key ASC'), [
      a.key,
      c.key,
    ]);
    assert.deepEqual(await keys('created >= "2025-06-02 07:01" ORDER BY created ASC'), [b.key, c.key]);
  });

  it("answers unsupported, unbounded and invalid JQL with 400 errorMessages in Jira's words", async () => {
    const { search } = await jira();
    const message = async (jql: string) => {
      const res = await search({ jql });
      assert.equal(res.status, 400, jql);
      assert.deepEqual(res.json.errors, {});
      return res.json.errorMessages[0] as string;
    };
    assert.match(await message('ORDER BY created DESC'), /^Unbounded JQL queries are not allowed/);
    assert.match(await message('assignee = currentUser()'), /not supported by the sandbox Jira emulator/);
    assert.match(await message('project = NOPE'), /The value 'NOPE' does not exist for the field 'project'/);
    assert.match(await message('key = SEC-404'), /An issue with key 'SEC-404' does not exist/);
    assert.match(await message('flavour = vanilla'), /Field 'flavour' does not exist/);
    assert.match(await message('project = SEC AND'), /^Error in the JQL Query/);
  });

  it('hides new issues from search until the index catches up, unless reconciled', async () => {
    const clock = new TestClock('2025-06-02T07:00:00Z');
    const { create, search } = await jira({ clock }, { switches: { searchLagMs: 5000 } });
    const issue = await create('fresh', { labels: ['dedupe-me'] });
    const plain = await search({ jql: 'labels = dedupe-me' });
    assert.equal(plain.json.issues.length, 0);
    const reconciled = await search({ jql: 'labels = dedupe-me', reconcileIssues: [Number(issue.id)] });
    assert.deepEqual(reconciled.json.issues, [{ id: issue.id }]);
    clock.tick(5000);
    assert.equal((await search({ jql: 'labels = dedupe-me' })).json.issues.length, 1);
  });

  it('answers the retired /search with 410 unless the legacySearch switch is on', async () => {
    const { call, create, emulator } = await jira();
    await create('old');
    const gone = await call('GET', '/rest/api/3/search?jql=project%3DSEC');
    assert.equal(gone.status, 410);
    assert.deepEqual(gone.json.errorMessages, [LEGACY_SEARCH_GONE]);
    emulator.setFaults({ switches: { legacySearch: true } });
    const legacy = await call('GET', '/rest/api/3/search?jql=project%3DSEC');
    assert.equal(legacy.status, 200);
    assert.equal(legacy.json.total, 1);
  });

  it('finds seeded tickets, e.g. findings ticketed before Arx ran', async () => {
    const { search } = await jira({
      seedIssues: [
        {
          key: 'SEC-40',
          summary: 'Old finding',
          labels: ['wiz-issue-abc'],
          status: 'In Progress',
          priority: 'High',
        },
      ],
    });
    const res = await search({ jql: 'labels = "wiz-issue-abc"', fields: ['status', 'priority'] });
    assert.equal(res.json.issues[0].key, 'SEC-40');
    assert.equal(res.json.issues[0].fields.status.name, 'In Progress');
  });
});

describe('Jira emulator: edit, workflow, comments, properties', () => {
  it('adds and removes labels and sets fields, visible through search', async () => {
    const { create, call, search } = await jira();
    const issue = await create('edit me', { labels: ['keep', 'drop'] });
    const edit = await call('PUT', `/rest/api/3/issue/${issue.key}`, {
      fields: { priority: { name: 'Low' } },
      update: { labels: [{ add: 'added' }, { remove: 'drop' }] },
    });
    assert.equal(edit.status, 204);
    const res = await search({ jql: 'labels = added', fields: ['labels', 'priority'] });
    assert.deepEqual(res.json.issues[0].fields.labels, ['keep', 'added']);
    assert.equal(res.json.issues[0].fields.priority.name, 'Low');
    const bad = await call('PUT', `/rest/api/3/issue/${issue.key}`, { fields: { description: 'plain' } });
    assert.equal(bad.status, 400);
    assert.equal(bad.json.errors.description, NOT_A_DOCUMENT);
  });

  it('moves To Do -> In Progress -> Done and reopens, refusing transitions not offered', async () => {
    const { create, call } = await jira();
    const { key } = await create('flow');
    const ids = async () =>
      (await call('GET', `/rest/api/3/issue/${key}/transitions`)).json.transitions.map(
        (t: { id: string }) => t.id,
      );
    const move = (id: string, extra: Record<string, unknown> = {}) =>
      call('POST', `/rest/api/3/issue/${key}/transitions`, { transition: { id }, ...extra });
    const field = async (name: string) =>
      (await call('GET', `/rest/api/3/issue/${key}?fields=${name}`)).json.fields[name];

    assert.deepEqual(await ids(), ['21', '31']);
    assert.equal((await move('21')).status, 204);
    assert.equal((await field('status')).name, 'In Progress');
    const done = await move('31', { update: { comment: [{ add: { body: doc('Fixed by Arx') } }] } });
    assert.equal(done.status, 204);
    assert.equal((await field('resolution')).name, 'Done');
    assert.equal((await field('comment')).total, 1);
    const invalid = await move('21');
    assert.equal(invalid.status, 400);
    assert.deepEqual(invalid.json.errorMessages, ["Transition id '21' is not valid for this issue."]);
    assert.equal((await move('41')).status, 204);
    assert.equal((await field('status')).name, 'To Do');
    assert.equal(await field('resolution'), null);
  });

  it('adds ADF comments (201) and lists them with offsets; a string body is refused', async () => {
    const { create, call } = await jira();
    const { key } = await create('talk');
    const added = await call('POST', `/rest/api/3/issue/${key}/comment`, { body: doc('first') });
    assert.equal(added.status, 201);
    assert.match(added.json.self, new RegExp(`/comment/${added.json.id}$`));
    await call('POST', `/rest/api/3/issue/${key}/comment`, { body: doc('second') });
    const page = await call('GET', `/rest/api/3/issue/${key}/comment?startAt=1&maxResults=1`);
    assert.equal(page.json.total, 2);
    assert.equal(page.json.comments[0].body.content[0].content[0].text, 'second');
    const plain = await call('POST', `/rest/api/3/issue/${key}/comment`, { body: 'text' });
    assert.equal(plain.status, 400);
  });

  it('stores issue entity properties (201 new, 200 replaced) for idempotency markers', async () => {
    const { create, call } = await jira();
    const { key } = await create('props', { labels: [] });
    const path = `/rest/api/3/issue/${key}/properties/arx.effect`;
    assert.equal((await call('PUT', path, { key: 'jira:create:f1' })).status, 201);
    assert.equal((await call('PUT', path, { key: 'jira:create:f2' })).status, 200);
    assert.deepEqual((await call('GET', path)).json, { key: 'arx.effect', value: { key: 'jira:create:f2' } });
    assert.equal((await call('GET', `/rest/api/3/issue/${key}/properties/none`)).status, 404);
  });
});

describe('Jira emulator: rate limits and stats', () => {
  it('answers 429 with Retry-After and RateLimit-Reason when the burst limit is hit', async () => {
    const { call, emulator } = await jira({}, { rateLimit: { requests: 1, windowMs: 60_000, scope: 'key' } });
    const first = await call('GET', '/rest/api/3/myself');
    assert.equal(first.status, 200);
    assert.equal(first.headers.get('x-ratelimit-nearlimit'), 'true', 'no budget left after the only request');
    const limited = await call('GET', '/rest/api/3/myself');
    assert.equal(limited.status, 429);
    assert.ok(Number(limited.headers.get('retry-after')) >= 1);
    assert.equal(limited.headers.get('ratelimit-reason'), 'jira-burst-based');
    assert.match(limited.headers.get('x-ratelimit-reset') ?? '', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}Z$/);
    assert.equal((await call('GET', '/rest/api/3/priority')).status, 200, 'the burst limit is per endpoint');
    assert.deepEqual(emulator.stats().requests.myself, { '200': 1, '429': 1 });
  });
});
