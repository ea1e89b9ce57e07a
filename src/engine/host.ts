import type { ArxConfig } from '../config/schema.js';
import { ArxError } from '../core/errors.js';
import type { Gate } from '../governance/gate.js';
import type { Logger } from '../log/logger.js';
import type { Store } from '../store/open.js';
import type { Workflow } from '../workflows/sdk/define.js';
import { Engine } from './engine.js';

/**
 * Everything one `arx run` needs, wired in one place: the store, the governance kernel (audit trail, gate),
 * the connectors registered with the gate over one shared runtime (one rate governor, one call table), and
 * the engine. A later `arx serve` / worker builds the same host once and runs many workflows on it.
 */
export interface RunHostOptions {
  config: ArxConfig;
  /** The process environment: where the store is (ARX_HOME, DATABASE_URL). */
  env: NodeJS.ProcessEnv;
  /**
   * What the credential broker reads. In the sandbox, the sandbox's variables only, so a connector without
   * an emulator can never reach a real tool with credentials lying around in the environment.
   */
  credentialsEnv: NodeJS.ProcessEnv;
  /**
   * Talking to the built-in sandbox: the store is `<ARX_HOME>/sandbox`, emptied at the start of each sandbox
   * run (the emulators' state dies with the process, so a ledger that outlived it would point at tickets that
   * no longer exist) and kept afterwards for inspection (`ARX_HOME=.arx/sandbox arx audit verify`), and
   * credentials come from the sandbox's variables only, never from arx.yaml.
   */
  sandbox: boolean;
  /** What the embedded store's lock file says holds it (`arx run wiz-finding-distribution`). */
  owner: string;
  log?: Logger | undefined;
}

export interface RunHost {
  engine: Engine;
  store: Store;
  /** The gate the engine calls through: its approvals and kill switch write to the same audit trail. */
  gate: Gate;
  close(): Promise<void>;
}

export async function openRunHost(options: RunHostOptions): Promise<RunHost> {
  const [{ openStore }, { storeOptionsFromEnv }, { createGovernance }, { ConfigCredentialBroker }] =
    await Promise.all([
      import('../store/open.js'),
      import('../store/options.js'),
      import('../governance/open.js'),
      import('../governance/credentials.js'),
    ]);
  const { config, env } = options;
  const storeOptions = storeOptionsFromEnv(env);
  if (config.store.database_url && !storeOptions.databaseUrl)
    storeOptions.databaseUrl = config.store.database_url;
  let store: Store;
  if (options.sandbox) {
    // the sandbox run keeps its store, keys and audit trail apart, in <ARX_HOME>/sandbox
    const { openSandboxStore, sandboxHome } = await import('./sandbox-store.js');
    storeOptions.home = sandboxHome(env);
    store = await openSandboxStore(options.log, storeOptions.home);
  } else {
    store = await openStore({ ...storeOptions, owner: options.owner });
  }
  try {
    const [{ createConnectorRuntime }, { registerBuiltinConnectors }] = await Promise.all([
      import('../connectors/kit/runtime.js'),
      import('../connectors/registry.js'),
    ]);
    const runtime = createConnectorRuntime({
      clock: store.clock,
      ...(options.log ? { log: options.log } : {}),
      rateOverrides: Object.fromEntries(
        Object.entries(config.connectors).map(([tool, section]) => [tool, section?.rate_limits]),
      ),
    });
    // the built-in workflows' shipped rules (each scoped to its workflow) apply unless arx.yaml redefines them
    const { withBuiltinPolicy } = await import('../workflows/library/index.js');
    const governance = createGovernance({
      db: store.db,
      clock: store.clock,
      config: withBuiltinPolicy(config),
      home: storeOptions.home ?? '.arx',
      broker: new ConfigCredentialBroker(options.sandbox ? {} : config.connectors, options.credentialsEnv),
      ...(options.log ? { log: options.log } : {}),
    });
    await registerBuiltinConnectors(governance.gate, runtime);
    const engine = new Engine({
      store,
      gate: governance.gate,
      catalog: governance.catalog,
      audit: governance.audit,
      callStats: runtime.stats,
      // only a shared PostgreSQL store lets an approver decide while this process holds the store
      approvals: store.driver === 'postgres' ? 'wait' : 'park',
      ...(options.log ? { log: options.log } : {}),
    });
    const close = async () => {
      try {
        await governance.audit.flush(); // the last calls' result records
      } finally {
        await store.close();
      }
    };
    return { engine, store, gate: governance.gate, close };
  } catch (err) {
    await store.close().catch(() => {});
    throw err;
  }
}

/**
 * Refuses a workflow that acts on a connector Arx cannot reach, before anything runs.
 * @example await checkConnectorsAvailable(workflow);
 */
export async function checkConnectorsAvailable(workflow: Workflow): Promise<void> {
  const { connectorNames } = await import('../connectors/registry.js');
  const available = connectorNames();
  const unknown = workflow.connectors.filter((name) => !available.includes(name));
  if (unknown.length > 0) {
    throw new ArxError(
      'connector_unavailable',
      `${workflow.name} acts on ${unknown.join(', ')}, which this Arx has no connector for`,
      { fault: 'caller', hint: `connectors: ${available.join(', ')}` },
    );
  }
}
