import { adfText } from './adf.js';
import { ALL_CATEGORIES, ALL_STATUSES, ISSUE_TYPES } from './catalog.js';
import { JqlError, type JqlNode, type JqlQuery, type JqlSort } from './jql.js';
import type { JiraIssueRecord } from './model.js';
import type { JiraSite } from './site.js';

/** Evaluates parsed JQL over a site: value checks with Jira's wording, matching, ordering. */

export interface SearchOptions {
  /** Ids the caller asked to reconcile: visible even if the index has not caught up yet. */
  reconcile: ReadonlySet<string>;
  /** Jira answers 400 for `key = X` when X does not exist; `false` ignores unknown keys instead. */
  missingKeyIsError: boolean;
}

export function searchIssues(site: JiraSite, query: JqlQuery, options: SearchOptions): JiraIssueRecord[] {
  const now = site.now();
  if (query.where) checkValues(site, query.where, options);
  const visible = site.issues.filter(
    (issue) => issue.searchableAt <= now.getTime() || options.reconcile.has(issue.id),
  );
  const matched = query.where ? visible.filter((issue) => matches(site, issue, query.where!, now)) : visible;
  const sorts: JqlSort[] = [...query.orderBy, { field: 'created', direction: 'desc' }];
  return matched.sort((a, b) => {
    for (const sort of sorts) {
      const order = compare(sortValue(site, a, sort.field), sortValue(site, b, sort.field));
      if (order !== 0) return sort.direction === 'asc' ? order : -order;
    }
    return Number(b.id) - Number(a.id);
  });
}

type FieldValue = string[] | number | string;

/** The values a clause compares against, lower-cased; arrays for fields that may hold several or none. */
function fieldValues(issue: JiraIssueRecord, field: string): string[] {
  const f = issue.fields;
  switch (field) {
    case 'project':
      return [issue.project.key, issue.project.id, issue.project.name];
    case 'key':
      return [issue.key, issue.id];
    case 'labels':
      return f.labels;
    case 'status':
      return [f.status.name, f.status.id];
    case 'statuscategory':
      return [f.status.category.name, f.status.category.key, String(f.status.category.id)];
    case 'priority':
      return [f.priority.name, f.priority.id];
    case 'issuetype':
      return [f.issuetype.name, f.issuetype.id];
    case 'assignee':
      return f.assignee ? [f.assignee.accountId, f.assignee.emailAddress, f.assignee.displayName] : [];
    case 'resolution':
      return f.resolution ? [f.resolution.name, f.resolution.id] : [];
    default:
      return [];
  }
}

function matches(site: JiraSite, issue: JiraIssueRecord, node: JqlNode, now: Date): boolean {
  if (node.kind === 'and') return node.parts.every((p) => matches(site, issue, p, now));
  if (node.kind === 'or') return node.parts.some((p) => matches(site, issue, p, now));
  if (node.kind === 'not') return !matches(site, issue, node.part, now);
  const { field, operator, values } = node;
  if (field === 'created' || field === 'updated') {
    const at = issue.fields[field].getTime();
    const than = parseJqlDate(values[0]!, field, now);
    return {
      '=': at === than,
      '!=': at !== than,
      '>': at > than,
      '>=': at >= than,
      '<': at < than,
      '<=': at <= than,
    }[operator as '=' | '!=' | '>' | '>=' | '<' | '<='];
  }
  if (operator === '~') {
    const text = field === 'summary' ? issue.fields.summary : searchableText(issue);
    const words = values[0]!.toLowerCase().split(/\s+/).filter(Boolean);
    return words.every((w) => text.toLowerCase().includes(w.replace(/\*$/, '')));
  }
  if (field === 'key' && ['>', '>=', '<', '<='].includes(operator)) {
    const [project, number] = values[0]!.toUpperCase().split('-');
    if (issue.project.key !== project) return false;
    const n = Number(issue.key.split('-')[1]);
    const than = Number(number);
    return { '>': n > than, '>=': n >= than, '<': n < than, '<=': n <= than }[operator as '>'];
  }
  const have = fieldValues(issue, field).map((v) => v.toLowerCase());
  const wanted = values.map((v) => v.toLowerCase());
  // `resolution = Unresolved` is how JQL names "no resolution yet".
  const unresolved = field === 'resolution' && have.length === 0 && wanted.includes('unresolved');
  const hit = unresolved || have.some((v) => wanted.includes(v));
  switch (operator) {
    case '=':
    case 'in':
      return hit;
    // Jira's own quirk: `labels != x` and `assignee != x` leave out issues where the field is empty.
    case '!=':
    case 'not in':
      return (have.length > 0 || field === 'resolution') && !hit;
    case 'is':
      return have.length === 0;
    case 'is not':
      return have.length > 0;
    default:
      return false;
  }
}

/** Jira rejects JQL that names values which do not exist on the site; so does the emulator. */
function checkValues(site: JiraSite, node: JqlNode, options: SearchOptions): void {
  if (node.kind === 'and' || node.kind === 'or') {
    for (const part of node.parts) checkValues(site, part, options);
    return;
  }
  if (node.kind === 'not') {
    checkValues(site, node.part, options);
    return;
  }
  const known: Record<string, string[] | undefined> = {
    project: site.projects.flatMap((p) => [p.key, p.id, p.name]),
    status: ALL_STATUSES.flatMap((s) => [s.name, s.id]),
    statuscategory: ALL_CATEGORIES.flatMap((c) => [c.name, c.key, String(c.id)]),
    priority: site.priorities.flatMap((p) => [p.name, p.id]),
    issuetype: ISSUE_TYPES.flatMap((t) => [t.name, t.id]),
    resolution: ['Done', '10000', 'Unresolved'],
  };
  const allowed = known[node.field]?.map((v) => v.toLowerCase());
  for (const value of node.values) {
    if (allowed && !allowed.includes(value.toLowerCase())) {
      throw new JqlError(`The value '${value}' does not exist for the field '${node.field}'.`);
    }
    if (node.field === 'key') checkKey(site, value, options);
    if (node.field === 'created' || node.field === 'updated') parseJqlDate(value, node.field, site.now());
  }
}

function checkKey(site: JiraSite, value: string, options: SearchOptions): void {
  if (!/^([A-Za-z][A-Za-z0-9_]*-\d+|\d+)$/.test(value)) {
    throw new JqlError(`The issue key '${value}' for field 'key' is invalid.`);
  }
  if (options.missingKeyIsError && !site.find(value)) {
    throw new JqlError(`An issue with key '${value}' does not exist for field 'key'.`);
  }
}

const PERIOD = /^([-+]?)((?:\d+[wdhm]\s*)+)$/;
const UNIT_MS: Record<string, number> = { w: 604_800_000, d: 86_400_000, h: 3_600_000, m: 60_000 };

/** Absolute (`2025-06-01`, `2025/06/01 12:30`) or relative (`-7d`, `-4w 2d`) JQL dates. */
export function parseJqlDate(value: string, field: string, now: Date): number {
  const period = PERIOD.exec(value.trim());
  if (period) {
    const sign = period[1] === '-' ? -1 : 1;
    let ms = 0;
    for (const [, n, unit] of period[2]!.matchAll(/(\d+)([wdhm])/g)) ms += Number(n) * UNIT_MS[unit!]!;
    return now.getTime() + sign * ms;
  }
  const absolute = /^(\d{4})[-/](\d{2})[-/](\d{2})(?:\s+(\d{2}):(\d{2}))?$/.exec(value.trim());
  if (absolute) {
    const [, y, mo, d, h = '00', mi = '00'] = absolute;
    return Date.parse(`${y}-${mo}-${d}T${h}:${mi}:00Z`);
  }
  throw new JqlError(
    `Date value '${value}' for field '${field}' is invalid. Valid formats include: 'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period format e.g. '-5d', '4w 2d'.`,
  );
}

function searchableText(issue: JiraIssueRecord): string {
  return [
    issue.fields.summary,
    adfText(issue.fields.description ?? undefined),
    ...issue.comments.map((c) => adfText(c.body)),
  ].join(' ');
}

function sortValue(site: JiraSite, issue: JiraIssueRecord, field: string): FieldValue {
  switch (field) {
    case 'created':
    case 'updated':
      return issue.fields[field].getTime();
    case 'key':
      return [issue.project.key, String(Number(issue.key.split('-')[1])).padStart(12, '0')];
    case 'priority':
      // Scheme order: the first priority in the list is the most urgent, so it sorts highest.
      return site.priorities.length - site.priorities.findIndex((p) => p.id === issue.fields.priority.id);
    case 'status':
      return issue.fields.status.name;
    default:
      return issue.fields.summary;
  }
}

function compare(a: FieldValue, b: FieldValue): number {
  const left = Array.isArray(a) ? a.join('\u0000') : a;
  const right = Array.isArray(b) ? b.join('\u0000') : b;
  return left < right ? -1 : left > right ? 1 : 0;
}
