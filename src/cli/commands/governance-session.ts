import { userInfo } from 'node:os';
import type { ArxConfig } from '../../config/schema.js';
import type { Governance } from '../../governance/open.js';
import type { Store } from '../../store/open.js';

/**
 * What the governance commands (approvals, audit, kill switch, policy simulate) share: open the store the
 * environment names (DATABASE_URL or ARX_HOME), load arx.yaml, wire governance, and always close the store.
 */
export interface GovernanceSession extends Governance {
  store: Store;
  config: ArxConfig;
}

export async function withGovernance<T>(
  options: { config?: string | undefined; owner: string },
  work: (session: GovernanceSession) => Promise<T>,
): Promise<T> {
  const { createGovernance } = await import('../../governance/open.js');
  return withStore(options, async ({ store, config, home }) => {
    const governance = createGovernance({ db: store.db, clock: store.clock, config, home });
    try {
      return await work({ ...governance, store, config });
    } finally {
      await governance.audit.flush();
    }
  });
}

/** The store and configuration only (audit verify/export/tail need no gate). */
export async function withStore<T>(
  options: { config?: string | undefined; owner: string },
  work: (session: { store: Store; config: ArxConfig; home: string }) => Promise<T>,
): Promise<T> {
  const { loadConfig } = await import('../../config/load.js');
  const { openStore } = await import('../../store/open.js');
  const { storeOptionsFromEnv } = await import('../../store/options.js');
  const config = loadConfig({ file: options.config });
  const storeOptions = storeOptionsFromEnv();
  if (config.store.database_url && !storeOptions.databaseUrl)
    storeOptions.databaseUrl = config.store.database_url;
  const store = await openStore({ ...storeOptions, owner: options.owner });
  try {
    return await work({ store, config, home: storeOptions.home! });
  } finally {
    await store.close();
  }
}

/** Who is acting at this terminal: `--as`, else $ARX_USER, else the OS user. */
export function operatorName(as: string | undefined): string {
  const name = as?.trim() || process.env.ARX_USER?.trim() || safeUsername();
  return name || 'unknown';
}

function safeUsername(): string {
  try {
    return userInfo().username;
  } catch {
    return '';
  }
}

export const CONFIG_OPTION = [
  '-c, --config <file>',
  'configuration file (default: $ARX_CONFIG, else ./arx.yaml)',
] as const;
