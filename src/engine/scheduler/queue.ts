import type { PgBoss, Db as QueueDb } from 'pg-boss';
import type { Store } from '../../store/open.js';

/**
 * The run queue: a real PostgreSQL queue (pg-boss 12) in a schema of its own, on the same database as the
 * store. A job says "execute run <id>"; the run row already holds the workflow and its options.
 *
 * - One job per run at a time: the queue's `exclusive` policy with the run id as singleton key refuses a
 *   second queued or active job for the same run, so a schedule firing, the interrupted-run sweep and a
 *   manual request may all ask for a run without ever executing it twice at once (the engine's run lease
 *   is the final word).
 * - Heartbeats: a worker refreshes its job every HEARTBEAT_SECONDS/2; a job whose worker died (kill -9,
 *   lost machine) is retried after HEARTBEAT_SECONDS, and resumes the run where it stopped.
 * - Polling: a job is minutes of work, so each worker fetches one job when it is free (`batchSize` 1 with
 *   `localConcurrency` workers) instead of hoarding a batch other machines could run; LISTEN/NOTIFY wakes
 *   idle workers at once, and the 1 s poll is only the floor.
 */
export const RUN_QUEUE = 'arx-runs';
/** pg-boss's minimum is 10; 30 s bounds how long a dead worker's run waits to be resumed. */
export const HEARTBEAT_SECONDS = 30;
const POLLING_SECONDS = 1;
/** A run is bounded by its own timeouts, not the queue's: a day, so a long run is never retried mid-way. */
const EXPIRE_SECONDS = 24 * 60 * 60;

export interface RunJob {
  runId: string;
  workflow: string;
}

export interface RunQueueOptions {
  store: Pick<Store, 'driver' | 'schema' | 'pglite' | 'pool'>;
  /** PostgreSQL only: the queue opens its own small pool (it needs a session for LISTEN). */
  databaseUrl?: string | undefined;
  onError?: ((err: Error) => void) | undefined;
}

export interface RunQueue {
  readonly schema: string;
  /** Asks for `runId` to be executed; false when a job for it is already queued or running. */
  send(job: RunJob): Promise<boolean>;
  /** Runs `handler` for each job, `concurrency` at a time in this process. */
  work(concurrency: number, handler: (job: RunJob, signal: AbortSignal) => Promise<void>): Promise<void>;
  /** Jobs waiting and running now, for /healthz. */
  counts(): Promise<{ queued: number; active: number }>;
  stop(): Promise<void>;
}

/** The queue's schema: beside the store's tables, never mixed with them (`arx_queue`, `<schema>_queue`). */
export function queueSchemaFor(store: Pick<Store, 'schema'>): string {
  return store.schema ? `${store.schema}_queue` : 'arx_queue';
}

export async function openRunQueue(options: RunQueueOptions): Promise<RunQueue> {
  const { PgBoss } = await import('pg-boss');
  const { store } = options;
  const schema = queueSchemaFor(store);
  const common = {
    schema,
    supervise: true,
    migrate: true,
    registerInstance: false,
    persistWarnings: false,
    openTelemetry: { enabled: false },
  } as const;
  let boss: PgBoss;
  if (store.pglite) {
    boss = new PgBoss({ ...common, backend: 'pglite', db: await exclusivePglite(store) });
  } else {
    if (!options.databaseUrl) throw new Error('the run queue on PostgreSQL needs the database URL');
    boss = new PgBoss({
      ...common,
      connectionString: options.databaseUrl,
      max: 4,
      application_name: 'arx-queue',
      useListenNotify: true,
    });
  }
  boss.on('error', (err) => options.onError?.(err));
  await boss.start();
  await ensureQueue(boss);
  const workers: string[] = [];
  let stopped = false;
  return {
    schema,
    async send(job) {
      const id = await boss.send(RUN_QUEUE, { ...job }, { singletonKey: job.runId });
      return id !== null;
    },
    async work(concurrency, handler) {
      const id = await boss.work<RunJob>(
        RUN_QUEUE,
        { batchSize: 1, localConcurrency: concurrency, pollingIntervalSeconds: POLLING_SECONDS },
        async (jobs) => {
          for (const job of jobs) await handler(job.data, job.signal);
        },
      );
      workers.push(id);
    },
    async counts() {
      const queue = await boss.getQueue(RUN_QUEUE);
      return { queued: queue?.queuedCount ?? 0, active: queue?.activeCount ?? 0 };
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      // The handlers have been told to stop (their runs are left resumable); wait briefly for them.
      await boss.stop({ graceful: true, timeout: 10_000, close: true });
    },
  };
}

async function ensureQueue(boss: PgBoss): Promise<void> {
  const settings = {
    policy: 'exclusive',
    heartbeatSeconds: HEARTBEAT_SECONDS,
    expireInSeconds: EXPIRE_SECONDS,
    retryLimit: 5,
    retryDelay: 5,
    retryBackoff: true,
    notify: true,
  } as const;
  if (await boss.getQueue(RUN_QUEUE)) return;
  try {
    await boss.createQueue(RUN_QUEUE, settings);
  } catch (err) {
    // two processes creating it at once: the other one won, which is what we wanted
    if (!(await boss.getQueue(RUN_QUEUE))) throw err;
  }
}

/**
 * pg-boss on the embedded store's PGlite (`fromPglite`), made to wait for the store's single pool
 * connection before each statement. PGlite has one session: without this, a pg-boss statement could land
 * inside an Arx transaction (an audit append) on the same session, and its BEGIN/COMMIT or error ROLLBACK
 * would end that transaction early. Holding the pool's only connection means no Arx transaction is open.
 */
async function exclusivePglite(store: Pick<Store, 'pglite' | 'pool'>): Promise<QueueDb> {
  const { fromPglite } = await import('pg-boss');
  const inner = fromPglite(store.pglite as never);
  const exclusive = async <T>(work: () => Promise<T>): Promise<T> => {
    const client = await store.pool.connect();
    try {
      return await work();
    } finally {
      client.release();
    }
  };
  return {
    executeSql: (text, values) => exclusive(() => inner.executeSql(text, values)),
    ...(inner.setSessionStatements
      ? {
          setSessionStatements: (statements: string[]) =>
            exclusive(() => inner.setSessionStatements!(statements)),
        }
      : {}),
    ...(inner.listen
      ? {
          listen: (channel: string, onNotification: (payload: string) => void, onReconnect: () => void) =>
            exclusive(() => inner.listen!(channel, onNotification, onReconnect)),
        }
      : {}),
  };
}
