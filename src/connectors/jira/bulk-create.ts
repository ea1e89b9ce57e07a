import { isArxError } from '../../core/errors.js';
import { backoffDelay, RETRY_DEFAULT } from '../http/index.js';
import type { HandlerContext } from '../kit/handler.js';
import type { ConnectorRuntime } from '../kit/runtime.js';
import { mayHaveApplied } from '../kit/write-once.js';
import type { IssueCreateBody } from './client.js';
import { jiraErrorText } from './errors.js';
import { issueCreateBody } from './issue-body.js';
import type { BulkCreateParams } from './operations.js';
import { issuesByFinding } from './reconcile.js';
import type { BulkCreateResult, BulkItemResult } from './results.js';
import { type JiraSession, projectOf } from './session.js';

/**
 * Up to 50 issues in one call, one per finding, each with its own outcome. Findings that already have an
 * issue (by label) are not filed again: searched for here, unless the caller says it has just done so. Per-item errors come back per finding (`failedElementNumber` is
 * the position in the batch sent). A failure that may have applied is reconciled by label before the rest
 * is retried, and a failure of the whole call after some items succeeded marks only the rest as failed:
 * one bad item or one bad attempt never loses the others.
 */
interface Item {
  index: number;
  findingKey: string;
  body: IssueCreateBody;
}

export async function bulkCreateIssues(
  s: JiraSession,
  params: BulkCreateParams,
  ctx: HandlerContext,
  runtime: ConnectorRuntime,
): Promise<BulkCreateResult> {
  const project = projectOf(params, s);
  const items: Item[] = params.issues.map((item, index) => ({
    index,
    findingKey: item.findingKey,
    body: issueCreateBody(item, project),
  }));
  const results = new Map<number, BulkItemResult>();
  const settleExisting = async (pending: Item[]) => {
    const found = await issuesByFinding(
      s.client,
      project,
      pending.map((p) => p.findingKey),
    );
    for (const p of pending) {
      const ref = found.get(p.findingKey);
      if (ref)
        results.set(p.index, {
          index: p.index,
          findingKey: p.findingKey,
          outcome: 'existing',
          key: ref.key,
          id: ref.id,
          url: ref.url,
        });
    }
  };
  const unsettled = (list: Item[]) => list.filter((p) => !results.has(p.index));

  // a caller that has just looked these findings up (`searched`) spares this search
  if (!params.searched) await settleExisting(items);
  let pending = unsettled(items);
  const profile = runtime.retry ?? RETRY_DEFAULT;
  for (let attempt = 1; pending.length > 0; attempt++) {
    try {
      const answer = await s.client.bulkCreate(pending.map((p) => p.body));
      const failedAt = new Map(answer.errors.map((e) => [e.failedElementNumber, e]));
      for (const [position, error] of failedAt) {
        const p = pending[position];
        if (!p) continue;
        results.set(p.index, {
          index: p.index,
          findingKey: p.findingKey,
          outcome: 'failed',
          error: {
            message: jiraErrorText(error.elementErrors) ?? `HTTP ${error.status}`,
            ...(error.elementErrors?.errors ? { fields: error.elementErrors.errors } : {}),
            retryable: error.status === 429 || error.status >= 500,
          },
        });
      }
      const succeeded = pending.filter((_, position) => !failedAt.has(position));
      if (answer.issues.length === succeeded.length) {
        // Jira lists the created issues in request order, skipping the failed elements.
        succeeded.forEach((p, i) => {
          const created = answer.issues[i]!;
          results.set(p.index, {
            index: p.index,
            findingKey: p.findingKey,
            outcome: 'created',
            key: created.key,
            id: created.id,
            url: s.client.browseUrl(created.key),
          });
        });
      } else {
        // counts disagree: map by label rather than guess which issue is whose
        await settleExisting(succeeded);
        for (const p of unsettled(succeeded)) {
          results.set(p.index, {
            index: p.index,
            findingKey: p.findingKey,
            outcome: 'failed',
            error: { message: 'Jira reported success but the issue was not found', retryable: true },
          });
        }
      }
      pending = [];
    } catch (err) {
      if (mayHaveApplied(err)) await settleExisting(pending);
      pending = unsettled(pending);
      if (pending.length === 0) break;
      const retryable = isArxError(err) && err.retryable && err.code !== 'circuit_open';
      if (!retryable || attempt >= profile.maxAttempts) {
        if (results.size === 0) throw err;
        for (const p of pending) {
          const message = isArxError(err) ? err.message : String(err);
          results.set(p.index, {
            index: p.index,
            findingKey: p.findingKey,
            outcome: 'failed',
            error: { message, retryable },
          });
        }
        break;
      }
      ctx.log.warn(
        { attempt, pending: pending.length, code: isArxError(err) ? err.code : undefined },
        'retrying Jira bulk create',
      );
      await ctx.clock.sleep(backoffDelay(attempt, profile, runtime.random ?? Math.random));
    }
  }
  const ordered = [...results.values()].sort((a, b) => a.index - b.index);
  const count = (outcome: BulkItemResult['outcome']) => ordered.filter((r) => r.outcome === outcome).length;
  return {
    results: ordered,
    created: count('created'),
    existing: count('existing'),
    failed: count('failed'),
  };
}
