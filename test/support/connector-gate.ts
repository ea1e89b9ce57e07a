import { arxConfigSchema } from '../../src/config/schema.js';
import { createConnectorRuntime, type RuntimeOptions } from '../../src/connectors/kit/runtime.js';
import { type ConnectorFactory, registerConnector } from '../../src/connectors/registry.js';
import type { TestClock } from '../../src/core/clock.js';
import { generateSigner } from '../../src/governance/audit/keys.js';
import { ConfigCredentialBroker } from '../../src/governance/credentials.js';
import { createGovernance } from '../../src/governance/open.js';
import { createLogger } from '../../src/log/logger.js';
import type { OpenTestStore } from './stores.js';

/**
 * The real gate on a fresh test store with real connectors registered: contract tests call tools only
 * through `gate.execute`, so every call is decided and audited exactly as in production.
 */
const signer = generateSigner();

export interface ConnectorGateOptions {
  clock: TestClock;
  connectors: ConnectorFactory[];
  /** arx.yaml as an object (connectors, governance); parsed with the real schema. */
  config?: Record<string, unknown>;
  /** What the credential broker reads besides arx.yaml. */
  env?: Record<string, string>;
  runtime?: RuntimeOptions;
}

export async function openConnectorGate(openTestStore: OpenTestStore, options: ConnectorGateOptions) {
  const { clock } = options;
  const store = await openTestStore({ clock });
  const config = arxConfigSchema.parse(options.config ?? {});
  const broker = new ConfigCredentialBroker(config.connectors, options.env ?? {});
  const log = createLogger({ level: 'silent' });
  const governance = createGovernance({
    db: store.db,
    clock,
    config,
    home: '/nonexistent',
    signer,
    broker,
    log,
  });
  // quiet by default: retries log warnings that would drown the test output
  const runtime = createConnectorRuntime({ clock, log, ...options.runtime });
  for (const factory of options.connectors) registerConnector(governance.gate, factory(runtime), runtime);
  return {
    ...governance,
    store,
    runtime,
    /** Audit entries for one operation, oldest first. */
    async audited(operation: string) {
      return (await governance.audit.entries()).filter((entry) => entry.action === operation);
    },
  };
}

export const ingestPrincipal = { kind: 'workflow' as const, id: 'wiz-finding-distribution' };
