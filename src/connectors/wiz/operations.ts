import { z } from 'zod';
import { hashOf } from '../../core/canonical.js';
import { defineOperations } from '../../governance/catalog.js';

/**
 * Wiz operations as catalog data (ids stable since the governance seed). Reads are one page per call, so a
 * full sync is a series of audited gate calls; writes are the two mutations automation needs.
 */
export const WIZ_FINDING_KINDS = ['issues', 'vulnerabilities', 'configuration'] as const;
export type WizFindingKind = (typeof WIZ_FINDING_KINDS)[number];

export const WIZ_SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL'] as const;
export const WIZ_ISSUE_STATUSES = ['OPEN', 'IN_PROGRESS', 'RESOLVED', 'REJECTED'] as const;
export const WIZ_ISSUE_TYPES = ['TOXIC_COMBINATION', 'THREAT_DETECTION', 'CLOUD_CONFIGURATION'] as const;
export const WIZ_RESOLUTION_REASONS = [
  'OBJECT_DELETED',
  'ISSUE_FIXED',
  'FALSE_POSITIVE',
  'EXCEPTION',
  'WONT_FIX',
] as const;

/** The status words each kind's `status` filter takes (configuration findings filter on `result`). */
export const WIZ_STATUS_BY_KIND: Record<WizFindingKind, readonly string[]> = {
  issues: WIZ_ISSUE_STATUSES,
  vulnerabilities: ['OPEN', 'RESOLVED', 'IGNORED'],
  configuration: ['PASS', 'FAIL', 'ERROR', 'NOT_ASSESSED'],
};

/** Wiz's largest page (one integration quotes 1000 as the API maximum; issues are usually read by 500). */
export const WIZ_MAX_PAGE = 1000;
export const WIZ_DEFAULT_PAGE: Record<WizFindingKind, number> = {
  issues: 500,
  vulnerabilities: 1000,
  configuration: 500,
};

const isoDateTime = z.iso.datetime({ offset: true });

export const findingsReadParams = z
  .looseObject({
    kind: z.enum(WIZ_FINDING_KINDS).default('issues'),
    severities: z.array(z.enum(WIZ_SEVERITIES)).min(1).optional(),
    /** Issue status, vulnerability status, or configuration result, by kind. */
    status: z.array(z.string()).min(1).optional(),
    /** Issue types (issues only). */
    types: z.array(z.enum(WIZ_ISSUE_TYPES)).min(1).optional(),
    /** Wiz project ids. */
    projects: z.array(z.string().min(1)).min(1).optional(),
    /** Incremental: issues changed status after this (statusChangedAt); findings first seen after it. */
    since: isoDateTime.optional(),
    /** Vulnerability findings resolved after this (resolvedAt). */
    resolvedSince: isoDateTime.optional(),
    createdAfter: isoDateTime.optional(),
    /** Page size. `limit` is accepted as an older name for it. */
    first: z.number().int().min(1).max(WIZ_MAX_PAGE).optional(),
    limit: z.number().int().min(1).max(WIZ_MAX_PAGE).optional(),
    /** The `next` cursor of the previous page. */
    after: z.string().min(1).optional(),
    order: z.enum(['SEVERITY', 'CREATED_AT']).optional(),
  })
  .superRefine((p, ctx) => {
    const allowed = WIZ_STATUS_BY_KIND[p.kind];
    for (const [i, status] of (p.status ?? []).entries()) {
      if (!allowed.includes(status)) {
        ctx.addIssue({
          code: 'custom',
          path: ['status', i],
          message: `"${status}" is not a ${p.kind} status; allowed: ${allowed.join(', ')}`,
        });
      }
    }
    const only = (field: 'types' | 'createdAfter' | 'resolvedSince', kind: WizFindingKind) => {
      if (p[field] !== undefined && p.kind !== kind) {
        ctx.addIssue({ code: 'custom', path: [field], message: `${field} applies to kind "${kind}" only` });
      }
    };
    only('types', 'issues');
    only('createdAfter', 'issues');
    only('resolvedSince', 'vulnerabilities');
    if (p.projects !== undefined && p.kind === 'configuration') {
      ctx.addIssue({
        code: 'custom',
        path: ['projects'],
        message: 'projects applies to issues and vulnerabilities',
      });
    }
  });
export type FindingsReadParams = z.infer<typeof findingsReadParams>;

export const issueUpdateParams = z.looseObject({
  issueId: z.string().min(1),
  patch: z
    .strictObject({
      status: z.enum(WIZ_ISSUE_STATUSES).optional(),
      resolutionReason: z.enum(WIZ_RESOLUTION_REASONS).optional(),
      note: z.string().min(1).optional(),
      dueAt: isoDateTime.optional(),
    })
    .refine((patch) => Object.keys(patch).length > 0, 'patch must change at least one field'),
});
export type IssueUpdateParams = z.infer<typeof issueUpdateParams>;

export const issueCommentParams = z.looseObject({
  issueId: z.string().min(1),
  text: z.string().min(1),
});
export type IssueCommentParams = z.infer<typeof issueCommentParams>;

export const wizOperations = defineOperations('wiz', [
  {
    name: 'findings:read',
    verb: 'read',
    risk: 'LOW',
    description: 'Read one page of Wiz issues, vulnerability or configuration findings',
    params: findingsReadParams,
  },
  {
    name: 'issues:update',
    verb: 'write',
    risk: 'MEDIUM',
    description: 'Change a Wiz issue: status, resolution reason, due date, note',
    params: issueUpdateParams,
    // Setting state is naturally idempotent; the key says "this change to this issue".
    idempotencyKey: (p) => `wiz:update:${p.issueId}:${hashOf(p.patch).slice(0, 16)}`,
  },
  {
    name: 'issues:comment',
    verb: 'write',
    risk: 'LOW',
    description: 'Add a note to a Wiz issue (skipped when the same text is already there)',
    params: issueCommentParams,
    idempotencyKey: (p) => `wiz:comment:${p.issueId}:${hashOf(p.text).slice(0, 16)}`,
  },
]);
