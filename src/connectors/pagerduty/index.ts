import type { ConnectorRuntime } from '../kit/runtime.js';
import type { ConnectorModule } from '../registry.js';
import { pagerDutyCredentialCheck } from './credentials.js';
import { pagerDutyHandlers } from './handlers.js';
import { pagerdutyOperations } from './operations.js';
import { pagerDutyReconcilers } from './reconcile.js';
import { pagerDutySessions } from './session.js';

export { type PagerDutyCredentials, resolvePagerDutyCredentials } from './credentials.js';
export { pagerdutyOperations } from './operations.js';
export type * from './results.js';

/**
 * The PagerDuty connector: Events API v2 and REST v2 catalog entries, one handler and one reconcile per
 * operation, and the credential check behind `arx connectors test pagerduty`.
 */
export function pagerdutyConnector(runtime: ConnectorRuntime): ConnectorModule {
  const session = pagerDutySessions(runtime);
  return {
    name: 'pagerduty',
    operations: pagerdutyOperations,
    handlers: pagerDutyHandlers(runtime, session),
    reconcilers: pagerDutyReconcilers(session),
    credentials: pagerDutyCredentialCheck,
  };
}
