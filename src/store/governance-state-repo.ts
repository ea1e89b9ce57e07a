import type { Timestamp } from './database.js';
import { KILL_SWITCH_KINDS, type KillSwitchKind } from './governance-statuses.js';
import type { Db } from './repo-support.js';

/**
 * The kill switch's state: a `freeze` row stops every write, a `suspend` row stops one principal. The gate
 * reads it on every call, so a change is effective at the next call in every process sharing the store.
 */
export interface KillSwitchTable {
  kind: KillSwitchKind;
  /** `kind:id` of a suspended principal; empty for a freeze. */
  principal: string;
  reason: string | null;
  actor: string;
  at: Timestamp;
}

declare module './database.js' {
  interface Database {
    kill_switch: KillSwitchTable;
  }
}

export interface KillSwitchEntry {
  kind: KillSwitchKind;
  principal: string;
  reason: string | null;
  actor: string;
  at: Date;
}

export async function readKillSwitch(db: Db): Promise<KillSwitchEntry[]> {
  const rows = await db.selectFrom('kill_switch').selectAll().orderBy('at').execute();
  return rows.map((row) => ({ ...row, at: new Date(row.at) }));
}

/** Sets a freeze (principal '') or a suspension; returns false when it was already in place. */
export async function engageKillSwitch(db: Db, entry: KillSwitchEntry): Promise<boolean> {
  const result = await db
    .insertInto('kill_switch')
    .values(entry)
    .onConflict((oc) => oc.columns(['kind', 'principal']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** Lifts a freeze (principal '') or one suspension; returns false when there was nothing to lift. */
export async function releaseKillSwitch(db: Db, kind: KillSwitchKind, principal = ''): Promise<boolean> {
  const result = await db
    .deleteFrom('kill_switch')
    .where('kind', '=', kind)
    .where('principal', '=', kind === KILL_SWITCH_KINDS.freeze ? '' : principal)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
