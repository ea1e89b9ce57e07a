import type { Credentials } from '../../governance/credentials.js';
import type { OperationHandler } from '../../governance/gate.js';
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
