import assert from 'node:assert/strict';
import { it } from 'node:test';
import misconfig from '../../src/workflows/library/cloud-misconfig-remediation/workflow.js';
import { defineWorkflow } from '../../src/workflows/sdk/index.js';
import { forEachStore } from '../support/stores.js';
import { duplicates, isOpenStatus, tally, tenantIssues } from '../support/tenant-truth.js';
import { findingLabels, type JiraIssue, openWorkflowSandbox } from '../support/workflow-sandbox.js';

/**
 * cloud-misconfig-remediation end to end against the sandbox, checked through Jira search and Slack
 * history; and its shipped policy: a write-back to Wiz or a direct remediation, attempted under its name,
 * is denied, audited, and changes nothing.
 */
const TENANT = { findings: 200, seed: 12 };
const SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM'];
const inScope = (i: { severity: string; type: string }) =>
  i.type === 'CLOUD_CONFIGURATION' && SEVERITIES.includes(i.severity);

function byWizIssue(issues: readonly JiraIssue[]): Map<string, JiraIssue> {
  const out = new Map<string, JiraIssue>();
  for (const issue of issues) {
    const label = issue.fields.labels.find((l) => l.startsWith('wiz-issue-'));
    if (label && findingLabels([issue]).length > 0) out.set(label.slice('wiz-issue-'.length), issue);
  }
  return out;
}

forEachStore('cloud-misconfig-remediation', (openTestStore) => {
  it('files a ticket per open misconfiguration with the mapped priority and the team’s component; one summary per team', async () => {
    const h = await openWorkflowSandbox(openTestStore, TENANT);
    try {
      const truth = tenantIssues(h.sandbox.tenant).filter(inScope);
      const run = await h.run(misconfig, { priority_map: { critical: 'Blocker', medium: 'Low' } });
      assert.equal(run.status, 'succeeded', run.summary.error);

      const jira = await h.jiraIssues();
      assert.deepEqual(duplicates(findingLabels(jira)), []);
      const tickets = byWizIssue(jira);
      const expected = truth.filter((i) => isOpenStatus(i.status) && !i.preTicket);
      assert.ok(expected.length > 40);
      assert.deepEqual([...tickets.keys()].sort(), expected.map((i) => i.id).sort());

      const teams = new Map(h.sandbox.tenant.teams().map((t) => [t.id, t]));
      const priority: Record<string, string> = { CRITICAL: 'Blocker', HIGH: 'High', MEDIUM: 'Low' };
      for (const issue of expected) {
        const ticket = tickets.get(issue.id)!;
        assert.equal(ticket.fields.priority?.name, priority[issue.severity]);
        assert.deepEqual(
          ticket.fields.components?.map((c) => c.name),
          [teams.get(issue.team)!.jiraComponent],
        );
        assert.ok(ticket.fields.labels.includes(`cloud-account-${issue.account}`));
      }
      // toxic combinations and threat detections are not misconfigurations
      const others = tenantIssues(h.sandbox.tenant).filter((i) => i.type !== 'CLOUD_CONFIGURATION');
      for (const issue of others) assert.equal(tickets.has(issue.id), false);

      // each team's summary counts its open misconfigurations per severity, in its own channel
      for (const team of new Set(expected.map((i) => i.team))) {
        const messages = await h.slackHistory(teams.get(team)!.slackChannel);
        assert.equal(messages.length, 1);
        const open = truth.filter((i) => i.team === team && isOpenStatus(i.status));
        const counts = tally(open.map((i) => i.severity.toLowerCase()));
        const parts = ['critical', 'high', 'medium']
          .filter((s) => counts.get(s))
          .map((s) => `${counts.get(s)} ${s}`);
        assert.match(
          messages[0]!.text,
          new RegExp(`^Cloud misconfigurations: ${team}: ${parts.join(', ')};`),
        );
        assert.match(JSON.stringify(messages[0]!.blocks), /Open by account: /);
      }

      const again = await h.run(misconfig, { priority_map: { critical: 'Blocker', medium: 'Low' } });
      assert.equal(again.summary.effects.performed, 0);
      assert.equal(again.summary.counts.messages, 0);
      assert.equal((await h.jiraIssues()).length, jira.length);
    } finally {
      await h.close();
    }
  });

  it('denies and audits a write-back to Wiz or a direct remediation attempted as this workflow', async () => {
    const h = await openWorkflowSandbox(openTestStore, { findings: 60, seed: 3 });
    try {
      const target = tenantIssues(h.sandbox.tenant).find((i) => i.status === 'OPEN')!;
      // the same principal as the workflow (policy and audit know workflows by name), trying what it must not
      const rogue = defineWorkflow({
        name: misconfig.name,
        description: 'tries to resolve the Wiz issue itself and to fix the bucket directly',
        connectors: ['wiz', 'aws'],
        async run(ctx) {
          await ctx.each(
            [
              () =>
                ctx.op('wiz:issues:update', {
                  issueId: target.id,
                  patch: { status: 'RESOLVED', resolutionReason: 'ISSUE_FIXED', note: 'fixed by automation' },
                }),
              () => ctx.op('wiz:issues:comment', { issueId: target.id, text: 'ticket filed' }),
              () =>
                ctx.op('aws:s3:put-public-access-block', {
                  accountId: '123456789012',
                  bucket: 'prod-customer-uploads',
                }),
            ],
            (attempt) => attempt(),
          );
        },
      });
      const run = await h.engine.run(rogue, { options: {}, fresh: true });
      assert.equal(run.status, 'succeeded');
      assert.equal(run.summary.counts.denied, 3);
      assert.equal(h.sandbox.tenant.issueLifecycle(target.index).status, 'OPEN');
      assert.deepEqual(h.sandbox.tenant.notes(target.index), []);

      const denials = (await h.audit()).filter((e) => e.kind === 'intent' && e.verdict === 'deny');
      assert.deepEqual(
        denials.map((e) => [e.action, e.actor, e.payload.rule, e.run_id]),
        [
          [
            'wiz:issues:update',
            'workflow:cloud-misconfig-remediation',
            'cloud-misconfig-remediation.no-scanner-writes',
            run.runId,
          ],
          [
            'wiz:issues:comment',
            'workflow:cloud-misconfig-remediation',
            'cloud-misconfig-remediation.no-scanner-writes',
            run.runId,
          ],
          [
            'aws:s3:put-public-access-block',
            'workflow:cloud-misconfig-remediation',
            'cloud-misconfig-remediation.no-direct-remediation',
            run.runId,
          ],
        ],
      );
      const wiz = await h.audit('wiz:issues:update');
      assert.equal(wiz.filter((e) => e.kind !== 'intent').length, 0, 'no result: the call never reached Wiz');
    } finally {
      await h.close();
    }
  });
});
