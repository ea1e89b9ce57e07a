import { z } from 'zod';
import { hashOf } from '../../core/canonical.js';
import { severitySchema } from '../../core/finding/model.js';
import { defineOperations } from '../../governance/catalog.js';
import { type AdfDoc, isAdfDoc } from './adf.js';
import { BULK_CREATE_MAX } from './client.js';
import { JIRA_PRIORITIES } from './priority.js';

/**
 * Jira operations as catalog entries. Idempotency keys say what the effect means: one issue per finding
 * (`jira:create:<finding_key>`), one transition per issue, target status and cause, one comment per issue
 * and text. Params are strict: a misspelt field is an error, not silently ignored.
 */

export const issueKeySchema = z.string().regex(/^[A-Z][A-Z0-9_]*-\d+$/, 'a Jira issue key such as SEC-412');
/** Jira labels cannot contain spaces (api-contracts §2.2) and are at most 255 characters. */
export const labelSchema = z.string().min(1).max(255).regex(/^\S+$/, 'labels cannot contain spaces');
export const findingKeySchema = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9_.:-]+$/, 'a finding key such as fk_3f9a… (letters, digits, _ . : -)');
const adfDocSchema = z.custom<AdfDoc>(
  isAdfDoc,
  'an ADF document ({"type":"doc","version":1,"content":[...]})',
);
const richText = z.union([z.string().min(1), adfDocSchema]);

export const findingDetailsSchema = z.strictObject({
  findingKey: z.string().optional(),
  summary: z.string().optional(),
  severity: z.string().optional(),
  priority: z.strictObject({ label: z.string(), score: z.number().optional() }).optional(),
  resource: z
    .strictObject({
      uid: z.string().min(1),
      type: z.string().optional(),
      name: z.string().optional(),
      region: z.string().optional(),
      account: z.string().optional(),
      environment: z.string().optional(),
    })
    .optional(),
  vulnerability: z
    .strictObject({
      cve: z.string(),
      cvss: z.number().optional(),
      epss: z.number().optional(),
      kev: z.boolean().optional(),
      fixedVersion: z.string().optional(),
    })
    .optional(),
  control: z.strictObject({ id: z.string(), name: z.string().optional() }).optional(),
  remediation: z.string().optional(),
  sources: z
    .array(z.strictObject({ vendor: z.string(), id: z.string(), url: z.string().optional() }))
    .optional(),
  links: z.array(z.strictObject({ text: z.string(), href: z.string() })).optional(),
});

const issueFields = {
  /** Defaults to the connector's JIRA_PROJECT_KEY. */
  project: z
    .string()
    .regex(/^[A-Z][A-Z0-9_]+$/, 'a Jira project key such as SEC')
    .optional(),
  summary: z.string().min(1).max(255),
  issueType: z.string().min(1).default('Bug'),
  /** Plain text (paragraphs) or an ADF document; shown above `details`. */
  description: richText.optional(),
  /** Structured facts about the finding, rendered as the ADF description (adf.ts `findingDescription`). */
  details: findingDetailsSchema.optional(),
  priority: z.enum(JIRA_PRIORITIES).optional(),
  /** Maps to a priority when `priority` is not given (critical → Highest, or Blocker with `blocker`). */
  severity: severitySchema.optional(),
  blocker: z.boolean().optional(),
  labels: z.array(labelSchema).max(50).optional(),
  components: z.array(z.string().min(1)).optional(),
  /** Atlassian account id. */
  assignee: z.string().min(1).optional(),
  dueDate: z.iso.date().optional(),
};

export const createIssueParams = z.strictObject({
  ...issueFields,
  /** The finding this issue is about: carried as label `arx-<finding_key>` and as issue property `arx`. */
  findingKey: findingKeySchema.optional(),
});
export type CreateIssueParams = z.infer<typeof createIssueParams>;

const { project: _project, ...itemFields } = issueFields;

export const bulkCreateParams = z.strictObject({
  project: issueFields.project,
  issues: z
    .array(z.strictObject({ ...itemFields, findingKey: findingKeySchema }))
    .min(1)
    .max(BULK_CREATE_MAX)
    .refine((items) => new Set(items.map((i) => i.findingKey)).size === items.length, {
      message: 'each finding may appear once per bulk create',
    }),
  /**
   * The caller has just looked these findings up (`jira:issues:by-finding`) and none has an issue, so the
   * create skips its own search by label. A create that may have applied is still reconciled by label.
   */
  searched: z.literal(true).optional(),
});
export type BulkCreateParams = z.infer<typeof bulkCreateParams>;

export const searchParams = z.strictObject({
  /** Must be bounded (e.g. start with `project = SEC`); Jira refuses unbounded JQL. */
  jql: z.string().min(1),
  fields: z.array(z.string().min(1)).optional(),
  maxResults: z.number().int().min(1).max(100).optional(),
  /** The `next` of the previous page (Jira's nextPageToken); absent for the first page. */
  after: z.string().min(1).optional(),
  reconcileIssues: z.array(z.number().int().positive()).max(50).optional(),
});
export type SearchParams = z.infer<typeof searchParams>;

/** Finding keys per `by-finding` lookup: one search page with fields holds 100 issues. */
export const BY_FINDING_MAX = 100;

export const byFindingParams = z.strictObject({
  /** Defaults to the connector's JIRA_PROJECT_KEY. */
  project: issueFields.project,
  /** These findings' issues; absent: every issue Arx filed in the project (label `arx`), page by page. */
  findingKeys: z.array(findingKeySchema).min(1).max(BY_FINDING_MAX).optional(),
  /** The `next` of the previous page; absent for the first page. */
  after: z.string().min(1).optional(),
});
export type ByFindingParams = z.infer<typeof byFindingParams>;

export const updateIssueParams = z.strictObject({
  key: issueKeySchema,
  /** Raw Jira fields (`summary`, `duedate`, `priority: {name}`, ...); rich text must be ADF. */
  fields: z.record(z.string(), z.unknown()).default({}),
  description: richText.optional(),
  priority: z.enum(JIRA_PRIORITIES).optional(),
  addLabels: z.array(labelSchema).optional(),
  removeLabels: z.array(labelSchema).optional(),
});
export type UpdateIssueParams = z.infer<typeof updateIssueParams>;

export const transitionParams = z.strictObject({
  key: issueKeySchema,
  /** Target status name (`Done`, `To Do`) or transition name (`Reopen`); resolved through the transitions list. */
  to: z.string().min(1),
  comment: richText.optional(),
  /** Set on the transition screen when the site asks for it (e.g. `Done`). */
  resolution: z.string().min(1).optional(),
  /** Why this transition happens (e.g. the finding's resolved-at); lets a later close of a reopened issue act again. */
  occurrence: z.string().min(1).optional(),
});
export type TransitionParams = z.infer<typeof transitionParams>;

export const commentParams = z.strictObject({ key: issueKeySchema, body: richText });
export type CommentParams = z.infer<typeof commentParams>;

/**
 * The label every issue filed for a finding carries besides its finding label: one JQL clause lists all of
 * them (`labels = arx`), which is how a run learns every ticket Arx already filed in a project.
 */
export const ARX_LABEL = 'arx';

/** The label that carries a finding key; searching for it is how a pending create is reconciled. */
export const FINDING_LABEL_PREFIX = 'arx-';

export function findingLabel(findingKey: string): string {
  return `${FINDING_LABEL_PREFIX}${findingKey}`.slice(0, 255);
}

const short = (value: unknown) => hashOf(value).slice(0, 16);

export const jiraOperations = defineOperations('jira', [
  {
    name: 'issues:create',
    verb: 'write',
    risk: 'MEDIUM',
    description: 'Create a Jira issue (enters a team backlog)',
    params: createIssueParams,
    idempotencyKey: (p) => (p.findingKey ? `jira:create:${p.findingKey}` : undefined),
  },
  {
    name: 'issues:bulk-create',
    verb: 'write',
    risk: 'MEDIUM',
    description: `Create up to ${BULK_CREATE_MAX} Jira issues in one call, one per finding`,
    params: bulkCreateParams,
    idempotencyKey: (p) => `jira:bulk-create:${short(p.issues.map((i) => i.findingKey).sort())}`,
  },
  {
    name: 'issues:search',
    verb: 'read',
    risk: 'LOW',
    description: 'Search Jira issues with bounded JQL (one page per call)',
    params: searchParams,
  },
  {
    name: 'issues:by-finding',
    verb: 'read',
    risk: 'LOW',
    description:
      'Jira issues Arx filed, by finding key: those of up to 100 findings, or every one in the project (one page per call)',
    params: byFindingParams,
  },
  {
    name: 'issues:update',
    verb: 'write',
    risk: 'MEDIUM',
    description: 'Update fields or labels of a Jira issue',
    params: updateIssueParams,
    idempotencyKey: (p) => `jira:update:${p.key}:${short({ ...p, key: undefined })}`,
  },
  {
    name: 'issues:transition',
    verb: 'write',
    risk: 'MEDIUM',
    description: 'Move a Jira issue to a status (e.g. Done, or reopen to To Do)',
    params: transitionParams,
    idempotencyKey: (p) => `jira:transition:${p.key}:${p.to}${p.occurrence ? `:${p.occurrence}` : ''}`,
  },
  {
    name: 'issues:comment',
    verb: 'write',
    risk: 'LOW',
    description: 'Add a comment to a Jira issue',
    params: commentParams,
    idempotencyKey: (p) => `jira:comment:${p.key}:${short(p.body)}`,
  },
]);
