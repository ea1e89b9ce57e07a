import type { Finding } from '../../../core/finding/model.js';
import { z } from '../../sdk/index.js';

/** Jira issue keys (`SEC-412`): what a source's ticket reference must look like to be adopted. */
const ISSUE_KEY = /^[A-Z][A-Z0-9_]*-\d+$/;

/**
 * `project_key` in arx.yaml. Absent, tickets go to the Jira connector's project (`JIRA_PROJECT_KEY`, or
 * `connectors.jira.project_key`), so a README's `export JIRA_PROJECT_KEY=...` set-up needs no option.
 */
export function projectKeyOption() {
  return z
    .string()
    .trim()
    .regex(/^[A-Z][A-Z0-9_]+$/, 'a Jira project key such as SEC')
    .optional();
}

/** The Jira tickets a finding's sources already name (Wiz `serviceTickets`), oldest source first. */
export function jiraTicketsOf(finding: Pick<Finding, 'sources'>): Array<{ key: string; url?: string }> {
  const seen = new Set<string>();
  const tickets: Array<{ key: string; url?: string }> = [];
  for (const ticket of finding.sources.flatMap((s) => s.tickets)) {
    if (ticket.system !== 'jira' || !ISSUE_KEY.test(ticket.key) || seen.has(ticket.key)) continue;
    seen.add(ticket.key);
    tickets.push({ key: ticket.key, ...(ticket.url ? { url: ticket.url } : {}) });
  }
  return tickets;
}
