import type { Clock } from '../core/clock.js';
import {
  engageKillSwitch,
  type KillSwitchEntry,
  readKillSwitch,
  releaseKillSwitch,
} from '../store/governance-state-repo.js';
import { KILL_SWITCH_KINDS } from '../store/governance-statuses.js';
import type { Db } from '../store/repo-support.js';
import type { AuditTrail } from './audit/trail.js';
import type { Verb } from './catalog.js';
import { type Principal, principalRef } from './principal.js';
import { RefreshingValue } from './refreshing-value.js';

/**
 * The kill switch: `freeze` stops every write by everyone, `suspend` stops one principal entirely. State
 * lives in the store. A call that writes reads it afresh, so a freeze stops the next write in every process
 * sharing the store — including a workflow that is already running. A read uses the state read in the last
 * 250 ms, or up to a second while a fresher read runs (a suspension reaches another process's reads that much
 * later); a change made through this object applies at once. Every change is audited.
 */
export interface KillSwitchBlock {
  kind: 'freeze' | 'suspend';
  reason: string;
}

export interface KillSwitchChange {
  /** Who pulls the switch (`user:alice`). */
  actor: string;
  reason?: string | undefined;
}

/** A read uses a state this fresh as it is; up to READ_USABLE_MS old, while a fresher one is read meanwhile. */
const READ_FRESH_MS = 250;
const READ_USABLE_MS = 1000;

export class KillSwitch {
  readonly #state: RefreshingValue<KillSwitchEntry[]>;

  constructor(
    private readonly db: Db,
    private readonly audit: AuditTrail,
    private readonly clock: Clock,
  ) {
    this.#state = new RefreshingValue({
      read: () => readKillSwitch(this.db),
      clock,
      freshMs: READ_FRESH_MS,
      usableMs: READ_USABLE_MS,
    });
  }

  /**
   * Whether this call must stop: a suspended principal is stopped for every operation; a freeze stops every
   * operation that is not a read.
   * @example const block = await killSwitch.check(principal, 'write'); if (block) deny(block.reason);
   */
  async check(principal: Principal, verb: Verb): Promise<KillSwitchBlock | undefined> {
    const entries = verb === 'read' ? await this.#state.get() : await this.#state.readNow();
    const ref = principalRef(principal);
    const suspended = entries.find((e) => e.kind === KILL_SWITCH_KINDS.suspend && e.principal === ref);
    if (suspended) return { kind: 'suspend', reason: `${ref} is suspended${describe(suspended)}` };
    const frozen = entries.find((e) => e.kind === KILL_SWITCH_KINDS.freeze);
    if (frozen && verb !== 'read')
      return { kind: 'freeze', reason: `all writes are frozen${describe(frozen)}` };
    return undefined;
  }

  status(): Promise<KillSwitchEntry[]> {
    return this.#state.readNow();
  }

  /** Stops every write. Returns false when a freeze was already in place. */
  async freeze(change: KillSwitchChange): Promise<boolean> {
    return this.engage(KILL_SWITCH_KINDS.freeze, '', change);
  }

  /** Stops one principal (`kind:id`). Returns false when it was already suspended. */
  async suspend(principal: Principal, change: KillSwitchChange): Promise<boolean> {
    return this.engage(KILL_SWITCH_KINDS.suspend, principalRef(principal), change);
  }

  /** Lifts the freeze (no principal) or one suspension. Returns false when there was nothing to lift. */
  async resume(principal: Principal | undefined, change: KillSwitchChange): Promise<boolean> {
    const kind = principal ? KILL_SWITCH_KINDS.suspend : KILL_SWITCH_KINDS.freeze;
    const target = principal ? principalRef(principal) : '';
    const lifted = await releaseKillSwitch(this.db, kind, target);
    this.#state.invalidate();
    if (lifted) {
      await this.audit.append({
        kind: 'control',
        actor: change.actor,
        action: principal ? 'killswitch.resume' : 'killswitch.unfreeze',
        payload: { principal: target || undefined, reason: change.reason },
      });
    }
    return lifted;
  }

  private async engage(
    kind: 'freeze' | 'suspend',
    principal: string,
    change: KillSwitchChange,
  ): Promise<boolean> {
    // audit first: a switch that cannot be recorded is still pulled (stopping is always safe), but never silently
    await this.audit.append({
      kind: 'control',
      actor: change.actor,
      action: kind === 'freeze' ? 'killswitch.freeze' : 'killswitch.suspend',
      payload: { principal: principal || undefined, reason: change.reason },
    });
    const engaged = await engageKillSwitch(this.db, {
      kind,
      principal,
      reason: change.reason ?? null,
      actor: change.actor,
      at: this.clock.now(),
    });
    this.#state.invalidate();
    return engaged;
  }
}

function describe(entry: KillSwitchEntry): string {
  return ` by ${entry.actor} at ${entry.at.toISOString()}${entry.reason ? ` (${entry.reason})` : ''}`;
}
