import type { AdfNode } from './adf.js';
import type { IssueType, JiraUser, Priority, Status } from './catalog.js';

/** The emulated site's state types: what the emulator keeps per issue, in memory, per instance. */

export interface Component {
  id: string;
  name: string;
}

export interface Project {
  id: string;
  key: string;
  name: string;
  lead: JiraUser;
  components: Component[];
}

export interface IssueFields {
  summary: string;
  description: AdfNode | null;
  environment: AdfNode | null;
  issuetype: IssueType;
  priority: Priority;
  labels: string[];
  components: string[];
  assignee: JiraUser | null;
  reporter: JiraUser;
  duedate: string | null;
  status: Status;
  resolution: { id: string; name: string } | null;
  resolutiondate: Date | null;
  created: Date;
  updated: Date;
}

export interface JiraComment {
  id: string;
  author: JiraUser;
  body: AdfNode;
  created: Date;
  updated: Date;
}

export interface JiraIssueRecord {
  id: string;
  key: string;
  project: Project;
  fields: IssueFields;
  comments: JiraComment[];
  properties: Map<string, unknown>;
  /** When the search index sees the issue (the real index is eventually consistent). */
  searchableAt: number;
}

/** What field validation needs to know about the site. */
export interface SiteFacts {
  project: Project;
  users: readonly JiraUser[];
  priorities: readonly Priority[];
}

/** A ticket that exists before Arx runs, e.g. one the demo tenant says was already filed for a finding. */
export interface SeedIssue {
  key?: string;
  summary: string;
  /** Plain text (wrapped into ADF) or an ADF document. */
  description?: string | AdfNode;
  issueType?: string;
  priority?: string;
  status?: 'To Do' | 'In Progress' | 'Done';
  labels?: string[];
  component?: string;
  created?: string;
  updated?: string;
}
