import type { ArxConfig } from '../config/schema.js';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../log/logger.js';
import type { Db } from '../store/repo-support.js';
import { type CheckpointSigner, loadOrCreateSigner } from './audit/keys.js';
import { AuditTrail } from './audit/trail.js';
import type { OperationCatalog } from './catalog.js';
import { ConfigCredentialBroker, type CredentialBroker } from './credentials.js';
import { Gate } from './gate.js';
import { builtinCatalog } from './operations/index.js';

/**
 * Wires the governance kernel onto a store and a configuration: the audit trail (with its signing key), the
 * gate, and through it approvals and the kill switch.
 *
 * @example
 * const store = await openStore(storeOptionsFromEnv());
 * const { gate, audit } = createGovernance({ db: store.db, clock: store.clock, config, home: '.arx' });
 */
export interface GovernanceOptions {
  db: Db;
  clock: Clock;
  config: ArxConfig;
  /** ARX_HOME, where the default signing key lives. */
  home: string;
  signer?: CheckpointSigner | undefined;
  broker?: CredentialBroker | undefined;
  catalog?: OperationCatalog | undefined;
  log?: Logger | undefined;
}

export interface Governance {
  gate: Gate;
  audit: AuditTrail;
  signer: CheckpointSigner;
  catalog: OperationCatalog;
}

export function createGovernance(options: GovernanceOptions): Governance {
  const { config, db, clock } = options;
  const signer =
    options.signer ??
    loadOrCreateSigner({ signingKeyPath: config.governance.audit.signing_key_path, home: options.home });
  const audit = new AuditTrail({ db, clock, signer, checkpoints: config.governance.audit, log: options.log });
  const catalog = options.catalog ?? builtinCatalog();
  const gate = new Gate({
    db,
    clock,
    catalog,
    governance: config.governance,
    audit,
    broker: options.broker ?? new ConfigCredentialBroker(config.connectors),
    connectors: config.connectors,
    log: options.log,
  });
  return { gate, audit, signer, catalog };
}
