import type { Finding } from '../../../core/finding/model.js';
import { findingDetails, type JiraPriorityName, sourceLabels, teamFields, ticketSummary } from './content.js';
import { jiraTicketsOf } from './jira.js';
import type { TicketUnit } from './tickets.js';

/** The Jira fields a workflow chooses for a one-finding ticket; the rest comes from the finding and route. */
export interface FindingTicketFields {
  issueType: string;
  priority: JiraPriorityName;
  /** Labels before the finding's own Wiz issue labels, already in Jira form (`label()`). */
  labels: readonly string[];
}

/**
 * One ticket per finding, on the owning team's component (and assignee), adopting a ticket the source
 * already names (Wiz `serviceTickets`): the unit of both Wiz issue workflows.
 */
export function findingTicketUnit(
  finding: Finding,
  route: TicketUnit['route'],
  fields: FindingTicketFields,
): TicketUnit {
  return {
    key: finding.finding_key,
    findings: [finding],
    route,
    severity: finding.severity,
    knownTickets: jiraTicketsOf(finding),
    draft: () => ({
      summary: ticketSummary(finding),
      issueType: fields.issueType,
      details: findingDetails(finding),
      priority: fields.priority,
      labels: [...fields.labels, ...sourceLabels(finding)],
      ...teamFields(route),
    }),
  };
}
