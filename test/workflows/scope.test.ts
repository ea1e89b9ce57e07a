import assert from 'node:assert/strict';
import { it } from 'node:test';
import misconfig from '../../src/workflows/library/cloud-misconfig-remediation/workflow.js';
import distribution from '../../src/workflows/library/wiz-finding-distribution/workflow.js';
import { forEachStore } from '../support/stores.js';
import { duplicates, tenantIssues } from '../support/tenant-truth.js';
import { findingLabels, type JiraIssue, openWorkflowSandbox } from '../support/workflow-sandbox.js';

/**
 * Two workflows on one store and one Jira: a finding is ticketed once whoever gets there first, and a
 * workflow only ever closes tickets it filed for findings inside its own filters.
 */
const TENANT = { findings: 200, seed: 12 };

function ticketsByIssue(issues: readonly JiraIssue[]): Map<string, JiraIssue> {
  const out = new Map<string, JiraIssue>();
  for (const issue of issues) {
    const label = issue.fields.labels.find((l) => l.startsWith('wiz-issue-'));
    if (label && findingLabels([issue]).length > 0) out.set(label.slice('wiz-issue-'.length), issue);
  }
  return out;
}

forEachStore('workflow scope', (openTestStore) => {
  it('never files a second ticket for a finding another workflow ticketed, and never closes its tickets', async () => {
    const h = await openWorkflowSandbox(openTestStore, TENANT);
    try {
      await h.run(misconfig);
      const byMisconfig = new Set(ticketsByIssue(await h.jiraIssues()).keys());
      const second = await h.run(distribution);
      const tickets = ticketsByIssue(await h.jiraIssues());
      assert.deepEqual(duplicates(findingLabels(await h.jiraIssues())), []);
      const overlap = tenantIssues(h.sandbox.tenant).filter(
        (i) => byMisconfig.has(i.id) && (i.severity === 'CRITICAL' || i.severity === 'HIGH'),
      );
      assert.ok(overlap.length > 10, 'critical/high misconfigurations are in both workflows’ scope');
      assert.equal(second.summary.counts.ticketsCreated, tickets.size - byMisconfig.size);

      h.advance();
      const now = tenantIssues(h.sandbox.tenant);
      const resolvedOfMisconfig = now.filter((i) => byMisconfig.has(i.id) && i.status === 'RESOLVED');
      const resolvedOfDistribution = now.filter(
        (i) => tickets.has(i.id) && !byMisconfig.has(i.id) && i.status === 'RESOLVED',
      );
      assert.ok(resolvedOfMisconfig.length > 0 && resolvedOfDistribution.length > 0);

      const third = await h.run(distribution);
      assert.equal(third.summary.counts.ticketsClosed, resolvedOfDistribution.length);
      let after = ticketsByIssue(await h.jiraIssues());
      for (const issue of resolvedOfMisconfig) assert.equal(after.get(issue.id)!.fields.status.name, 'To Do');
      for (const issue of resolvedOfDistribution)
        assert.equal(after.get(issue.id)!.fields.status.name, 'Done');

      const fourth = await h.run(misconfig);
      assert.equal(fourth.summary.counts.ticketsClosed, resolvedOfMisconfig.length);
      after = ticketsByIssue(await h.jiraIssues());
      for (const issue of resolvedOfMisconfig) assert.equal(after.get(issue.id)!.fields.status.name, 'Done');
    } finally {
      await h.close();
    }
  });

  it('leaves tickets of findings outside its severity filter alone', async () => {
    const h = await openWorkflowSandbox(openTestStore, TENANT);
    try {
      await h.run(distribution, { severities: ['CRITICAL', 'HIGH'] });
      const ticketed = ticketsByIssue(await h.jiraIssues());
      h.advance();
      const resolved = tenantIssues(h.sandbox.tenant).filter(
        (i) => ticketed.has(i.id) && i.status === 'RESOLVED',
      );
      const highs = resolved.filter((i) => i.severity === 'HIGH');
      const criticals = resolved.filter((i) => i.severity === 'CRITICAL');
      assert.ok(highs.length > 0);

      const narrower = await h.run(distribution, { severities: ['CRITICAL'] });
      assert.equal(narrower.summary.counts.ticketsClosed, criticals.length);
      const after = ticketsByIssue(await h.jiraIssues());
      for (const issue of highs) assert.equal(after.get(issue.id)!.fields.status.name, 'To Do');
    } finally {
      await h.close();
    }
  });
});
