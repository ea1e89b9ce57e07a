import assert from 'node:assert/strict';
import { it } from 'node:test';
import { callsBetween, readToolCalls } from '../../bench/lib/emulator-stats.js';
import { type CensusOptions, lowerBound, takeCensus } from '../../bench/scenarios/lower-bound.js';
import { WIZ_MAX_PAGE } from '../../src/connectors/wiz/operations.js';
import { lookupPlan } from '../../src/workflows/library/shared/existing-tickets.js';
import distribution from '../../src/workflows/library/wiz-finding-distribution/workflow.js';
import { forEachStore } from '../support/stores.js';
import { duplicates } from '../support/tenant-truth.js';
import { findingLabels, openWorkflowSandbox, type WorkflowSandbox } from '../support/workflow-sandbox.js';

/**
 * How the ticket workflows learn which findings already have a Jira issue before filing: one listing of
 * the project's Arx issues, or lookups by finding key, whichever costs fewer calls. Calls are counted by
 * the emulators (`/_sandbox/stats`), tickets checked through Jira's own search.
 */
const TENANT = { findings: 200, seed: 12 };

/** What a lost store forgets: which ticket stands for which finding, and which writes were done. */
async function forgetTickets(h: WorkflowSandbox, findingKeys?: readonly string[]) {
  let links = h.store.db.deleteFrom('sink_links');
  let effects = h.store.db.deleteFrom('effects');
  if (findingKeys) {
    links = links.where('finding_key', 'in', [...findingKeys]);
    effects = effects.where('key', 'like', 'jira:bulk-create:%');
  }
  await links.execute();
  await effects.execute();
}

/** Jira calls made by `body`, by operation, as the emulator counted them. */
async function jiraCalls(h: WorkflowSandbox, body: () => Promise<unknown>) {
  const before = await readToolCalls(h.sandbox.endpoints);
  await body();
  return callsBetween(before, await readToolCalls(h.sandbox.endpoints)).byOperation.jira ?? {};
}

/** Forgets the tickets, runs `workflow` again (it must file nothing), and returns that run and its Jira calls. */
async function rerunAfterForgetting(h: WorkflowSandbox, workflow: Parameters<WorkflowSandbox['run']>[0]) {
  await forgetTickets(h);
  let again: Awaited<ReturnType<WorkflowSandbox['run']>> | undefined;
  const calls = await jiraCalls(h, async () => {
    again = await h.run(workflow);
  });
  assert.equal(again?.status, 'succeeded', again?.summary.error);
  assert.equal(again?.summary.counts.ticketsCreated, 0, 'nothing filed again');
  return { again, calls };
}

/** Files `count` issues as another Arx installation would (its own finding labels), over Jira's REST API. */
async function fileForeignIssues(h: WorkflowSandbox, count: number) {
  const { JIRA_URL, JIRA_USER_EMAIL, JIRA_API_TOKEN } = h.sandbox.env;
  const auth = `Basic ${Buffer.from(`${JIRA_USER_EMAIL}:${JIRA_API_TOKEN}`).toString('base64')}`;
  for (let at = 0; at < count; at += 50) {
    const issueUpdates = Array.from({ length: Math.min(50, count - at) }, (_, i) => ({
      fields: {
        project: { key: h.sandbox.tenant.jiraProjectKey },
        issuetype: { name: 'Bug' },
        summary: `Elsewhere ${at + i}`,
        labels: ['arx', `arx-elsewhere-${at + i}`],
      },
    }));
    const response = await fetch(`${JIRA_URL}/rest/api/3/issue/bulk`, {
      method: 'POST',
      headers: { authorization: auth, 'content-type': 'application/json' },
      body: JSON.stringify({ issueUpdates }),
    });
    assert.equal(response.status, 201, await response.text());
  }
}

it('lookup plan: one listing while it costs no more than looking the new units up, 100 at a time', () => {
  assert.deepEqual(lookupPlan(217, 0), { mode: 'list', maxPages: 3 }, 'a first run lists once');
  assert.deepEqual(lookupPlan(22_278, 0), { mode: 'list', maxPages: 223 });
  assert.deepEqual(lookupPlan(50, 100), { mode: 'list', maxPages: 1 });
  assert.deepEqual(lookupPlan(50, 101), { mode: 'by-key' }, 'two listing pages cost more than one lookup');
  assert.deepEqual(lookupPlan(300, 22_278), { mode: 'by-key' }, 'a later run with a few new findings');
});

forEachStore('ticket lookup before filing', (openTestStore) => {
  it('at 1k findings a first run makes exactly the lower bound of calls: one listing, bulk creates of 50', async () => {
    const h = await openWorkflowSandbox(openTestStore, { findings: 1000, seed: 1 });
    try {
      const options = h.options(distribution, { page_size: WIZ_MAX_PAGE });
      const census = await takeCensus(h.sandbox.env, {
        severities: options.severities as CensusOptions['severities'],
        routing: options as unknown as CensusOptions['routing'],
      });
      const bound = lowerBound(census);
      const before = await readToolCalls(h.sandbox.endpoints);
      const run = await h.run(distribution, { page_size: WIZ_MAX_PAGE });
      assert.equal(run.status, 'succeeded', run.summary.error);
      const made = callsBetween(before, await readToolCalls(h.sandbox.endpoints));

      assert.equal(run.summary.counts.ticketsCreated, census.newTickets);
      assert.ok(census.newTickets > 150, 'enough tickets for several bulk creates');
      assert.deepEqual(made.byOperation.jira, {
        'search.jql': bound.parts.jiraDedupeReads,
        'issue.bulkCreate': bound.parts.jiraCreates,
      });
      assert.deepEqual(made.calls, { wiz: bound.wiz, jira: bound.jira, slack: bound.slack });
      assert.deepEqual(duplicates(findingLabels(await h.jiraIssues())), []);
    } finally {
      await h.close();
    }
  });

  it('files nothing twice when Jira holds the tickets and the store has lost them: one listing finds them all', async () => {
    const h = await openWorkflowSandbox(openTestStore, TENANT);
    try {
      const first = await h.run(distribution);
      assert.equal(first.status, 'succeeded', first.summary.error);
      const filed = await h.jiraIssues();
      const created = first.summary.counts.ticketsCreated;
      assert.ok(created > 30);

      const { calls } = await rerunAfterForgetting(h, distribution);
      assert.deepEqual(calls, { 'search.jql': 1 }, 'one listing, no create');
      assert.equal((await h.jiraIssues()).length, filed.length);
      assert.deepEqual(duplicates(findingLabels(await h.jiraIssues())), []);
      // relinked: the run after that has nothing to look up
      const third = await jiraCalls(h, () => h.run(distribution));
      assert.deepEqual(third, {});
    } finally {
      await h.close();
    }
  });

  it('a project with more Arx tickets than the store knows: the listing stops at its budget, then lookups by key', async () => {
    const h = await openWorkflowSandbox(openTestStore, TENANT);
    try {
      // another installation's 120 issues, older than any of this one's: the first listing page is theirs
      await fileForeignIssues(h, 120);
      const first = await h.run(distribution);
      assert.equal(first.status, 'succeeded', first.summary.error);
      const filed = await h.jiraIssues();
      const lost = findingLabels(filed)
        .filter((label) => !label.startsWith('arx-elsewhere-'))
        .slice(0, 3)
        .map((label) => label.slice('arx-'.length));
      assert.equal(lost.length, 3);

      await forgetTickets(h, lost);
      let again: Awaited<ReturnType<WorkflowSandbox['run']>> | undefined;
      const calls = await jiraCalls(h, async () => {
        again = await h.run(distribution);
      });
      assert.equal(again?.status, 'succeeded', again?.summary.error);
      assert.equal(again?.summary.counts.ticketsCreated, 0, 'nothing filed again');
      assert.deepEqual(
        calls,
        { 'search.jql': 2 },
        'one listing page (its budget), then one lookup of 3 keys',
      );
      assert.equal((await h.jiraIssues()).length, filed.length);
      assert.deepEqual(duplicates(findingLabels(await h.jiraIssues())), []);
    } finally {
      await h.close();
    }
  });

  it('where arx.yaml leaves the lookup out of the Jira operations, each bulk create searches for itself: still nothing twice', async () => {
    const operations = ['jira:issues:bulk-create', 'jira:issues:search', 'jira:issues:transition'];
    const h = await openWorkflowSandbox(openTestStore, {
      ...TENANT,
      config: { connectors: { jira: { operations } } },
    });
    try {
      const first = await h.run(distribution);
      assert.equal(first.status, 'succeeded', first.summary.error);
      const filed = await h.jiraIssues();
      assert.ok(first.summary.counts.ticketsCreated > 30);

      const { again, calls } = await rerunAfterForgetting(h, distribution);
      assert.deepEqual(calls, { 'search.jql': 1 }, 'the bulk create’s own search, no create');
      assert.equal((await h.jiraIssues()).length, filed.length);
      const denied = (await h.audit('jira:issues:by-finding')).filter(
        (e) => e.kind === 'intent' && e.verdict === 'deny',
      );
      assert.equal(denied.length, 2, 'each run’s refused lookup is audited');
      assert.deepEqual(
        again?.summary.denials.map((d) => d.operation),
        ['jira:issues:by-finding'],
        'the run reports the refusal',
      );
    } finally {
      await h.close();
    }
  });
});
