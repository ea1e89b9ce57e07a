import assert from 'node:assert/strict';
import { it } from 'node:test';
import { WatermarksRepo } from '../../src/store/watermarks-repo.js';
import distribution from '../../src/workflows/library/wiz-finding-distribution/workflow.js';
import { forEachStore } from '../support/stores.js';
import { duplicates, isOpenStatus, tenantIssues } from '../support/tenant-truth.js';
import {
  findingLabels,
  type JiraIssue,
  openWorkflowSandbox,
  type WorkflowSandbox,
} from '../support/workflow-sandbox.js';

/**
 * wiz-finding-distribution end to end against the sandbox over HTTP, checked through the emulators' own
 * APIs: Jira search, Slack history. Seed 12 / 200 findings: ~40 open critical and high issues, two of
 * them already ticketed by a human, five resolved by the next scan and three of those back by the one after.
 */
const TENANT = { findings: 200, seed: 12 };
const critHigh = (i: { severity: string }) => i.severity === 'CRITICAL' || i.severity === 'HIGH';

/** Arx's tickets (those with a finding-key label) by the Wiz issue id they carry as a label. */
function byWizIssue(issues: readonly JiraIssue[]): Map<string, JiraIssue> {
  const out = new Map<string, JiraIssue>();
  for (const issue of issues) {
    if (findingLabels([issue]).length === 0) continue;
    const label = issue.fields.labels.find((l) => l.startsWith('wiz-issue-'));
    if (label) out.set(label.slice('wiz-issue-'.length), issue);
  }
  return out;
}

async function slackMessages(h: WorkflowSandbox) {
  const channels = [...h.sandbox.tenant.teams().map((t) => t.slackChannel), '#sec-alerts', '#general'];
  const all = await Promise.all(
    channels.map(async (channel) => ({ channel, messages: await h.slackHistory(channel) })),
  );
  return all.filter((c) => c.messages.length > 0);
}

forEachStore('wiz-finding-distribution', (openTestStore) => {
  it('tickets every open critical/high issue once, routed to its team, and posts one digest per team', async () => {
    const h = await openWorkflowSandbox(openTestStore, TENANT);
    try {
      const truth = tenantIssues(h.sandbox.tenant).filter(critHigh);
      const expectedCount = truth.filter((i) => isOpenStatus(i.status) && !i.preTicket).length;

      // a dry run decides everything and writes nothing
      const plan = await h.run(distribution, {}, true);
      assert.equal(plan.summary.counts.ticketsCreated, expectedCount);
      assert.deepEqual([...new Set(plan.summary.plan?.map((p) => `${p.operation} ${p.outcome}`))].sort(), [
        'jira:issues:bulk-create would_run',
        'slack:chat:write would_run',
      ]);
      assert.equal((await h.jiraIssues()).length, h.sandbox.tenant.preexistingJiraIssues().length);
      assert.deepEqual(await slackMessages(h), []);
      // nor does it move the "since last run" mark: the next real run still reads everything
      const marks = () => new WatermarksRepo(h.store.db).list('wiz');
      assert.deepEqual(await marks(), []);

      const first = await h.run(distribution);
      assert.equal(first.status, 'succeeded', first.summary.error);
      assert.deepEqual(
        (await marks()).map((m) => m.scope),
        ['issues@wiz-finding-distribution'],
        'its own watermark: another workflow reading other severities keeps its own',
      );

      const jira = await h.jiraIssues();
      assert.deepEqual(duplicates(findingLabels(jira)), [], 'one ticket per finding');
      const mine = byWizIssue(jira);
      const expected = truth.filter((i) => isOpenStatus(i.status) && !i.preTicket);
      assert.ok(expected.length > 30);
      assert.deepEqual([...mine.keys()].sort(), expected.map((i) => i.id).sort());
      assert.equal(first.summary.counts.ticketsCreated, expected.length);

      // already ticketed by a person (Wiz serviceTickets): linked, never filed again
      const preTicketed = truth.filter((i) => isOpenStatus(i.status) && i.preTicket);
      assert.ok(preTicketed.length >= 2);
      for (const issue of preTicketed) assert.equal(mine.has(issue.id), false);
      assert.equal(first.summary.extra.ticketsLinked, preTicketed.length);
      assert.equal(jira.length, mine.size + h.sandbox.tenant.preexistingJiraIssues().length);

      const teams = new Map(h.sandbox.tenant.teams().map((t) => [t.id, t]));
      for (const issue of expected) {
        const ticket = mine.get(issue.id)!;
        assert.equal(ticket.fields.priority?.name, issue.severity === 'CRITICAL' ? 'Highest' : 'High');
        assert.deepEqual(
          ticket.fields.components?.map((c) => c.name),
          [teams.get(issue.team)!.jiraComponent],
        );
        assert.equal(ticket.fields.status.name, 'To Do');
        assert.match(ticket.fields.summary, new RegExp(`^\\[Wiz\\]\\[${issue.severity}\\] `));
      }

      // one digest per team with new tickets, in the team's own channel, linking each of its tickets
      const posted = await slackMessages(h);
      const teamsWithTickets = new Set(expected.map((i) => i.team));
      assert.deepEqual(
        posted.map((p) => p.channel).sort(),
        [...teamsWithTickets].map((t) => teams.get(t)!.slackChannel).sort(),
      );
      for (const { channel, messages } of posted) {
        assert.equal(messages.length, 1, `${channel}: one message, not one per finding`);
        const team = [...teams.values()].find((t) => t.slackChannel === channel)!;
        const blocks = JSON.stringify(messages[0]!.blocks);
        for (const issue of expected.filter((i) => i.team === team.id)) {
          const key = mine.get(issue.id)!.key;
          assert.ok(blocks.includes(`|${key}>`), `${channel} links ${key}`);
        }
      }
      assert.equal(first.summary.counts.messages, posted.length);

      // a second run finds nothing new: no write at all
      const second = await h.run(distribution);
      assert.equal(second.summary.effects.performed, 0);
      for (const counter of ['ticketsCreated', 'ticketsClosed', 'ticketsReopened', 'messages'] as const) {
        assert.equal(second.summary.counts[counter], 0, counter);
      }
      assert.equal((await h.jiraIssues()).length, jira.length);
      assert.deepEqual(
        (await slackMessages(h)).map((p) => p.messages.length),
        posted.map((p) => p.messages.length),
      );
      assert.equal(second.summary.apiCalls.jira ?? 0, 0);
    } finally {
      await h.close();
    }
  });

  it('a run stopped before its digests posts them, listing every ticket, when it is resumed', async () => {
    const h = await openWorkflowSandbox(openTestStore, TENANT);
    try {
      const options = h.options(distribution);
      const stop = new AbortController();
      const interrupted = await h.engine.run(distribution, {
        options,
        signal: stop.signal,
        // the tickets are filed and linked; the process dies before the first Slack call
        progress: (event) => {
          if (event.type === 'phase' && event.phase === 'team digests') stop.abort(new Error('killed'));
        },
      });
      assert.equal(interrupted.status, 'interrupted');
      const filed = byWizIssue(await h.jiraIssues());
      assert.ok(filed.size > 30);
      assert.deepEqual(await slackMessages(h), []);

      const resumed = await h.engine.run(distribution, { options });
      assert.equal(resumed.runId, interrupted.runId);
      assert.equal(resumed.resumed, true);
      assert.equal(resumed.summary.counts.ticketsCreated, 0, 'nothing filed twice');
      assert.equal(
        (await h.jiraIssues()).length,
        filed.size + h.sandbox.tenant.preexistingJiraIssues().length,
      );
      const listed = (await slackMessages(h)).flatMap((p) => p.messages.map((m) => JSON.stringify(m.blocks)));
      for (const ticket of filed.values()) {
        assert.equal(listed.filter((blocks) => blocks.includes(`|${ticket.key}>`)).length, 1, ticket.key);
      }
    } finally {
      await h.close();
    }
  });

  it('closes tickets of resolved issues and reopens those that come back, with a comment each time', async () => {
    const h = await openWorkflowSandbox(openTestStore, TENANT);
    try {
      await h.run(distribution);
      const ticketedAt0 = new Set(byWizIssue(await h.jiraIssues()).keys());

      h.advance();
      const afterResolve = tenantIssues(h.sandbox.tenant).filter(critHigh);
      const second = await h.run(distribution);
      assert.equal(second.status, 'succeeded', second.summary.error);
      const resolved = afterResolve.filter((i) => ticketedAt0.has(i.id) && i.status === 'RESOLVED');
      assert.ok(resolved.length >= 3);
      const arrived = afterResolve.filter(
        (i) => isOpenStatus(i.status) && !i.preTicket && !ticketedAt0.has(i.id),
      );
      assert.equal(second.summary.counts.ticketsClosed, resolved.length);
      assert.equal(second.summary.counts.ticketsCreated, arrived.length);

      let tickets = byWizIssue(await h.jiraIssues());
      for (const issue of afterResolve.filter((i) => tickets.has(i.id))) {
        const status = tickets.get(issue.id)!.fields.status.name;
        assert.equal(
          status,
          issue.status === 'RESOLVED' ? 'Done' : 'To Do',
          `${issue.id} is ${issue.status}`,
        );
      }
      for (const issue of resolved) {
        const comments = await h.jiraComments(tickets.get(issue.id)!.key);
        assert.equal(comments.length, 1);
        assert.match(comments[0]!, /Resolved at the source \(wiz /);
      }

      h.advance();
      const afterReturn = tenantIssues(h.sandbox.tenant).filter(critHigh);
      const back = afterReturn.filter((i) => resolved.some((r) => r.id === i.id) && isOpenStatus(i.status));
      assert.ok(back.length >= 1);
      const third = await h.run(distribution);
      assert.equal(third.summary.counts.ticketsReopened, back.length);
      tickets = byWizIssue(await h.jiraIssues());
      for (const issue of back) {
        const ticket = tickets.get(issue.id)!;
        assert.equal(ticket.fields.status.name, 'To Do');
        const comments = await h.jiraComments(ticket.key);
        assert.equal(comments.length, 2);
        assert.match(comments[1]!, /Open again at the source/);
      }
      // never a second ticket for a finding, however it came and went
      assert.deepEqual(duplicates(findingLabels(await h.jiraIssues())), []);
    } finally {
      await h.close();
    }
  });
});
