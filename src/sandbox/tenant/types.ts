/**
 * The demo tenant's public shape: what every emulator and workflow set-up may read. The tenant is a pure
 * function of (seed, findings, scan): findings are generated on demand, never held all at once.
 */

export type CloudProvider = 'AWS' | 'Azure' | 'GCP';
export type Environment = 'prod' | 'staging' | 'dev';

export interface Team {
  /** Short id, used in tags and channel names: `payments`. */
  id: string;
  name: string;
  /** Slack channel the team is paged in: `#team-payments`. */
  slackChannel: string;
  /** Jira component (the project is `tenant.jiraProjectKey`). */
  jiraComponent: string;
  owner: { name: string; email: string };
  /** PagerDuty service the team's on-call rotation answers. */
  pagerdutyServiceId: string;
}

export interface CloudAccount {
  provider: CloudProvider;
  /** AWS account id, Azure subscription id or GCP project id. */
  externalId: string;
  name: string;
  environment: Environment;
  /** Owning team id. */
  team: string;
  ownerEmail: string;
  tags: Record<string, string>;
  /** Wiz project the account belongs to. */
  projectId: string;
}

export interface WizProject {
  id: string;
  name: string;
  slug: string;
  businessUnit: string;
  businessImpact: 'HBI' | 'MBI' | 'LBI';
}

/** A Jira issue that existed before Arx ran (a finding someone had already ticketed). */
export interface PreexistingJiraIssue {
  key: string;
  summary: string;
  /** Plain text; the Jira emulator wraps it in ADF. */
  description: string;
  issueType: 'Bug' | 'Task';
  priority: 'Highest' | 'High' | 'Medium' | 'Low' | 'Lowest';
  status: 'To Do' | 'In Progress' | 'Done';
  labels: string[];
  component: string;
  created: string;
  updated: string;
  /** The Wiz issue whose `serviceTickets` names this key. */
  wizIssueId: string;
}

/** What emulators other than Wiz and Qualys need from the tenant. */
export interface SandboxTenantView {
  readonly seed: number;
  /** Jira project the tenant's tickets live in. */
  readonly jiraProjectKey: string;
  /** Scan number: 0 at start, +1 per `advance()`. */
  readonly scan: number;
  teams(): Team[];
  accounts(): CloudAccount[];
  /** Account external id -> owning team id, for routing rules. */
  accountOwners(): Record<string, string>;
  /** Tickets that already exist in Jira for some findings (Wiz `serviceTickets` point at them). */
  preexistingJiraIssues(): PreexistingJiraIssue[];
}
