import type { Credentials } from '../../governance/credentials.js';
import type { OperationHandler } from '../../governance/gate.js';
import type { QualysClient } from './client.js';
import type { KnowledgeBaseReadParams, VulnerabilitiesReadParams } from './operations.js';

/** One handler per Qualys operation id; the gate validated the params and resolved the credentials. */
export function qualysHandlers(
  clientFor: (credentials: Credentials) => QualysClient,
): Record<string, OperationHandler<Credentials>> {
  return {
    'qualys:vulnerabilities:read': (params: VulnerabilitiesReadParams, { credentials, signal }) =>
      clientFor(credentials).detectionsPage(params, signal),

    'qualys:knowledgebase:read': async (params: KnowledgeBaseReadParams, { credentials, signal }) => ({
      items: await clientFor(credentials).knowledgeBase(params.qids, signal),
    }),
  };
}
