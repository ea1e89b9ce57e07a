import type { Credentials } from '../../governance/credentials.js';
import { clientCache } from '../kit/client-cache.js';
import type { ConnectorRuntime } from '../kit/runtime.js';
import type { ConnectorModule } from '../registry.js';
import { QualysClient } from './client.js';
import { qualysCredentialCheck, resolveQualysCredentials } from './credentials.js';
import { qualysHandlers } from './handlers.js';
import { qualysOperations } from './operations.js';

export type { QualysDetectionsPage } from './client.js';
export { type QualysCredentials, resolveQualysCredentials } from './credentials.js';
export { qualysOperations } from './operations.js';

/** The Qualys connector: catalog entries, handlers over one client per credential set, the credential check. */
export function qualysConnector(runtime: ConnectorRuntime): ConnectorModule {
  const clientFor = clientCache(
    (credentials: Credentials) => new QualysClient(resolveQualysCredentials(credentials), runtime),
  );
  return {
    name: 'qualys',
    operations: qualysOperations,
    handlers: qualysHandlers(clientFor),
    credentials: qualysCredentialCheck,
  };
}
