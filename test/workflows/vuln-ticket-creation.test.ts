import assert from 'node:assert/strict';
import { it } from 'node:test';
import vulnTickets from '../../src/workflows/library/vuln-ticket-creation/workflow.js';
import { forEachStore } from '../support/stores.js';
import { duplicates, tenantVulns } from '../support/tenant-truth.js';
import { findingLabels, openWorkflowSandbox, plainText } from '../support/workflow-sandbox.js';

/**
 * vuln-ticket-creation end to end: Wiz sees every host, Qualys two in three, so most CVE-on-host pairs
 * arrive twice. Each pair gets exactly one ticket (Jira search), prioritised by the unified score: the
 * Jira priority follows the score's label, the factors are in the description, and tickets are filed most
 * urgent first.
 */
const TENANT = { findings: 150, seed: 10 };
const JIRA_PRIORITY: Record<string, string> = { P1: 'Highest', P2: 'High', P3: 'Medium', P4: 'Low' };
const critHigh = (v: { severity: string }) => v.severity === 'CRITICAL' || v.severity === 'HIGH';

forEachStore('vuln-ticket-creation', (openTestStore) => {
  it('files one prioritised ticket per CVE and asset, however many scanners reported it', async () => {
    const h = await openWorkflowSandbox(openTestStore, TENANT);
    try {
      const expected = tenantVulns(h.sandbox.tenant).filter((v) => critHigh(v) && v.open);
      const run = await h.run(vulnTickets, { full_read_every_hours: 0 });
      assert.equal(run.status, 'succeeded', run.summary.error);

      const jira = (await h.jiraIssues()).filter((i) => findingLabels([i]).length > 0);
      assert.deepEqual(duplicates(findingLabels(jira)), []);
      assert.equal(jira.length, expected.length, 'one ticket per CVE on a host');
      const bothScanners = jira.filter((i) => i.fields.labels.includes('seen-by-qualys'));
      assert.equal(bothScanners.length, expected.filter((v) => v.qualys).length);
      for (const issue of bothScanners) assert.ok(issue.fields.labels.includes('seen-by-wiz'));
      // every critical/high report of a Qualys-scanned host, open or fixed, was merged into Wiz's
      const scannedTwice = tenantVulns(h.sandbox.tenant).filter((v) => critHigh(v) && v.qualys);
      assert.equal(run.summary.extra.duplicatesMerged, scannedTwice.length);

      const scores: number[] = [];
      for (const issue of [...jira].sort((a, b) => keyNumber(a.key) - keyNumber(b.key))) {
        const text = plainText(issue.fields.description);
        const head = /Priority (P[1-4]) \(score (\d+) of 100\)/.exec(text);
        assert.ok(head, `${issue.key} explains its priority`);
        assert.equal(issue.fields.priority?.name, JIRA_PRIORITY[head[1]!]);
        assert.ok(issue.fields.labels.includes(`priority-${head[1]}`));
        assert.match(text, /\+\d+(\.\d+)? severity: (critical|high) severity/);
        assert.match(text, /kev|KEV/);
        scores.push(Number(head[2]));
      }
      assert.deepEqual(
        scores,
        [...scores].sort((a, b) => b - a),
        'filed most urgent first',
      );
      assert.ok(new Set(scores).size > 1);

      h.advance();
      const openNow = new Set(
        tenantVulns(h.sandbox.tenant)
          .filter((v) => v.open)
          .map((v) => v.index),
      );
      const fixed = expected.filter((v) => !openNow.has(v.index));
      assert.ok(fixed.length > 0);
      const second = await h.run(vulnTickets, { full_read_every_hours: 0 });
      assert.equal(second.summary.counts.ticketsClosed, fixed.length);
      const third = await h.run(vulnTickets, { full_read_every_hours: 0 });
      assert.equal(third.summary.effects.performed, 0);
    } finally {
      await h.close();
    }
  });
});

function keyNumber(key: string): number {
  return Number(key.split('-')[1]);
}
