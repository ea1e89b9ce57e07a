import type { Credentials } from '../../governance/credentials.js';
import type { OperationHandler, Reconciler } from '../../governance/gate.js';
import type { WizClient } from './client.js';
import type { FindingsReadParams, IssueCommentParams, IssueUpdateParams } from './operations.js';

/**
 * One handler per Wiz operation id. The gate has validated the params against the catalog and hands each
 * call the broker's credentials; `clientFor` turns them into a (cached) client.
 */
export function wizHandlers(
  clientFor: (credentials: Credentials) => WizClient,
): Record<string, OperationHandler<Credentials>> {
  return {
    'wiz:findings:read': (params: FindingsReadParams, { credentials, signal }) =>
      clientFor(credentials).findingsPage(params, signal),

    'wiz:issues:update': async (params: IssueUpdateParams, { credentials, signal }) => ({
      issue: await clientFor(credentials).updateIssue(params, signal),
    }),

    // Wiz has no idempotency key for notes (api-contracts §1.7): a note with the same text already on the
    // issue is the effect of an earlier attempt, so it is not added twice.
    'wiz:issues:comment': async (params: IssueCommentParams, { credentials, signal }) => {
      const client = clientFor(credentials);
      const existing = (await client.issueNotes(params.issueId, signal)).find((n) => n.text === params.text);
      if (existing) return { noteId: existing.id, created: false };
      const note = await client.createIssueNote(params.issueId, params.text, signal);
      return { noteId: note.id, created: true };
    },
  };
}

/**
 * After an ambiguous failure (timeout, 5xx after sending), asks Wiz whether the write already happened:
 * the note with this text is on the issue. `updateIssue` sets state and is safe to repeat, so it needs none.
 */
export function wizReconcilers(
  clientFor: (credentials: Credentials) => WizClient,
): Record<string, Reconciler<Credentials>> {
  return {
    'wiz:issues:comment': async (params: IssueCommentParams, { credentials, signal }) => {
      const notes = await clientFor(credentials).issueNotes(params.issueId, signal);
      const note = notes.find((n) => n.text === params.text);
      return note ? { noteId: note.id, created: true } : undefined;
    },
  };
}
