import type { HandlerContext } from '../kit/handler.js';
import { adfPlainText } from './adf.js';
import { JIRA_SEARCH_MAX, type JiraClient, type JiraIssue } from './client.js';
import { richTextDoc } from './issue-body.js';
import {
  ARX_LABEL,
  type BulkCreateParams,
  type CommentParams,
  type CreateIssueParams,
  FINDING_LABEL_PREFIX,
  findingLabel,
  type TransitionParams,
  type UpdateIssueParams,
} from './operations.js';
import type {
  BulkCreateResult,
  ByFindingResult,
  CommentResult,
  CreateIssueResult,
  IssueRef,
  TransitionResult,
  UpdateResult,
} from './results.js';
import { type JiraSession, projectOf } from './session.js';
import { updateBody } from './update-body.js';

/**
 * Has a Jira write already happened? Issues are found by the `arx-<finding_key>` label, transitions by the
 * issue's status, comments by their text, updates by the fields' current values. Search is eventually
 * consistent in Jira Cloud (an issue created seconds ago may be missing), which is why the effect ledger,
 * not this search, is the first line against duplicates.
 */

/** JQL string literal: double-quoted, with `"` and `\` escaped. */
export function jqlString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** The oldest issue per finding key (if a duplicate ever slipped through, the first one stays the link). */
export async function issuesByFinding(
  client: JiraClient,
  project: string,
  findingKeys: readonly string[],
): Promise<Map<string, IssueRef>> {
  const found = new Map<string, IssueRef>();
  if (findingKeys.length === 0) return found;
  let after: string | undefined;
  do {
    const page = await arxIssuesPage(client, project, { findingKeys, after });
    for (const { findingKey, ...ref } of page.items) if (!found.has(findingKey)) found.set(findingKey, ref);
    after = page.next;
  } while (after);
  return found;
}

/**
 * One page (up to 100 issues, oldest first) of the issues Arx filed in a project: those labelled with the
 * given findings, or with no findings given every issue carrying ARX_LABEL. One item per finding label
 * an issue carries; with `findingKeys`, only theirs.
 */
export async function arxIssuesPage(
  client: JiraClient,
  project: string,
  request: { findingKeys?: readonly string[] | undefined; after?: string | undefined },
): Promise<ByFindingResult> {
  const wanted = request.findingKeys && new Set(request.findingKeys);
  const labels = wanted ? [...wanted].map((key) => jqlString(findingLabel(key))).join(', ') : undefined;
  const where = labels ? `labels in (${labels})` : `labels = ${jqlString(ARX_LABEL)}`;
  const page = await client.searchPage({
    jql: `project = ${jqlString(project)} AND ${where} ORDER BY created ASC`,
    fields: ['labels', 'status'],
    maxResults: JIRA_SEARCH_MAX,
    ...(request.after ? { nextPageToken: request.after } : {}),
  });
  const items: ByFindingResult['items'] = [];
  for (const issue of page.issues) {
    for (const label of labelsOf(issue)) {
      if (!label.startsWith(FINDING_LABEL_PREFIX)) continue;
      const findingKey = label.slice(FINDING_LABEL_PREFIX.length);
      if (!wanted || wanted.has(findingKey)) items.push({ findingKey, ...issueRef(client, issue) });
    }
  }
  const isLast = page.isLast === true || !page.nextPageToken;
  return isLast ? { items } : { items, next: page.nextPageToken as string };
}

export function issueRef(client: JiraClient, issue: Pick<JiraIssue, 'id' | 'key' | 'fields'>): IssueRef {
  const status = (issue.fields?.status as { name?: string } | undefined)?.name;
  return {
    key: issue.key,
    id: String(issue.id),
    url: client.browseUrl(issue.key),
    ...(status ? { status } : {}),
  };
}

function labelsOf(issue: JiraIssue): string[] {
  const labels = issue.fields?.labels;
  return Array.isArray(labels) ? labels.filter((l): l is string => typeof l === 'string') : [];
}

export async function statusOf(client: JiraClient, key: string): Promise<string> {
  const issue = await client.getIssue(key, ['status']);
  return String((issue.fields?.status as { name?: unknown } | undefined)?.name ?? '');
}

export function sameName(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

export async function findComment(
  client: JiraClient,
  key: string,
  text: string,
): Promise<CommentResult | undefined> {
  const comments = await client.recentComments(key);
  const match = comments.find((c) => adfPlainText(c.body) === text);
  return match ? { key, commentId: match.id } : undefined;
}

/** True when every field asked for already has that value (objects compare by the keys asked for). */
export function fieldsMatch(wanted: Record<string, unknown>, current: Record<string, unknown>): boolean {
  return Object.entries(wanted).every(([name, value]) => subsetOf(value, current[name]));
}

function subsetOf(wanted: unknown, actual: unknown): boolean {
  if (wanted === null) return actual === null || actual === undefined;
  if (typeof wanted !== 'object') return wanted === actual;
  if (Array.isArray(wanted)) {
    return (
      Array.isArray(actual) &&
      wanted.length === actual.length &&
      wanted.every((w, i) => subsetOf(w, actual[i]))
    );
  }
  if (actual === null || typeof actual !== 'object') return false;
  const current = actual as Record<string, unknown>;
  return Object.entries(wanted).every(([k, v]) =>
    // Jira matches names case-insensitively (priority "highest" is Highest)
    k === 'name' && typeof v === 'string' && typeof current[k] === 'string'
      ? sameName(current[k] as string, v)
      : subsetOf(v, current[k]),
  );
}

/** One reconcile per Jira write operation: the existing result, or undefined when the write has not happened. */
export function jiraReconcilers(session: (ctx: HandlerContext) => JiraSession) {
  return {
    async 'jira:issues:create'(
      params: CreateIssueParams,
      ctx: HandlerContext,
    ): Promise<CreateIssueResult | undefined> {
      if (!params.findingKey) return undefined;
      const s = session(ctx);
      const ref = (await issuesByFinding(s.client, projectOf(params, s), [params.findingKey])).get(
        params.findingKey,
      );
      return ref ? { ...ref, created: false } : undefined;
    },

    /** Complete only when every finding of the batch has its issue; otherwise the (label-checking) retry runs. */
    async 'jira:issues:bulk-create'(
      params: BulkCreateParams,
      ctx: HandlerContext,
    ): Promise<BulkCreateResult | undefined> {
      const s = session(ctx);
      const found = await issuesByFinding(
        s.client,
        projectOf(params, s),
        params.issues.map((i) => i.findingKey),
      );
      if (found.size < params.issues.length) return undefined;
      const results = params.issues.map((item, index) => {
        const ref = found.get(item.findingKey)!;
        return {
          index,
          findingKey: item.findingKey,
          outcome: 'existing' as const,
          key: ref.key,
          id: ref.id,
          url: ref.url,
        };
      });
      return { results, created: 0, existing: results.length, failed: 0 };
    },

    async 'jira:issues:update'(
      params: UpdateIssueParams,
      ctx: HandlerContext,
    ): Promise<UpdateResult | undefined> {
      const { client } = session(ctx);
      const body = updateBody(params);
      const names = [...Object.keys(body.fields ?? {}), ...(body.update ? ['labels'] : [])];
      const issue = await client.getIssue(params.key, names);
      const current = issue.fields ?? {};
      const labels = Array.isArray(current.labels) ? (current.labels as string[]) : [];
      const labelsDone =
        (params.addLabels ?? []).every((l) => labels.includes(l)) &&
        (params.removeLabels ?? []).every((l) => !labels.includes(l));
      return labelsDone && fieldsMatch(body.fields ?? {}, current)
        ? { key: params.key, updated: true }
        : undefined;
    },

    async 'jira:issues:transition'(
      params: TransitionParams,
      ctx: HandlerContext,
    ): Promise<TransitionResult | undefined> {
      const status = await statusOf(session(ctx).client, params.key);
      return sameName(status, params.to) ? { key: params.key, status, changed: true } : undefined;
    },

    async 'jira:issues:comment'(
      params: CommentParams,
      ctx: HandlerContext,
    ): Promise<CommentResult | undefined> {
      const doc = richTextDoc(params.body);
      return doc ? findComment(session(ctx).client, params.key, adfPlainText(doc)) : undefined;
    },
  };
}
