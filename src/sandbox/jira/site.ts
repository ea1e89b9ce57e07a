import type { Clock } from '../../core/clock.js';
import { type AdfNode, adfFromText, checkAdf } from './adf.js';
import {
  ALL_STATUSES,
  DEFAULT_PRIORITIES,
  DEFAULT_PRIORITY_NAME,
  ISSUE_TYPES,
  type JiraUser,
  type Priority,
  STATUSES,
  transitionsFrom,
} from './catalog.js';
import { readFields } from './fields.js';
import type { IssueFields, JiraComment, JiraIssueRecord, Project, SeedIssue, SiteFacts } from './model.js';

export interface JiraSiteOptions {
  clock: Clock;
  random: () => number;
  projectKey: string;
  projectName: string;
  /** The API-token owner (`/myself`, reporter of everything the emulator creates). */
  me: { displayName: string; emailAddress: string };
  /** Other people on the site, assignable by accountId. */
  users: Array<{ displayName: string; emailAddress: string }>;
  components: string[];
  priorities?: readonly Priority[];
}

export interface WriteErrors {
  errorMessages: string[];
  errors: Record<string, string>;
  /** Sandbox-only detail for Jira's deliberately vague messages (sent as `X-Sandbox-Reason`). */
  reason?: string;
}

const DONE_RESOLUTION = { id: '10000', name: 'Done' };

/** One emulated Jira Cloud site: projects, people and issues, in memory. */
export class JiraSite implements SiteFacts {
  readonly project: Project;
  readonly projects: Project[];
  readonly me: JiraUser;
  readonly users: JiraUser[];
  readonly priorities: readonly Priority[];
  /** In creation order; search sorts its own copy. */
  readonly issues: JiraIssueRecord[] = [];
  private readonly byId = new Map<string, JiraIssueRecord>();
  private readonly byKey = new Map<string, JiraIssueRecord>();
  private readonly counters = new Map<string, number>();
  private nextIssueId = 10000;
  private nextCommentId = 10000;

  constructor(private readonly options: JiraSiteOptions) {
    const accountId = () =>
      Array.from({ length: 24 }, () => Math.floor(options.random() * 16).toString(16)).join('');
    this.me = { accountId: accountId(), ...options.me };
    this.users = [this.me, ...options.users.map((u) => ({ accountId: accountId(), ...u }))];
    this.priorities = options.priorities ?? DEFAULT_PRIORITIES;
    this.project = {
      id: '10000',
      key: options.projectKey,
      name: options.projectName,
      lead: this.me,
      components: options.components.map((name, i) => ({ id: String(10000 + i), name })),
    };
    this.projects = [this.project];
  }

  now(): Date {
    return this.options.clock.now();
  }

  find(idOrKey: string): JiraIssueRecord | undefined {
    return this.byId.get(idOrKey) ?? this.byKey.get(idOrKey.toUpperCase());
  }

  findProject(idOrKey: unknown): Project | undefined {
    if (typeof idOrKey !== 'string') return undefined;
    return this.projects.find((p) => p.id === idOrKey || p.key.toLowerCase() === idOrKey.toLowerCase());
  }

  /** Validates and creates from a create-issue body's `fields` (and optional entity `properties`). */
  create(
    fields: Record<string, unknown>,
    properties: unknown,
    searchLagMs: number,
  ): { issue: JiraIssueRecord } | WriteErrors {
    const projectRef = fields.project as { key?: unknown; id?: unknown } | undefined;
    const project = this.findProject(projectRef?.key ?? projectRef?.id);
    const read = readFields(fields, this, 'create');
    const errors = { ...read.errors };
    if (!projectRef) errors.project = 'Specify a valid project ID or key';
    else if (!project) errors.project = 'valid project is required';
    if (fields.issuetype === undefined) errors.issuetype = 'Specify an issue type';
    if (fields.summary === undefined) errors.summary = 'You must specify a summary of the issue.';
    if (!isPropertyList(properties)) errors.properties = 'Issue properties must be an array of {key, value}';
    if (Object.keys(errors).length > 0 || read.errorMessages.length > 0 || !project) {
      return { errorMessages: read.errorMessages, errors, ...(read.reason ? { reason: read.reason } : {}) };
    }
    const issue = this.insert(project, this.blankFields(), searchLagMs);
    for (const change of read.apply) change(issue.fields);
    for (const { key, value } of (properties as Array<{ key: string; value: unknown }> | undefined) ?? []) {
      issue.properties.set(key, value);
    }
    return { issue };
  }

  /** Applies an edit's `fields` and `update` operations atomically: all or nothing. */
  edit(
    issue: JiraIssueRecord,
    fields: Record<string, unknown>,
    update: Record<string, unknown>,
  ): WriteErrors | undefined {
    const read = readFields(fields, this, 'edit');
    const errors = { ...read.errors };
    const labels = applyLabelOps(issue.fields.labels, update.labels);
    if (typeof labels === 'string') errors.labels = labels;
    const comments = commentOps(update.comment);
    if (typeof comments === 'string') errors.comment = comments;
    for (const name of Object.keys(update)) {
      if (name !== 'labels' && name !== 'comment') {
        errors[name] = `Field '${name}' cannot be set. It is not on the appropriate screen, or unknown.`;
      }
    }
    if (Object.keys(errors).length > 0 || read.errorMessages.length > 0) {
      return { errorMessages: read.errorMessages, errors, ...(read.reason ? { reason: read.reason } : {}) };
    }
    for (const change of read.apply) change(issue.fields);
    if (Array.isArray(labels)) issue.fields.labels = labels;
    for (const body of comments as AdfNode[]) this.comment(issue, body);
    issue.fields.updated = this.now();
    return undefined;
  }

  /** Moves an issue through the workflow; Done sets a resolution, leaving Done clears it. */
  transition(issue: JiraIssueRecord, transitionId: unknown): string | undefined {
    const transition = transitionsFrom(issue.fields.status).find((t) => t.id === String(transitionId));
    if (!transition) return `Transition id '${String(transitionId)}' is not valid for this issue.`;
    const now = this.now();
    issue.fields.status = transition.to;
    const done = transition.to.category.key === 'done';
    issue.fields.resolution = done ? DONE_RESOLUTION : null;
    issue.fields.resolutiondate = done ? now : null;
    issue.fields.updated = now;
    return undefined;
  }

  comment(issue: JiraIssueRecord, body: AdfNode): JiraComment {
    const now = this.now();
    const comment = { id: String(this.nextCommentId++), author: this.me, body, created: now, updated: now };
    issue.comments.push(comment);
    issue.fields.updated = now;
    return comment;
  }

  /** Adds a pre-existing ticket (search sees it at once). */
  seed(seed: SeedIssue): JiraIssueRecord {
    const projectKey = seed.key?.split('-')[0] ?? this.project.key;
    const project = this.findProject(projectKey) ?? this.addProject(projectKey);
    const fields = this.blankFields();
    fields.summary = seed.summary;
    if (seed.description !== undefined) {
      fields.description =
        typeof seed.description === 'string' ? adfFromText(seed.description) : seed.description;
    }
    fields.issuetype = ISSUE_TYPES.find((t) => t.name === seed.issueType) ?? fields.issuetype;
    fields.priority = this.priorities.find((p) => p.name === seed.priority) ?? fields.priority;
    fields.status = ALL_STATUSES.find((s) => s.name === seed.status) ?? STATUSES.toDo;
    fields.labels = [...(seed.labels ?? [])];
    fields.components = seed.component ? [seed.component] : [];
    if (seed.created) fields.created = new Date(seed.created);
    fields.updated = seed.updated ? new Date(seed.updated) : fields.created;
    if (fields.status.category.key === 'done') {
      fields.resolution = DONE_RESOLUTION;
      fields.resolutiondate = fields.updated;
    }
    if (seed.component && !project.components.some((c) => c.name === seed.component)) {
      project.components.push({ id: String(10000 + project.components.length), name: seed.component });
    }
    return this.insert(project, fields, 0, seed.key);
  }

  private insert(project: Project, fields: IssueFields, searchLagMs: number, key?: string): JiraIssueRecord {
    const number = key ? Number(key.split('-')[1]) : (this.counters.get(project.key) ?? 0) + 1;
    this.counters.set(project.key, Math.max(number, this.counters.get(project.key) ?? 0));
    const issue: JiraIssueRecord = {
      id: String(this.nextIssueId++),
      key: `${project.key}-${number}`,
      project,
      fields,
      comments: [],
      properties: new Map(),
      // Lag applies to what Arx creates; seeded tickets were indexed long ago.
      searchableAt: searchLagMs > 0 ? fields.created.getTime() + searchLagMs : 0,
    };
    this.issues.push(issue);
    this.byId.set(issue.id, issue);
    this.byKey.set(issue.key, issue);
    return issue;
  }

  private addProject(key: string): Project {
    const project = {
      id: String(10000 + this.projects.length),
      key,
      name: key,
      lead: this.me,
      components: [],
    };
    this.projects.push(project);
    return project;
  }

  private blankFields(): IssueFields {
    const now = this.now();
    return {
      summary: '',
      description: null,
      environment: null,
      issuetype: ISSUE_TYPES[0]!,
      priority: this.priorities.find((p) => p.name === DEFAULT_PRIORITY_NAME) ?? this.priorities[0]!,
      labels: [],
      components: [],
      assignee: null,
      reporter: this.me,
      duedate: null,
      status: STATUSES.toDo,
      resolution: null,
      resolutiondate: null,
      created: now,
      updated: now,
    };
  }
}

function isPropertyList(value: unknown): boolean {
  return (
    value === undefined ||
    (Array.isArray(value) &&
      value.every((p) => typeof p === 'object' && p !== null && typeof p.key === 'string'))
  );
}

/** `update.labels`: `[{add: "x"}, {remove: "y"}, {set: [...]}]`, applied in order. */
function applyLabelOps(current: string[], ops: unknown): string[] | string | undefined {
  if (ops === undefined) return undefined;
  if (!Array.isArray(ops)) return 'Labels update must be an array of operations (add, remove, set)';
  let labels = [...current];
  for (const op of ops as Array<Record<string, unknown>>) {
    if (typeof op?.add === 'string' && !/\s/.test(op.add)) labels = [...new Set([...labels, op.add])];
    else if (typeof op?.remove === 'string') labels = labels.filter((l) => l !== op.remove);
    else if (Array.isArray(op?.set) && op.set.every((l) => typeof l === 'string' && !/\s/.test(l))) {
      labels = [...new Set(op.set as string[])];
    } else return `The label operation ${JSON.stringify(op)} is invalid (labels cannot contain spaces).`;
  }
  return labels;
}

/** `update.comment`: `[{add: {body: <ADF>}}]`. */
export function commentOps(ops: unknown): AdfNode[] | string {
  if (ops === undefined) return [];
  if (!Array.isArray(ops)) return 'Comment update must be an array of {add: {body}} operations';
  const bodies: AdfNode[] = [];
  for (const op of ops as Array<{ add?: { body?: unknown } }>) {
    const check = checkAdf(op?.add?.body);
    if (!check.ok) return `Comment body: ${check.reason}`;
    bodies.push(check.doc);
  }
  return bodies;
}
