import type { ConnectorRuntime } from '../kit/runtime.js';
import type { ConnectorModule } from '../registry.js';
import { jiraCredentialCheck } from './credentials.js';
import { jiraHandlers } from './handlers.js';
import { jiraOperations } from './operations.js';
import { jiraReconcilers } from './reconcile.js';
import { jiraSessions } from './session.js';

export { type AdfDoc, adf, type FindingDetails, findingDescription, textToAdf } from './adf.js';
export { type JiraCredentials, resolveJiraCredentials } from './credentials.js';
export { findingLabel, jiraOperations } from './operations.js';
export { priorityForSeverity } from './priority.js';
export type * from './results.js';

/**
 * The Jira Cloud connector: its catalog entries, one handler and one reconcile per operation (over one
 * seam client per credential set), and the credential check behind `arx connectors test jira`.
 */
export function jiraConnector(runtime: ConnectorRuntime): ConnectorModule {
  const session = jiraSessions(runtime);
  return {
    name: 'jira',
    operations: jiraOperations,
    handlers: jiraHandlers(runtime, session),
    reconcilers: jiraReconcilers(session),
    credentials: jiraCredentialCheck,
  };
}
