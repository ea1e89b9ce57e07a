import type { ConnectorRuntime } from '../kit/runtime.js';
import type { ConnectorModule } from '../registry.js';
import { serviceNowCredentialCheck } from './credentials.js';
import { serviceNowHandlers } from './handlers.js';
import { servicenowOperations } from './operations.js';
import { serviceNowReconcilers } from './reconcile.js';
import { serviceNowSessions } from './session.js';

export { resolveServiceNowCredentials, type ServiceNowCredentials } from './credentials.js';
export { servicenowOperations } from './operations.js';
export type * from './results.js';

/**
 * The ServiceNow connector: Table API catalog entries for incidents, one handler and one reconcile per
 * operation, and the credential check behind `arx connectors test servicenow`.
 */
export function servicenowConnector(runtime: ConnectorRuntime): ConnectorModule {
  const session = serviceNowSessions(runtime);
  return {
    name: 'servicenow',
    operations: servicenowOperations,
    handlers: serviceNowHandlers(runtime, session),
    reconcilers: serviceNowReconcilers(session),
    credentials: serviceNowCredentialCheck,
  };
}
