import type { ConnectorRuntime } from '../kit/runtime.js';
import type { ConnectorModule } from '../registry.js';
import { slackCredentialCheck } from './credentials.js';
import { slackHandlers } from './handlers.js';
import { slackOperations } from './operations.js';
import { slackReconcilers } from './reconcile.js';
import { slackSessions } from './session.js';

export { type Block, type DigestTicket, digestBlocks, digestText, type TeamDigest } from './blocks.js';
export { resolveSlackCredentials, type SlackCredentials } from './credentials.js';
export { slackOperations } from './operations.js';
export type * from './results.js';

/**
 * The Slack connector: catalog entries, one handler and one reconcile per operation (the official
 * WebClient over the seam, one per token), and the credential check behind `arx connectors test slack`.
 */
export function slackConnector(runtime: ConnectorRuntime): ConnectorModule {
  const session = slackSessions(runtime);
  return {
    name: 'slack',
    operations: slackOperations,
    handlers: slackHandlers(runtime, session),
    reconcilers: slackReconcilers(session),
    credentials: slackCredentialCheck,
  };
}
