import { z } from 'zod';
import { ArxError } from '../core/errors.js';
import { defineOperations, type Operation } from '../governance/catalog.js';
import type { Credentials } from '../governance/credentials.js';
import type { Gate, OperationHandler, Reconciler } from '../governance/gate.js';
import type { CredentialCheck, CredentialField } from './kit/credentials.js';
import type { ConnectorRuntime } from './kit/runtime.js';

/**
 * What a connector contributes, in one shape for every tool: its catalog entries, one handler per operation
 * id (registered with the gate, which alone calls them with the broker's per-call credentials), and its
 * credentials: the fields it reads and a cheap read-only `test()`, which the gate runs as
 * `<tool>:credentials:test` (`arx connectors test`).
 */
export interface ConnectorModule {
  name: string;
  operations: readonly Operation[];
  /** Keyed by operation id; every entry of `operations` has exactly one. */
  handlers: Readonly<Record<string, OperationHandler<Credentials>>>;
  /**
   * Keyed by write operation id: asks the target whether that write already happened (search by label,
   * dedup key, correlation id). The engine reaches them through `gate.reconcile` for a `pending` effect.
   */
  reconcilers?: Readonly<Record<string, Reconciler<Credentials>>>;
  credentials: ConnectorCredentialCheck;
}

export interface ConnectorCredentialCheck {
  fields: readonly CredentialField[];
  /**
   * Resolves the credentials from `connectors.<name>` of arx.yaml and the environment, then makes one
   * read-only call. Never throws: a missing setting, a bad secret, a wrong URL, an unreachable host or a
   * missing scope each come back as a `CredentialCheck` with a one-line explanation.
   */
  test(
    config: Record<string, unknown> | undefined,
    runtime: ConnectorRuntime,
    env?: NodeJS.ProcessEnv,
  ): Promise<CredentialCheck>;
}

/** Builds a connector over the process's shared runtime (one governor, breaker and call table). */
export type ConnectorFactory = (runtime: ConnectorRuntime) => ConnectorModule;

/**
 * Every connector with handlers, loaded lazily so `--help` stays fast. A connector adds one line here.
 */
export const CONNECTOR_FACTORIES: Readonly<Record<string, () => Promise<ConnectorFactory>>> = {
  wiz: async () => (await import('./wiz/index.js')).wizConnector,
  qualys: async () => (await import('./qualys/index.js')).qualysConnector,
  jira: async () => (await import('./jira/index.js')).jiraConnector,
  slack: async () => (await import('./slack/index.js')).slackConnector,
  pagerduty: async () => (await import('./pagerduty/index.js')).pagerdutyConnector,
  servicenow: async () => (await import('./servicenow/index.js')).servicenowConnector,
};

export function connectorNames(): string[] {
  return Object.keys(CONNECTOR_FACTORIES).sort();
}

/**
 * `<tool>:credentials:test`, one per connector above: `arx connectors test` through the gate, so the check
 * is decided by policy and audited like any call, with the credentials the broker resolves for it.
 */
export const credentialsTestOperations: readonly Operation[] = connectorNames().flatMap((name) =>
  defineOperations(name, [
    {
      name: 'credentials:test',
      verb: 'read',
      risk: 'LOW',
      description: 'Prove the credentials and reach with one cheap read',
      params: z.strictObject({}),
    },
  ]),
);

/** The id of a connector's credential check: `jira:credentials:test`. */
export function credentialsTestId(connector: string): string {
  return `${connector}:credentials:test`;
}

export async function loadConnector(name: string, runtime: ConnectorRuntime): Promise<ConnectorModule> {
  return (await factoryOf(name)())(runtime);
}

/** Throws `unknown_connector` (the caller's mistake, naming the known ones) unless Arx ships `name`. */
export function assertConnector(name: string): void {
  factoryOf(name);
}

function factoryOf(name: string): () => Promise<ConnectorFactory> {
  const load = Object.hasOwn(CONNECTOR_FACTORIES, name) ? CONNECTOR_FACTORIES[name] : undefined;
  if (!load) {
    throw new ArxError('unknown_connector', `unknown connector "${name}"`, {
      fault: 'caller',
      hint: `connectors with a credentials check: ${connectorNames().join(', ')}`,
    });
  }
  return load;
}

/**
 * Registers a connector's handlers with the gate; an operation without a handler is a packaging bug. Its
 * credential check is registered too, as `<tool>:credentials:test`: the connector's own `test()` over the
 * broker's credentials only (an empty environment), answering a `CredentialCheck` (`ok: false` when it fails).
 */
export function registerConnector(
  gate: Pick<Gate, 'register' | 'registerReconciler'>,
  connector: ConnectorModule,
  runtime: ConnectorRuntime,
): void {
  gate.register(credentialsTestId(connector.name), (_params, { credentials }) =>
    connector.credentials.test(credentials, runtime, {}),
  );
  for (const operation of connector.operations) {
    const handler = connector.handlers[operation.id];
    if (!handler) {
      throw new ArxError('handler_missing', `${connector.name}: no handler for ${operation.id}`);
    }
    gate.register(operation.id, handler);
  }
  for (const [operationId, reconciler] of Object.entries(connector.reconcilers ?? {})) {
    gate.registerReconciler(operationId, reconciler);
  }
}

/**
 * Registers every connector Arx ships with the gate, over one shared runtime: what a process that runs
 * workflows does once after `createGovernance`.
 * @example await registerBuiltinConnectors(gate, createConnectorRuntime({ clock }));
 */
export async function registerBuiltinConnectors(
  gate: Pick<Gate, 'register' | 'registerReconciler'>,
  runtime: ConnectorRuntime,
): Promise<ConnectorModule[]> {
  const connectors: ConnectorModule[] = [];
  for (const name of connectorNames()) {
    const connector = await loadConnector(name, runtime);
    registerConnector(gate, connector, runtime);
    connectors.push(connector);
  }
  return connectors;
}
