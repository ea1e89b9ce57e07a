import type { Credentials } from '../../governance/credentials.js';
import { clientCache } from '../kit/client-cache.js';
import type { ConnectorRuntime } from '../kit/runtime.js';
import type { ConnectorModule } from '../registry.js';
import { WizClient } from './client.js';
import { resolveWizCredentials, wizCredentialCheck } from './credentials.js';
import { wizHandlers, wizReconcilers } from './handlers.js';
import { wizOperations } from './operations.js';

export type { WizPage } from './client.js';
export { resolveWizCredentials, type WizCredentials } from './credentials.js';
export { wizOperations } from './operations.js';

/** The Wiz connector: catalog entries, handlers over one client per credential set, the credential check. */
export function wizConnector(runtime: ConnectorRuntime): ConnectorModule {
  // keyed by the broker's credentials: the same service account keeps its cached token across calls
  const clientFor = clientCache(
    (credentials: Credentials) => new WizClient(resolveWizCredentials(credentials), runtime),
  );
  return {
    name: 'wiz',
    operations: wizOperations,
    handlers: wizHandlers(clientFor),
    reconcilers: wizReconcilers(clientFor),
    credentials: wizCredentialCheck,
  };
}
