import type { IssueStatus } from './lifecycle.js';
import { resourceFor } from './misconfig.js';
import type { DemoTenant } from './tenant.js';
import type { KindLayout } from './timeline.js';
import type { PreexistingJiraIssue } from './types.js';

/**
 * Some issues were ticketed before Arx arrived: every 37th initial issue (offset 5), at most 200 of them,
 * so the list is enumerable without scanning the tenant. They are being worked on, so they start open.
 */
const TICKET_STRIDE = 37;
const TICKET_OFFSET = 5;
const MAX_TICKETS = 200;

export const TICKET_START: ReadonlyArray<readonly [IssueStatus, number]> = [
  ['IN_PROGRESS', 60],
  ['OPEN', 40],
];

export function isTicketed(layout: KindLayout, index: number): boolean {
  return (
    index < layout.base &&
    index % TICKET_STRIDE === TICKET_OFFSET &&
    Math.floor(index / TICKET_STRIDE) < MAX_TICKETS
  );
}

export function ticketKeyFor(layout: KindLayout, index: number, projectKey: string): string | undefined {
  return isTicketed(layout, index) ? `${projectKey}-${Math.floor(index / TICKET_STRIDE) + 1}` : undefined;
}

const PRIORITY = {
  CRITICAL: 'Highest',
  HIGH: 'High',
  MEDIUM: 'Medium',
  LOW: 'Low',
  INFORMATIONAL: 'Lowest',
} as const;
const JIRA_STATUS: Record<IssueStatus, PreexistingJiraIssue['status']> = {
  OPEN: 'To Do',
  IN_PROGRESS: 'In Progress',
  RESOLVED: 'Done',
  REJECTED: 'Done',
};

export function preexistingIssues(tenant: DemoTenant): PreexistingJiraIssue[] {
  const issues: PreexistingJiraIssue[] = [];
  const layout = tenant.layouts.issue;
  for (let index = TICKET_OFFSET; index < layout.base; index += TICKET_STRIDE) {
    const key = ticketKeyFor(layout, index, tenant.jiraProjectKey);
    if (!key) break;
    const core = tenant.issueCore(index);
    const created = tenant.createdAt('issue', index, core.jitter);
    const lifecycle = tenant.issueLifecycle(index, core);
    const resource = resourceFor(core, tenant.id('resource', index));
    const team = tenant.teams().find((t) => t.id === core.account.team)!;
    const wizIssueId = tenant.id('issue', index);
    issues.push({
      key,
      summary: `[Wiz] ${core.rule.name}: ${resource.name}`,
      description:
        `Wiz issue ${wizIssueId} (${core.severity}) on ${resource.type} ${resource.name} ` +
        `in ${core.account.provider} account ${core.account.name} (${core.account.externalId}), ${resource.region}.\n` +
        `Resource: ${resource.providerId}`,
      issueType: core.type === 'THREAT_DETECTION' ? 'Task' : 'Bug',
      priority: PRIORITY[core.severity],
      status: JIRA_STATUS[lifecycle.status],
      labels: ['security', 'wiz', `wiz-issue-${wizIssueId}`],
      component: team.jiraComponent,
      created: new Date(created + 3_600_000).toISOString(),
      updated: new Date(Math.max(created + 3_600_000, lifecycle.statusChangedAt)).toISOString(),
      wizIssueId,
    });
  }
  return issues;
}
