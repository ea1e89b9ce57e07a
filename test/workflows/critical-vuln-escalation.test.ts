import assert from 'node:assert/strict';
import { it } from 'node:test';
import escalation from '../../src/workflows/library/critical-vuln-escalation/workflow.js';
import { forEachStore } from '../support/stores.js';
import { duplicates, tenantVulns } from '../support/tenant-truth.js';
import {
  findingLabels,
  type JiraIssue,
  openWorkflowSandbox,
  plainText,
} from '../support/workflow-sandbox.js';

/**
 * critical-vuln-escalation end to end: Wiz and Qualys report the same CVE on the same hosts; each unique
 * critical CVE pages once (PagerDuty's own incident list) and gets one Jira Blocker with the CVE data and
 * the incident link (Jira search). Seed 10 / 150 findings: ~23 critical CVEs, five fully fixed by the next
 * scan, one of them back in the scan after.
 */
const TENANT = { findings: 150, seed: 10 };
// every run reads everything, so a vulnerability that comes back is seen at once (see shared/ingest.ts)
const EXACT = { full_read_every_hours: 0 };

/** CVE → is any host still affected, over every critical vulnerability the tenant has had. */
function criticalCves(tenant: Parameters<typeof tenantVulns>[0]) {
  const cves = new Map<string, { open: boolean; openHosts: Set<number>; cvss?: number }>();
  for (const v of tenantVulns(tenant).filter((v) => v.severity === 'CRITICAL')) {
    const entry = cves.get(v.cve) ?? { open: false, openHosts: new Set<number>() };
    if (v.open) {
      entry.open = true;
      entry.openHosts.add(v.host);
    }
    cves.set(v.cve, entry);
  }
  return cves;
}

const ticketOf = (issues: readonly JiraIssue[], cve: string) =>
  issues.find((i) => i.fields.labels.includes(`arx-cve-${cve}`));

forEachStore('critical-vuln-escalation', (openTestStore) => {
  it('pages once per unique critical CVE and files one Blocker with the CVE data and the incident link', async () => {
    const h = await openWorkflowSandbox(openTestStore, TENANT);
    try {
      const truth = criticalCves(h.sandbox.tenant);
      const open = [...truth.entries()].filter(([, c]) => c.open);
      assert.ok(open.length > 15);
      const run = await h.run(escalation);
      assert.equal(run.status, 'succeeded', run.summary.error);

      const incidents = await h.pagerdutyIncidents();
      assert.deepEqual(incidents.map((i) => i.incident_key).sort(), open.map(([cve]) => `cve-${cve}`).sort());
      for (const incident of incidents) {
        assert.equal(incident.urgency, 'high');
        assert.equal(incident.status, 'triggered');
        assert.match(incident.title, /^\[P1\] CVE-\d{4}-\d+/);
      }
      assert.equal(run.summary.counts.pages, open.length);
      // Qualys saw two hosts in three as well: those reports were merged, not paged or ticketed twice
      assert.ok((run.summary.extra.duplicatesMerged ?? 0) > 0);

      const jira = await h.jiraIssues();
      assert.deepEqual(duplicates(findingLabels(jira)), []);
      for (const [cve, facts] of open) {
        const ticket = ticketOf(jira, cve);
        assert.ok(ticket, `a ticket for ${cve}`);
        assert.equal(ticket.fields.priority?.name, 'Blocker');
        const n = facts.openHosts.size;
        assert.match(ticket.fields.summary, new RegExp(`^\\[CRITICAL\\] ${cve}.*: ${n} assets? affected$`));
        const text = plainText(ticket.fields.description);
        const incident = incidents.find((i) => i.incident_key === `cve-${cve}`)!;
        assert.ok(text.includes(`PagerDuty incident ${incident.id}`), `${ticket.key} links ${incident.id}`);
        assert.ok(JSON.stringify(ticket.fields.description).includes(incident.html_url));
        assert.match(text, /CVSS \d+(\.\d+)?, EPSS [\d.]+, in CISA KEV/);
        assert.match(text, new RegExp(`Affected assets \\(${n}\\)`));
      }

      const again = await h.run(escalation);
      assert.equal(again.summary.effects.performed, 0);
      assert.equal(again.summary.counts.pages, 0);
      assert.equal((await h.pagerdutyIncidents()).length, incidents.length);
      assert.equal((await h.jiraIssues()).length, jira.length);
    } finally {
      await h.close();
    }
  });

  it('resolves the incident and closes the ticket when every host is fixed; pages again if the CVE returns', async () => {
    const h = await openWorkflowSandbox(openTestStore, TENANT);
    try {
      const start = criticalCves(h.sandbox.tenant);
      await h.run(escalation, EXACT);

      h.advance();
      const later = criticalCves(h.sandbox.tenant);
      const fixed = [...start.keys()].filter((cve) => start.get(cve)!.open && !later.get(cve)!.open);
      assert.ok(fixed.length >= 2);
      const second = await h.run(escalation, EXACT);
      assert.equal(second.summary.extra.incidentsResolved, fixed.length);
      assert.equal(second.summary.counts.ticketsClosed, fixed.length);
      let incidents = await h.pagerdutyIncidents();
      let jira = await h.jiraIssues();
      for (const cve of fixed) {
        assert.deepEqual(
          incidents.filter((i) => i.incident_key === `cve-${cve}`).map((i) => i.status),
          ['resolved'],
        );
        assert.equal(ticketOf(jira, cve)!.fields.status.name, 'Done');
      }

      h.advance();
      const back = fixed.filter((cve) => criticalCves(h.sandbox.tenant).get(cve)!.open);
      assert.ok(back.length >= 1);
      const third = await h.run(escalation, EXACT);
      assert.equal(third.summary.counts.ticketsReopened, back.length);
      incidents = await h.pagerdutyIncidents();
      jira = await h.jiraIssues();
      for (const cve of back) {
        // a recurrence is a new page; the old incident stays resolved
        assert.deepEqual(
          incidents
            .filter((i) => i.incident_key === `cve-${cve}`)
            .map((i) => i.status)
            .sort(),
          ['resolved', 'triggered'],
        );
        const ticket = ticketOf(jira, cve)!;
        assert.equal(ticket.fields.status.name, 'To Do');
        assert.match((await h.jiraComments(ticket.key)).at(-1)!, /Open again at the source/);
      }
      assert.deepEqual(duplicates(findingLabels(jira)), []);
      const triggered = incidents.filter((i) => i.status !== 'resolved').map((i) => i.incident_key);
      assert.deepEqual(duplicates(triggered), [], 'never two open incidents for one CVE');
    } finally {
      await h.close();
    }
  });
});
