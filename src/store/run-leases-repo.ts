import { sql } from 'kysely';
import { type Clock, systemClock } from '../core/clock.js';
import { type Db, toJson } from './repo-support.js';

/**
 * Who is executing a run right now. A lease is a `kv` row (`run-lease:<run id>`) naming the owning process,
 * refreshed by a heartbeat while the run executes and deleted when it stops. A run whose lease is missing,
 * stale, or held by a process that no longer exists is interrupted: the engine may take it over and resume.
 * Taking over is a compare-and-swap on the previous owner, so two processes never both resume one run.
 */
export interface LeaseHolder {
  /** Unique per engine instance: `<host>:<pid>:<random>`. */
  owner: string;
  host: string;
  pid: number;
}

export interface RunLease extends LeaseHolder {
  runId: string;
  /** The last heartbeat. */
  heartbeatAt: Date;
}

const PREFIX = 'run-lease:';

export class RunLeasesRepo {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock = systemClock,
  ) {}

  async get(runId: string): Promise<RunLease | undefined> {
    const row = await this.db
      .selectFrom('kv')
      .select(['value', 'updated_at'])
      .where('key', '=', PREFIX + runId)
      .executeTakeFirst();
    if (!row) return undefined;
    const holder = row.value as Partial<LeaseHolder>;
    return {
      runId,
      owner: String(holder.owner ?? ''),
      host: String(holder.host ?? ''),
      pid: Number(holder.pid ?? 0),
      heartbeatAt: row.updated_at,
    };
  }

  /**
   * Takes the lease of `runId`. Without `replacing` it succeeds only when nobody holds it (or `holder`
   * already does); with `replacing` only while that owner still holds it, so of two processes replacing
   * the same dead owner exactly one wins.
   */
  async acquire(runId: string, holder: LeaseHolder, replacing?: string): Promise<boolean> {
    const key = PREFIX + runId;
    const value = toJson(holder);
    const now = this.clock.now();
    if (replacing !== undefined) {
      const row = await this.db
        .updateTable('kv')
        .set({ value, updated_at: now })
        .where('key', '=', key)
        .where(sql<string>`value->>'owner'`, '=', replacing)
        .returning('key')
        .executeTakeFirst();
      return row !== undefined;
    }
    const row = await this.db
      .insertInto('kv')
      .values({ key, value, updated_at: now })
      .onConflict((oc) =>
        oc
          .column('key')
          .doUpdateSet({ updated_at: now })
          .where(sql<string>`kv.value->>'owner'`, '=', holder.owner),
      )
      .returning('key')
      .executeTakeFirst();
    return row !== undefined;
  }

  /** Refreshes the lease; false when `owner` no longer holds it (another process took the run over). */
  async heartbeat(runId: string, owner: string): Promise<boolean> {
    const row = await this.db
      .updateTable('kv')
      .set({ updated_at: this.clock.now() })
      .where('key', '=', PREFIX + runId)
      .where(sql<string>`value->>'owner'`, '=', owner)
      .returning('key')
      .executeTakeFirst();
    return row !== undefined;
  }

  async release(runId: string, owner: string): Promise<boolean> {
    const row = await this.db
      .deleteFrom('kv')
      .where('key', '=', PREFIX + runId)
      .where(sql<string>`value->>'owner'`, '=', owner)
      .returning('key')
      .executeTakeFirst();
    return row !== undefined;
  }
}
