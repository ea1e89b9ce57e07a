import assert from 'node:assert/strict';
import { it } from 'node:test';
import { failure, type SinkTarget, sinkOpener } from '../../../test/support/sink-contract.js';
import { forEachStore } from '../../../test/support/stores.js';
import { createJiraEmulator } from '../../sandbox/jira/index.js';
import { readPages } from '../read-pages.js';
import { jiraConnector } from './index.js';
import type {
  BulkCreateResult,
  ByFindingResult,
  CreateIssueResult,
  SearchResult,
  TransitionResult,
} from './results.js';

/** The Jira connector against the Jira emulator over real HTTP, every call through the gate. */

const FK = (n: number) => `fk_${String(n).padStart(24, '0')}`;

const open = sinkOpener(
  ({ clock, random }) => createJiraEmulator({ random }, { clock, components: ['Platform'] }),
  jiraConnector,
);

const create = (target: SinkTarget, n: number, extra: Record<string, unknown> = {}) =>
  target.call<CreateIssueResult>('jira:issues:create', {
    summary: `Finding ${n}`,
    findingKey: FK(n),
    severity: 'high',
    ...extra,
  });

const searchByFinding = (
  target: SinkTarget,
  n: number,
  fields = ['labels', 'priority', 'description', 'status'],
) =>
  target.call<SearchResult>('jira:issues:search', {
    jql: `project = SEC AND labels = "arx-${FK(n)}"`,
    fields,
  });

/** Every issue a JQL query matches, through the connector's search (one audited call per page). */
async function searchAll(target: SinkTarget, jql: string) {
  const issues: Array<{ key: string; fields: { labels: string[] } }> = [];
  for await (const page of readPages<{ key: string; fields: { labels: string[] } }>({
    gate: target.gate,
    context: target.context,
    operation: 'jira:issues:search',
    params: { jql, fields: ['labels'], maxResults: 100 },
  })) {
    issues.push(...page.items);
  }
  return issues;
}

forEachStore('jira connector contract', (openTestStore) => {
  it('files one issue per finding: label, property, ADF description, mapped priority; a repeat returns it', async (t) => {
    const target = await open(t, openTestStore);
    const first = await create(target, 1, {
      severity: 'critical',
      blocker: true,
      details: {
        summary: 'Bucket is public and holds customer uploads.',
        resource: { uid: 'arn:aws:s3:::prod-customer-uploads', type: 'AwsS3Bucket', account: '123456789012' },
        remediation: 'Block public access.\n\nThen review the bucket policy.',
        sources: [{ vendor: 'wiz', id: '8f3e2d1c', url: 'https://app.wiz.io/issues#~(issue~%278f3e2d1c)' }],
      },
    });
    assert.equal(first.created, true);
    assert.match(first.key, /^SEC-\d+$/);
    assert.equal(first.url, `${target.env.JIRA_URL}/browse/${first.key}`);

    const [issue] = (await searchByFinding(target, 1)).items;
    assert.equal(issue?.key, first.key);
    assert.deepEqual(issue?.fields.labels, [`arx-${FK(1)}`, 'arx']);
    assert.equal((issue?.fields.priority as { name?: string } | undefined)?.name, 'Blocker');
    const description = JSON.stringify(issue?.fields.description);
    for (const text of ['Remediation', 'Block public access.', 'prod-customer-uploads', FK(1)]) {
      assert.ok(description.includes(text), `description mentions ${text}`);
    }
    // the test looks at the emulator's record directly (not a connector call) for the issue property
    const property = await fetch(`${target.env.JIRA_URL}/rest/api/3/issue/${first.key}/properties/arx`, {
      headers: {
        authorization: `Basic ${Buffer.from(`${target.env.JIRA_USER_EMAIL}:${target.env.JIRA_API_TOKEN}`).toString('base64')}`,
      },
    });
    assert.deepEqual(((await property.json()) as { value: unknown }).value, { findingKey: FK(1) });

    const again = await create(target, 1);
    assert.deepEqual({ key: again.key, created: again.created }, { key: first.key, created: false });
    assert.deepEqual(target.answered('issue.create'), { 201: 1 });
    await target.assertAudited('jira:issues:create', 2);
  });

  it('reads search pages lazily (nextPageToken as `after`), whichever way the last page says it is last', async (t) => {
    const target = await open(t, openTestStore);
    const bulk = await target.call<BulkCreateResult>('jira:issues:bulk-create', {
      issues: [1, 2, 3, 4, 5, 6, 7].map((n) => ({
        summary: `Finding ${n}`,
        findingKey: FK(n),
        labels: ['paging'],
      })),
    });
    assert.equal(bulk.created, 7);
    const read = async () => {
      const pages = [];
      for await (const page of readPages<{ key: string }>({
        gate: target.gate,
        context: target.context,
        operation: 'jira:issues:search',
        params: {
          jql: 'project = SEC AND labels = paging ORDER BY key ASC',
          fields: ['summary'],
          maxResults: 3,
        },
      })) {
        pages.push(page.items.map((i) => i.key));
      }
      return pages;
    };
    const absent = await read();
    assert.deepEqual(
      absent.map((p) => p.length),
      [3, 3, 1],
    );
    assert.equal(new Set(absent.flat()).size, 7);
    target.emulator.setFaults({ switches: { lastPageToken: 'null' } });
    assert.deepEqual(await read(), absent);

    // lazy: a consumer that stops after one page costs one call
    for await (const _ of readPages({
      gate: target.gate,
      context: target.context,
      operation: 'jira:issues:search',
      params: { jql: 'project = SEC AND labels = paging', maxResults: 3 },
    })) {
      break;
    }
    await target.assertAudited('jira:issues:search', 7);
  });

  it('bulk create: per-item errors map to their findings; findings with an issue are not filed again', async (t) => {
    const target = await open(t, openTestStore);
    const existing = await create(target, 10);
    const out = await target.call<BulkCreateResult>('jira:issues:bulk-create', {
      issues: [
        { summary: 'Already filed', findingKey: FK(10) },
        { summary: 'Fine', findingKey: FK(11), components: ['Platform'] },
        { summary: 'Bad component', findingKey: FK(12), components: ['NoSuchTeam'] },
        { summary: 'Also fine', findingKey: FK(13), severity: 'low' },
      ],
    });
    assert.deepEqual(
      out.results.map((r) => [r.findingKey, r.outcome]),
      [
        [FK(10), 'existing'],
        [FK(11), 'created'],
        [FK(12), 'failed'],
        [FK(13), 'created'],
      ],
    );
    assert.equal(out.results[0]?.key, existing.key);
    assert.match(out.results[2]?.error?.fields?.components ?? '', /NoSuchTeam/);
    assert.equal(out.results[2]?.error?.retryable, false);
    // each created issue is the one labelled with its finding
    for (const n of [11, 13]) {
      const [issue] = (await searchByFinding(target, n)).items;
      assert.equal(issue?.key, out.results.find((r) => r.findingKey === FK(n))?.key);
    }

    // every item failing is Jira's 400 with the same per-item shape: an answer, not an exception
    const allBad = await target.call<BulkCreateResult>('jira:issues:bulk-create', {
      issues: [20, 21].map((n) => ({ summary: `x${n}`, findingKey: FK(n), components: ['Nope'] })),
    });
    assert.deepEqual([allBad.created, allBad.failed], [0, 2]);
    await target.assertAudited('jira:issues:bulk-create', 2);
  });

  it('by-finding lists every issue Arx filed in the project, 100 per page, or looks findings up 100 at a time', async (t) => {
    const target = await open(t, openTestStore);
    const bulk = (from: number) =>
      target.call<BulkCreateResult>('jira:issues:bulk-create', {
        issues: Array.from({ length: 50 }, (_, i) => ({
          summary: `Finding ${from + i}`,
          findingKey: FK(from + i),
        })),
      });
    for (const from of [100, 150, 200]) assert.equal((await bulk(from)).created, 50);
    // an issue someone filed by hand, with other labels, is not Arx's
    await target.call('jira:issues:create', { summary: 'By hand', labels: ['security'] });
    const filed = new Map(
      (await searchAll(target, 'project = SEC AND labels = arx')).map((i) => [i.key, i.fields.labels]),
    );
    assert.equal(filed.size, 150);

    const pages: ByFindingResult[] = [];
    for await (const page of readPages<ByFindingResult['items'][number]>({
      gate: target.gate,
      context: target.context,
      operation: 'jira:issues:by-finding',
      params: {},
    })) {
      pages.push(page as ByFindingResult);
    }
    assert.deepEqual(
      pages.map((p) => p.items.length),
      [100, 50],
    );
    const listed = pages.flatMap((p) => p.items);
    assert.deepEqual(
      listed.map((i) => i.findingKey).sort(),
      Array.from({ length: 150 }, (_, i) => FK(100 + i)).sort(),
    );
    for (const item of listed) {
      assert.ok(
        filed.get(item.key)?.includes(`arx-${item.findingKey}`),
        `${item.key} is ${item.findingKey}'s`,
      );
      assert.equal(item.status, 'To Do');
      assert.equal(item.url, `${target.env.JIRA_URL}/browse/${item.key}`);
    }

    // by key: only the findings asked for, those without an issue simply absent
    const wanted = [FK(101), FK(249), FK(999)];
    const byKey = await target.call<ByFindingResult>('jira:issues:by-finding', { findingKeys: wanted });
    assert.deepEqual(byKey.items.map((i) => i.findingKey).sort(), [FK(101), FK(249)]);
    assert.equal(byKey.next, undefined);
    const tooMany = await failure(
      target.call('jira:issues:by-finding', { findingKeys: Array.from({ length: 101 }, (_, i) => FK(i)) }),
    );
    assert.equal(tooMany.fault, 'caller');
    await target.assertAudited('jira:issues:by-finding', 4);
  });

  it('bulk create after a lookup (`searched`) makes no search of its own, yet a lost answer is still reconciled by label', async (t) => {
    const target = await open(t, openTestStore, {
      lose: ({ method, path, count }) =>
        method === 'POST' && path === '/rest/api/3/issue/bulk' && count === 2,
    });
    const searches = () => target.answered('search.jql')['200'] ?? 0;
    const first = await target.call<BulkCreateResult>('jira:issues:bulk-create', {
      searched: true,
      issues: [1, 2].map((n) => ({ summary: `Finding ${n}`, findingKey: FK(300 + n) })),
    });
    assert.equal(first.created, 2);
    assert.equal(searches(), 0, 'no search before the create');

    // the second create is applied but its answer lost: found by label, not filed again
    const second = await target.call<BulkCreateResult>('jira:issues:bulk-create', {
      searched: true,
      issues: [3, 4].map((n) => ({ summary: `Finding ${n}`, findingKey: FK(300 + n) })),
    });
    assert.deepEqual(target.lost(), ['POST /rest/api/3/issue/bulk']);
    assert.deepEqual(
      second.results.map((r) => [r.findingKey, r.outcome, Boolean(r.key)]),
      [
        [FK(303), 'existing', true],
        [FK(304), 'existing', true],
      ],
    );
    assert.equal(searches(), 1, 'one search: the reconcile of the lost answer');
    assert.equal((await searchAll(target, 'project = SEC AND labels = arx')).length, 4, 'no duplicate');
    await target.assertAudited('jira:issues:bulk-create', 2);
  });

  it('transitions by status name: already there is no change, reopen goes back, a missing path is explained', async (t) => {
    const target = await open(t, openTestStore);
    const { key } = await create(target, 30);
    const transition = (to: string, extra: Record<string, unknown> = {}) =>
      target.call<TransitionResult>('jira:issues:transition', { key, to, ...extra });
    assert.deepEqual(await transition('Done', { comment: 'Fixed: public access blocked.' }), {
      key,
      status: 'Done',
      changed: true,
    });
    assert.deepEqual(await transition('done'), { key, status: 'Done', changed: false });
    assert.deepEqual(await transition('To Do', { occurrence: 'reopened-1' }), {
      key,
      status: 'To Do',
      changed: true,
    });
    const err = await failure(transition("Won't Fix"));
    assert.equal(err.code, 'transition_unavailable');
    assert.equal(err.fault, 'caller');
    assert.match((err as { hint?: string }).hint ?? '', /Done/);
    const results = (await target.assertAudited('jira:issues:transition', 4)).filter(
      (e) => e.kind === 'result',
    );
    assert.deepEqual(
      results.map((r) => r.payload.status),
      ['ok', 'ok', 'ok', 'error'],
    );
  });

  it('comments in ADF and updates fields and labels', async (t) => {
    const target = await open(t, openTestStore);
    const { key } = await create(target, 40);
    const comment = await target.call<{ commentId: string }>('jira:issues:comment', {
      key,
      body: 'Still open in prod.\nSeen again today.',
    });
    assert.match(comment.commentId, /^\d+$/);
    await target.call('jira:issues:update', {
      key,
      priority: 'Highest',
      addLabels: ['kev'],
      fields: { duedate: '2026-04-01' },
    });
    const [issue] = (
      await target.call<SearchResult>('jira:issues:search', {
        jql: `key = ${key}`,
        fields: ['labels', 'priority', 'duedate'],
      })
    ).items;
    assert.deepEqual(issue?.fields.labels, [`arx-${FK(40)}`, 'arx', 'kev']);
    assert.equal((issue?.fields.priority as { name?: string } | undefined)?.name, 'Highest');
    assert.equal(issue?.fields.duedate, '2026-04-01');
    await target.assertAudited('jira:issues:comment', 1);
    await target.assertAudited('jira:issues:update', 1);
  });

  it('reconciles pending effects through the gate: found when the write happened, not found otherwise', async (t) => {
    const target = await open(t, openTestStore);
    const filed = await create(target, 50);
    const found = await target.reconcile<CreateIssueResult>('jira:issues:create', {
      summary: 'Finding 50',
      findingKey: FK(50),
    });
    assert.equal(found.found, true);
    assert.equal(found.result?.key, filed.key);
    assert.equal(found.idempotencyKey, `jira:create:${FK(50)}`);
    const missing = await target.reconcile('jira:issues:create', {
      summary: 'Finding 51',
      findingKey: FK(51),
    });
    assert.equal(missing.found, false);

    const closed = await target.reconcile('jira:issues:transition', { key: filed.key, to: 'Done' });
    assert.equal(closed.found, false);
    await target.call('jira:issues:transition', { key: filed.key, to: 'Done' });
    assert.equal(
      (await target.reconcile('jira:issues:transition', { key: filed.key, to: 'Done' })).found,
      true,
    );
    await target.call('jira:issues:comment', { key: filed.key, body: 'Closed by Arx.' });
    assert.equal(
      (await target.reconcile('jira:issues:comment', { key: filed.key, body: 'Closed by Arx.' })).found,
      true,
    );
    assert.equal(
      (await target.reconcile('jira:issues:update', { key: filed.key, addLabels: ['x'] })).found,
      false,
    );

    const entries = await target.audited('jira:issues:create');
    const reconcileIntents = entries.filter((e) => e.kind === 'intent' && e.payload.reconcile === true);
    assert.deepEqual(
      reconcileIntents.map((e) => e.payload.rule),
      ['(reconcile)', '(reconcile)'],
    );
    const reconcileResults = entries.filter((e) => e.kind === 'result' && e.payload.reconcile === true);
    assert.deepEqual(
      reconcileResults.map((e) => e.payload.found),
      [true, false],
    );
    assert.deepEqual(target.answered('issue.create'), { 201: 1 });
  });

  it('a create whose answer is lost is found by its label and not filed again', async (t) => {
    const target = await open(t, openTestStore, {
      lose: ({ method, path, count }) => method === 'POST' && path === '/rest/api/3/issue' && count === 1,
    });
    const out = await create(target, 60);
    assert.deepEqual(target.lost(), ['POST /rest/api/3/issue']);
    assert.equal(out.created, true);
    assert.equal((await searchByFinding(target, 60)).items[0]?.key, out.key);
    assert.deepEqual(target.answered('issue.create'), { 201: 1 });
    await target.assertAudited('jira:issues:create', 1);
  });

  it('waits out 429 + Retry-After through the governor and retries 5xx; gives up on a tool that stays down', async (t) => {
    const target = await open(t, openTestStore, { faults: { rateLimit: { requests: 1, windowMs: 1000 } } });
    for (const n of [1, 2, 3])
      await target.call('jira:issues:search', { jql: `project = SEC AND labels = "n${n}"` });
    assert.ok((target.answered('search.jql')['429'] ?? 0) >= 2, 'the emulator refused with 429');
    assert.equal(target.answered('search.jql')['200'], 3);

    target.emulator.setFaults({ errorRate: 0.5 });
    for (const n of [4, 5, 6, 7])
      await target.call('jira:issues:search', { jql: `project = SEC AND labels = "n${n}"` });
    assert.ok((target.answered('search.jql')['500'] ?? 0) >= 1, 'some calls hit a 500 and were retried');

    target.emulator.setFaults({ errorRate: 1 });
    const err = await failure(target.call('jira:issues:search', { jql: 'project = SEC' }));
    assert.equal(err.code, 'tool_unavailable');
    assert.equal(err.retryable, true, 'the step may try again later');
    const results = (await target.assertAudited('jira:issues:search', 8)).filter((e) => e.kind === 'result');
    assert.equal(results.at(-1)?.payload.error_code, 'tool_unavailable');
  });

  it('malformed bodies are retried as transient; a body that stays broken is a clear, retryable error', async (t) => {
    const target = await open(t, openTestStore, { faults: { malformedRate: 0.5 } });
    const searches = [1, 2, 3, 4, 5, 6];
    for (const n of searches)
      await target.call('jira:issues:search', { jql: `project = SEC AND labels = "m${n}"` });
    assert.ok(
      (target.answered('search.jql')['200'] ?? 0) > searches.length,
      'some answers were broken and asked again',
    );
    target.emulator.setFaults({ malformedRate: 1 });
    const err = await failure(target.call('jira:issues:search', { jql: 'project = SEC' }));
    assert.equal(err.code, 'malformed_response');
    assert.equal(err.retryable, true);
    assert.match(err.message, /not valid JSON/);
    await target.assertAudited('jira:issues:search', searches.length + 1);
  });

  it('bad credentials fail at once (no retry) and are explained; the credential check names the fix', async (t) => {
    const target = await open(t, openTestStore, {
      env: (env) => ({ ...env, JIRA_API_TOKEN: 'wrong-token' }),
    });
    const err = await failure(create(target, 80));
    assert.equal(err.code, 'unauthorized');
    assert.equal(err.fault, 'caller');
    assert.match(err.message, /Jira rejected the credentials/);
    assert.ok(!err.message.includes('wrong-token'));
    assert.deepEqual(target.answered('search.jql'), { 401: 1 });
    const results = (await target.assertAudited('jira:issues:create', 1)).filter((e) => e.kind === 'result');
    assert.equal(results[0]?.payload.error_code, 'unauthorized');

    const bad = await target.checkCredentials(target.env);
    assert.deepEqual([bad.ok, bad.problem], [false, 'bad_secret']);
    assert.match(bad.message, /JIRA_API_TOKEN/);
    const good = await target.checkCredentials({
      ...target.env,
      JIRA_API_TOKEN: 'sandbox-jira-token',
    });
    assert.deepEqual(
      [good.ok, good.message],
      [true, 'authenticated as arx-bot@sandbox.arx.invalid; project SEC is visible'],
    );
    const noProject = await target.checkCredentials({
      ...target.env,
      JIRA_API_TOKEN: 'sandbox-jira-token',
      JIRA_PROJECT_KEY: 'NOPE',
    });
    assert.equal(noProject.problem, 'missing_scope');
    const nowhere = await target.checkCredentials({ ...target.env, JIRA_URL: 'http://127.0.0.1:9' });
    assert.equal(nowhere.problem, 'unreachable');
    const unset = await target.checkCredentials({});
    assert.equal(unset.problem, 'missing_config');
    assert.match(unset.message, /JIRA_URL/);
  });
});
