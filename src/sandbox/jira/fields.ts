import { checkAdf, NOT_A_DOCUMENT, UNSUPPORTED_CONTENT } from './adf.js';
import type { Priority } from './catalog.js';
import { ISSUE_TYPES } from './catalog.js';
import type { IssueFields, SiteFacts } from './model.js';

/**
 * How each settable field is read from a request, with Jira's own error wording. One entry per field; create,
 * bulk create, edit and transition screens all go through the same catalog.
 */
export type FieldOutcome =
  | { ok: true; apply: (fields: IssueFields) => void }
  | { ok: false; error: string; generic?: boolean; reason?: string };

type FieldReader = (value: unknown, site: SiteFacts) => FieldOutcome;

const ok = (apply: (fields: IssueFields) => void): FieldOutcome => ({ ok: true, apply });
const fail = (error: string): FieldOutcome => ({ ok: false, error });
const set = <K extends keyof IssueFields>(key: K, value: IssueFields[K]): FieldOutcome =>
  ok((fields) => {
    fields[key] = value;
  });

const SUMMARY_MAX = 255;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

function readRichText(field: 'description' | 'environment'): FieldReader {
  return (value) => {
    if (value === null) return set(field, null);
    const check = checkAdf(value);
    if (check.ok) return set(field, check.doc);
    if (check.notADocument) return fail(NOT_A_DOCUMENT);
    return { ok: false, error: UNSUPPORTED_CONTENT, generic: true, reason: `${field}: ${check.reason}` };
  };
}

function findPriority(value: unknown, site: SiteFacts): Priority | undefined | 'format' {
  if (typeof value !== 'object' || value === null) return 'format';
  const { id, name } = value as { id?: unknown; name?: unknown };
  if (typeof id === 'string') return site.priorities.find((p) => p.id === id);
  if (typeof name === 'string')
    return site.priorities.find((p) => p.name.toLowerCase() === name.toLowerCase());
  return 'format';
}

export const FIELD_READERS: Record<string, FieldReader> = {
  summary(value) {
    if (typeof value !== 'string' || value.trim() === '')
      return fail('You must specify a summary of the issue.');
    if (value.length > SUMMARY_MAX) return fail(`Summary must be less than ${SUMMARY_MAX} characters.`);
    return set('summary', value);
  },
  description: readRichText('description'),
  environment: readRichText('environment'),
  issuetype(value) {
    const { id, name } = (typeof value === 'object' && value !== null ? value : {}) as Record<
      string,
      unknown
    >;
    const type = ISSUE_TYPES.find(
      (t) => t.id === id || (typeof name === 'string' && t.name.toLowerCase() === name.toLowerCase()),
    );
    return type ? set('issuetype', type) : fail('Specify a valid issue type');
  },
  priority(value, site) {
    const priority = findPriority(value, site);
    if (priority === 'format') return fail('Specify the Priority (name) in the string format');
    if (!priority) return fail('The priority selected is invalid.');
    return set('priority', priority);
  },
  labels(value) {
    if (!Array.isArray(value) || value.some((l) => typeof l !== 'string')) {
      return fail('Specify the labels as an array of strings');
    }
    const bad = value.find((l: string) => /\s/.test(l) || l === '');
    if (bad !== undefined) return fail(`The label '${bad}' contains spaces which is invalid.`);
    return set('labels', [...new Set(value as string[])]);
  },
  components(value, site) {
    if (!Array.isArray(value))
      return fail('Specify the components as an array of {"name"} or {"id"} objects');
    const names: string[] = [];
    for (const item of value) {
      const { id, name } = (typeof item === 'object' && item !== null ? item : {}) as Record<string, unknown>;
      const component = site.project.components.find((c) => c.id === id || c.name === name);
      if (!component) return fail(`Component name '${String(name ?? id)}' is not valid`);
      names.push(component.name);
    }
    return set('components', names);
  },
  assignee(value, site) {
    if (value === null) return set('assignee', null);
    const accountId = (value as { accountId?: unknown } | undefined)?.accountId;
    const user = site.users.find((u) => u.accountId === accountId);
    if (!user) return fail('Specified user does not exist or you do not have required permissions');
    return set('assignee', user);
  },
  duedate(value) {
    if (value === null) return set('duedate', null);
    if (typeof value !== 'string' || !DATE.test(value) || Number.isNaN(Date.parse(value))) {
      return fail(`Error parsing date string: ${String(value)}`);
    }
    return set('duedate', value);
  },
};

/** Fields a create request may also carry, handled by the create route itself. */
const CREATE_ONLY = new Set(['project', 'reporter']);

/**
 * Reads a `fields` object. Returns the changes to apply, or Jira's `errors` map (field -> message) and
 * `errorMessages` (used for Jira's vague "unsupported content" answer), plus a sandbox-only reason.
 */
export function readFields(
  fields: Record<string, unknown>,
  site: SiteFacts,
  mode: 'create' | 'edit',
): {
  apply: Array<(f: IssueFields) => void>;
  errors: Record<string, string>;
  errorMessages: string[];
  reason?: string;
} {
  const apply: Array<(f: IssueFields) => void> = [];
  const errors: Record<string, string> = {};
  const errorMessages: string[] = [];
  let reason: string | undefined;
  for (const [name, value] of Object.entries(fields)) {
    if (CREATE_ONLY.has(name) && mode === 'create') continue;
    const reader = FIELD_READERS[name];
    if (!reader) {
      errors[name] = `Field '${name}' cannot be set. It is not on the appropriate screen, or unknown.`;
      continue;
    }
    const outcome = reader(value, site);
    if (outcome.ok) apply.push(outcome.apply);
    else if (outcome.generic) {
      if (!errorMessages.includes(outcome.error)) errorMessages.push(outcome.error);
      reason ??= outcome.reason;
    } else errors[name] = outcome.error;
  }
  return reason === undefined ? { apply, errors, errorMessages } : { apply, errors, errorMessages, reason };
}
