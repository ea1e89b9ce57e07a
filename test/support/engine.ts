import { arxConfigSchema } from '../../src/config/schema.js';
import { createCallStats } from '../../src/connectors/http/index.js';
import { type Clock, systemClock } from '../../src/core/clock.js';
import { Engine } from '../../src/engine/engine.js';
import { generateSigner } from '../../src/governance/audit/keys.js';
import { OperationCatalog } from '../../src/governance/catalog.js';
import { createGovernance } from '../../src/governance/open.js';
import { builtinOperations } from '../../src/governance/operations/index.js';
import type { Store } from '../../src/store/open.js';
import { registerTicketConnector, ticketOperations } from './ticket-connector.js';

/**
 * The real engine on a store, with the real gate, policy and audit trail, and the test ticket connector
 * pointed at a ticket service. Used in process by the engine suites and in a child process by the crash test.
 */
export interface EngineHarnessOptions {
  ticketsUrl: string;
  governance?: Record<string, unknown>;
  clock?: Clock;
  approvalPollMs?: number;
  approvals?: 'wait' | 'park';
}

export function openEngineHarness(store: Store, options: EngineHarnessOptions) {
  const clock = options.clock ?? store.clock ?? systemClock;
  const catalog = new OperationCatalog([...builtinOperations, ...ticketOperations]);
  const config = arxConfigSchema.parse({ governance: options.governance ?? {} });
  const stats = createCallStats();
  const governance = createGovernance({
    db: store.db,
    clock,
    config,
    home: '/nonexistent',
    signer: generateSigner(),
    catalog,
    broker: { resolve: async () => ({ url: options.ticketsUrl }) },
  });
  registerTicketConnector(governance.gate, { stats, clock });
  const newEngine = () =>
    new Engine({
      store,
      gate: governance.gate,
      catalog,
      callStats: stats,
      clock,
      ...(options.approvalPollMs ? { approvalPollMs: options.approvalPollMs } : {}),
      ...(options.approvals ? { approvals: options.approvals } : {}),
    });
  return { ...governance, stats, engine: newEngine(), newEngine };
}
