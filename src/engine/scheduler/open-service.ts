import type { ArxConfig } from '../../config/schema.js';
import { UsageError } from '../../core/errors.js';
import { type GovernanceAccess, gateAccess } from '../../governance/access.js';
import type { Logger } from '../../log/logger.js';
import type { Store } from '../../store/open.js';
import { storeOptionsFromEnv } from '../../store/options.js';
import { openRunQueue } from './queue.js';
import { RunService, type ServiceRole } from './service.js';

/**
 * Opens everything `arx serve` or `arx worker` runs on: the store (owned by this process when embedded),
 * the governance gate with the connectors, the engine, the run queue, and the service over them; the gate's
 * approvals and kill switch are handed out too, for the API.
 */
export interface OpenServiceOptions {
  role: ServiceRole;
  config: ArxConfig;
  env: NodeJS.ProcessEnv;
  concurrency: number;
  log: Logger;
}

export interface OpenedService {
  service: RunService;
  store: Store;
  /** Approvals and the kill switch through the service's own gate (no second audit writer on the store). */
  governance: GovernanceAccess;
  close(): Promise<void>;
}

/** The PostgreSQL URL the store will use, if any (DATABASE_URL wins over arx.yaml `store.database_url`). */
export function databaseUrlOf(config: ArxConfig, env: NodeJS.ProcessEnv): string | undefined {
  return storeOptionsFromEnv(env).databaseUrl ?? config.store.database_url;
}

export async function openRunService(options: OpenServiceOptions): Promise<OpenedService> {
  const { role, config, env, log } = options;
  const databaseUrl = databaseUrlOf(config, env);
  if (role === 'worker' && !databaseUrl) {
    throw new UsageError(
      'arx worker needs PostgreSQL: set DATABASE_URL (or store.database_url in arx.yaml)',
      {
        hint:
          'Extra workers share one PostgreSQL. The embedded store belongs to a single process (PGlite has no ' +
          'locking between processes), and that process is `arx serve`, which runs its own workers: raise them ' +
          'with `arx serve --concurrency N`.',
      },
    );
  }
  if (!Number.isInteger(options.concurrency) || options.concurrency < 1 || options.concurrency > 64) {
    throw new UsageError(`--concurrency must be a whole number from 1 to 64 (got ${options.concurrency})`);
  }
  const { openRunHost } = await import('../host.js');
  const host = await openRunHost({
    config,
    env,
    credentialsEnv: env,
    sandbox: false,
    owner: `arx ${role}`,
    log,
  });
  try {
    const queue = await openRunQueue({
      store: host.store,
      databaseUrl,
      onError: (err) => log.warn({ err: err.message }, 'queue error'),
    });
    const service = new RunService({
      role,
      store: host.store,
      engine: host.engine,
      queue,
      env,
      log,
      concurrency: options.concurrency,
    });
    return {
      service,
      store: host.store,
      governance: gateAccess(host.gate),
      close: async () => {
        await service.stop();
        await host.close();
      },
    };
  } catch (err) {
    await host.close().catch(() => {});
    throw err;
  }
}
