import { ArxError } from '../../core/errors.js';
import type { HandlerContext } from '../kit/handler.js';
import type { ConnectorRuntime } from '../kit/runtime.js';
import { writeOnce } from '../kit/write-once.js';
import { adfPlainText } from './adf.js';
import { bulkCreateIssues } from './bulk-create.js';
import type { Transition } from './client.js';
import { issueCreateBody, richTextDoc } from './issue-body.js';
import type {
  BulkCreateParams,
  ByFindingParams,
  CommentParams,
  CreateIssueParams,
  SearchParams,
  TransitionParams,
  UpdateIssueParams,
} from './operations.js';
import { arxIssuesPage, findComment, issueRef, issuesByFinding, sameName, statusOf } from './reconcile.js';
import type {
  BulkCreateResult,
  ByFindingResult,
  CommentResult,
  CreateIssueResult,
  SearchResult,
  TransitionResult,
  UpdateResult,
} from './results.js';
import { type JiraSession, projectOf } from './session.js';
import { updateBody } from './update-body.js';

/** One handler per Jira operation id; the gate validated the params and resolved the credentials. */
export function jiraHandlers(runtime: ConnectorRuntime, session: (ctx: HandlerContext) => JiraSession) {
  const once = <T>(
    ctx: HandlerContext,
    what: string,
    attempt: () => Promise<T>,
    reconcile?: () => Promise<T | undefined>,
  ) =>
    writeOnce({
      attempt,
      reconcile,
      what,
      clock: ctx.clock,
      log: ctx.log,
      profile: runtime.retry,
      random: runtime.random,
    });

  return {
    /** One issue per finding: an issue already labelled with the finding key is returned, not duplicated. */
    async 'jira:issues:create'(params: CreateIssueParams, ctx: HandlerContext): Promise<CreateIssueResult> {
      const s = session(ctx);
      const project = projectOf(params, s);
      const body = issueCreateBody(params, project);
      const { findingKey } = params;
      const lookup = findingKey
        ? async () => (await issuesByFinding(s.client, project, [findingKey])).get(findingKey)
        : undefined;
      const existing = await lookup?.();
      if (existing) return { ...existing, created: false };
      const { value } = await once(
        ctx,
        'jira:issues:create',
        async () => issueRef(s.client, { ...(await s.client.createIssue(body)), fields: {} }),
        lookup,
      );
      // a lost response recovered by reconciling is still this call's issue
      return { ...value, created: true };
    },

    'jira:issues:bulk-create': (params: BulkCreateParams, ctx: HandlerContext): Promise<BulkCreateResult> =>
      bulkCreateIssues(session(ctx), params, ctx, runtime),

    async 'jira:issues:search'(params: SearchParams, ctx: HandlerContext): Promise<SearchResult> {
      const { client } = session(ctx);
      const { after, ...search } = params;
      const page = await client.searchPage({ ...search, ...(after ? { nextPageToken: after } : {}) });
      const isLast = page.isLast === true || !page.nextPageToken;
      return {
        items: page.issues.map((i) => ({
          id: String(i.id),
          key: i.key,
          url: client.browseUrl(i.key),
          fields: i.fields ?? {},
        })),
        ...(isLast ? {} : { next: page.nextPageToken as string }),
      };
    },

    async 'jira:issues:by-finding'(params: ByFindingParams, ctx: HandlerContext): Promise<ByFindingResult> {
      const s = session(ctx);
      return arxIssuesPage(s.client, projectOf(params, s), params);
    },

    /** Setting the same fields again leaves the same issue, so the seam's ordinary retries are safe here. */
    async 'jira:issues:update'(params: UpdateIssueParams, ctx: HandlerContext): Promise<UpdateResult> {
      await session(ctx).client.editIssue(params.key, updateBody(params));
      return { key: params.key, updated: true };
    },

    /** To a status by name through the offered transitions; already there is success without a change. */
    async 'jira:issues:transition'(params: TransitionParams, ctx: HandlerContext): Promise<TransitionResult> {
      const { client } = session(ctx);
      const current = await statusOf(client, params.key);
      if (sameName(current, params.to)) return { key: params.key, status: current, changed: false };
      const transition = pickTransition(params, current, await client.transitions(params.key));
      const comment = params.comment === undefined ? undefined : richTextDoc(params.comment);
      const body = {
        transition: { id: transition.id },
        ...(params.resolution ? { fields: { resolution: { name: params.resolution } } } : {}),
        ...(comment ? { update: { comment: [{ add: { body: comment } }] } } : {}),
      };
      const done = { key: params.key, status: transition.to.name, changed: true };
      const { value } = await once(
        ctx,
        'jira:issues:transition',
        async () => {
          await client.transition(params.key, body);
          return done;
        },
        async () => (sameName(await statusOf(client, params.key), done.status) ? done : undefined),
      );
      return value;
    },

    async 'jira:issues:comment'(params: CommentParams, ctx: HandlerContext): Promise<CommentResult> {
      const { client } = session(ctx);
      const doc = richTextDoc(params.body)!;
      const { value } = await once(
        ctx,
        'jira:issues:comment',
        async () => ({ key: params.key, commentId: (await client.addComment(params.key, doc)).id }),
        () => findComment(client, params.key, adfPlainText(doc)),
      );
      return value;
    },
  };
}

/** By target status first (`Done`, `To Do`), then by transition name (`Reopen`). */
function pickTransition(params: TransitionParams, current: string, offered: Transition[]): Transition {
  const found =
    offered.find((t) => sameName(t.to?.name ?? '', params.to)) ??
    offered.find((t) => sameName(t.name, params.to));
  if (found) return found;
  const choices = offered.map((t) => `${t.name} → ${t.to?.name}`).join(', ') || 'none';
  throw new ArxError(
    'transition_unavailable',
    `${params.key} is in "${current}"; no transition leads to "${params.to}" from there`,
    { fault: 'caller', hint: `transitions offered from "${current}": ${choices}` },
  );
}
