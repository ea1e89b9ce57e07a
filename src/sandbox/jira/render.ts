import type { IssueType, JiraUser, Priority, Status } from './catalog.js';
import type { JiraComment, JiraIssueRecord, Project } from './model.js';

/** Jira's JSON for the emulator's records. `base` is the site URL the request came in on. */

/** Jira's timestamp format: `2025-06-02T07:00:00.000+0000`. */
export function jiraTime(at: Date): string {
  return at.toISOString().replace('Z', '+0000');
}

export function userJson(base: string, user: JiraUser) {
  return {
    self: `${base}/rest/api/3/user?accountId=${user.accountId}`,
    accountId: user.accountId,
    accountType: 'atlassian',
    emailAddress: user.emailAddress,
    avatarUrls: { '48x48': `${base}/secure/useravatar?size=large&ownerId=${user.accountId}` },
    displayName: user.displayName,
    active: true,
    timeZone: 'Etc/UTC',
  };
}

export function priorityJson(base: string, priority: Priority) {
  return {
    self: `${base}/rest/api/3/priority/${priority.id}`,
    statusColor: priority.statusColor,
    description: priority.description,
    iconUrl: `${base}/images/icons/priorities/${priority.name.toLowerCase()}.svg`,
    name: priority.name,
    id: priority.id,
  };
}

export function statusJson(base: string, status: Status) {
  return {
    self: `${base}/rest/api/3/status/${status.id}`,
    description: '',
    iconUrl: `${base}/`,
    name: status.name,
    id: status.id,
    statusCategory: {
      self: `${base}/rest/api/3/statuscategory/${status.category.id}`,
      id: status.category.id,
      key: status.category.key,
      colorName: status.category.colorName,
      name: status.category.name,
    },
  };
}

export function issueTypeJson(base: string, type: IssueType) {
  return {
    self: `${base}/rest/api/3/issuetype/${type.id}`,
    id: type.id,
    description: type.description,
    iconUrl: `${base}/rest/api/2/universal_avatar/view/type/issuetype/avatar/10303?size=medium`,
    name: type.name,
    subtask: type.subtask,
    hierarchyLevel: 0,
  };
}

export function projectJson(base: string, project: Project) {
  return {
    self: `${base}/rest/api/3/project/${project.id}`,
    id: project.id,
    key: project.key,
    name: project.name,
    projectTypeKey: 'software',
    simplified: false,
    style: 'classic',
    isPrivate: false,
    avatarUrls: { '48x48': `${base}/rest/api/3/universal_avatar/view/type/project/avatar/10400` },
  };
}

export function commentJson(base: string, issue: JiraIssueRecord, comment: JiraComment) {
  return {
    self: `${base}/rest/api/3/issue/${issue.id}/comment/${comment.id}`,
    id: comment.id,
    author: userJson(base, comment.author),
    body: comment.body,
    updateAuthor: userJson(base, comment.author),
    created: jiraTime(comment.created),
    updated: jiraTime(comment.updated),
    jsdPublic: true,
  };
}

type Renderer = (base: string, issue: JiraIssueRecord) => unknown;

/** Every field the emulator can return, in the order Jira lists them. */
const FIELD_RENDERERS: Record<string, Renderer> = {
  summary: (_, i) => i.fields.summary,
  issuetype: (base, i) => issueTypeJson(base, i.fields.issuetype),
  project: (base, i) => projectJson(base, i.project),
  status: (base, i) => statusJson(base, i.fields.status),
  priority: (base, i) => priorityJson(base, i.fields.priority),
  labels: (_, i) => i.fields.labels,
  components: (base, i) =>
    i.fields.components.map((name) => {
      const id = i.project.components.find((c) => c.name === name)?.id ?? '';
      return { self: `${base}/rest/api/3/component/${id}`, id, name };
    }),
  assignee: (base, i) => (i.fields.assignee ? userJson(base, i.fields.assignee) : null),
  reporter: (base, i) => userJson(base, i.fields.reporter),
  creator: (base, i) => userJson(base, i.fields.reporter),
  description: (_, i) => i.fields.description,
  environment: (_, i) => i.fields.environment,
  duedate: (_, i) => i.fields.duedate,
  resolution: (base, i) =>
    i.fields.resolution
      ? {
          self: `${base}/rest/api/3/resolution/${i.fields.resolution.id}`,
          description: '',
          ...i.fields.resolution,
        }
      : null,
  resolutiondate: (_, i) => (i.fields.resolutiondate ? jiraTime(i.fields.resolutiondate) : null),
  created: (_, i) => jiraTime(i.fields.created),
  updated: (_, i) => jiraTime(i.fields.updated),
  comment: (base, i) => ({
    comments: i.comments.map((c) => commentJson(base, i, c)),
    self: `${base}/rest/api/3/issue/${i.id}/comment`,
    maxResults: i.comments.length,
    total: i.comments.length,
    startAt: 0,
  }),
};

/**
 * Which fields a request asked for: a list of names, `*all` / `*navigable`, and `-name` exclusions.
 * Unknown names are ignored, as Jira does.
 */
export function selectFields(requested: readonly string[] | undefined, fallback: 'all' | 'none'): string[] {
  const names = (requested ?? [])
    .flatMap((f) => f.split(','))
    .map((f) => f.trim())
    .filter(Boolean);
  const everything = Object.keys(FIELD_RENDERERS);
  if (names.length === 0) return fallback === 'all' ? everything : [];
  const wantsAll = names.some((n) => n === '*all' || n === '*navigable');
  const excluded = new Set(names.filter((n) => n.startsWith('-')).map((n) => n.slice(1)));
  const picked = wantsAll ? everything : names.filter((n) => n in FIELD_RENDERERS);
  return picked.filter((n) => !excluded.has(n));
}

export function issueJson(base: string, issue: JiraIssueRecord, fields: readonly string[]) {
  return {
    expand: 'renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations',
    id: issue.id,
    self: `${base}/rest/api/3/issue/${issue.id}`,
    key: issue.key,
    fields: Object.fromEntries(fields.map((name) => [name, FIELD_RENDERERS[name]!(base, issue)])),
  };
}

export function createdJson(base: string, issue: JiraIssueRecord) {
  return { id: issue.id, key: issue.key, self: `${base}/rest/api/3/issue/${issue.id}` };
}
