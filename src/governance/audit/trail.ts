import type { AuditConfig } from '../../config/governance.js';
import type { Clock } from '../../core/clock.js';
import { ArxError } from '../../core/errors.js';
import { secrets as processSecrets, type SecretRegistry } from '../../core/secrets.js';
import {
  type AuditEntry,
  type AuditHead,
  appendAuditEntry,
  readAuditCheckpoints,
  readAuditEntries,
  readAuditHead,
} from '../../store/audit-repo.js';
import type { AuditKind } from '../../store/governance-statuses.js';
import type { Db } from '../../store/repo-support.js';
import { type AuditFields, checkpointMessage, hashEntry, normalisePayload } from './chain.js';
import type { CheckpointSigner } from './keys.js';
import { type VerifyReport, verifyAuditTrail } from './verify.js';

/** What a caller records; the trail adds seq, time, the chain links and (every so often) a checkpoint. */
export interface AuditDraft {
  kind: AuditKind;
  /** Who acted: `workflow:wiz-distribution`, `user:alice`, `arx`. */
  actor: string;
  /** What: an operation id or a governance event (`approval.approve`, `killswitch.freeze`). */
  action: string;
  verdict?: string | undefined;
  risk?: number | undefined;
  runId?: string | undefined;
  payload: Record<string, unknown>;
  /** Sign a checkpoint at this entry whatever the cadence says (e.g. the end of a run: the run is then signed). */
  checkpoint?: boolean;
}

export interface AuditTrailOptions {
  db: Db;
  clock: Clock;
  signer: CheckpointSigner;
  checkpoints?: Pick<AuditConfig, 'checkpoint_every_entries' | 'checkpoint_every_minutes'>;
  secrets?: SecretRegistry;
}

/** Entries read per query while verifying or exporting: bounded memory per round trip. */
const READ_BATCH = 5000;

/**
 * The append-only, hash-chained audit trail. `append` fails loudly (code `audit_unavailable`) when the
 * entry cannot be written: the gate treats that as "no action".
 *
 * @example
 * const trail = new AuditTrail({ db: store.db, clock, signer });
 * await trail.append({ kind: 'control', actor: 'user:alice', action: 'killswitch.freeze', payload: { reason } });
 */
export class AuditTrail {
  private readonly db: Db;
  private readonly clock: Clock;
  private readonly signer: CheckpointSigner;
  private readonly everyEntries: number;
  private readonly everyMs: number;
  private readonly secrets: SecretRegistry;
  // One append at a time in this process; the head-row lock orders appends across processes.
  private queue: Promise<unknown> = Promise.resolve();

  constructor(options: AuditTrailOptions) {
    this.db = options.db;
    this.clock = options.clock;
    this.signer = options.signer;
    this.everyEntries = options.checkpoints?.checkpoint_every_entries ?? 1000;
    this.everyMs = (options.checkpoints?.checkpoint_every_minutes ?? 10) * 60_000;
    this.secrets = options.secrets ?? processSecrets;
  }

  append(draft: AuditDraft): Promise<AuditEntry> {
    const next = this.queue.then(() => this.write(draft));
    this.queue = next.catch(() => {});
    return next;
  }

  private async write(draft: AuditDraft): Promise<AuditEntry> {
    const payload = normalisePayload(this.secrets.scrubValue(draft.payload));
    try {
      return await appendAuditEntry(this.db, (head) => {
        const at = this.clock.now();
        const fields: AuditFields = {
          seq: head.seq + 1,
          at: at.toISOString(),
          kind: draft.kind,
          actor: draft.actor,
          action: draft.action,
          verdict: draft.verdict ?? null,
          risk: draft.risk ?? null,
          run_id: draft.runId ?? null,
          payload,
          prev_hash: head.hash,
        };
        const entry: AuditEntry = { ...fields, hash: hashEntry(fields) };
        if (!draft.checkpoint && !this.checkpointDue(head, entry.seq, at)) return { entry };
        const unsigned = { seq: entry.seq, hash: entry.hash, at: entry.at };
        return {
          entry,
          checkpoint: {
            ...unsigned,
            key_id: this.signer.keyId,
            signature: this.signer.sign(checkpointMessage(unsigned)),
          },
        };
      });
    } catch (err) {
      throw new ArxError('audit_unavailable', `the audit trail could not be written: ${errorText(err)}`, {
        fault: 'arx',
        retryable: true,
        cause: err,
      });
    }
  }

  private checkpointDue(head: AuditHead, seq: number, at: Date): boolean {
    if (head.checkpointAt === null) return true;
    if (seq - head.checkpointSeq >= this.everyEntries) return true;
    return at.getTime() - head.checkpointAt.getTime() >= this.everyMs;
  }

  /** Re-walks the whole chain and every checkpoint with this deployment's key. */
  async verify(): Promise<VerifyReport> {
    return verifyStoredTrail(this.db, this.signer);
  }
}

/** Verifies the trail in a store with the given key (only its public half is used). */
export async function verifyStoredTrail(
  db: Db,
  verifier: Pick<CheckpointSigner, 'keyId' | 'verify'> | undefined,
): Promise<VerifyReport> {
  const head = await readAuditHead(db);
  const entries: AuditEntry[] = [];
  for (let afterSeq = 0; ; ) {
    const batch = await readAuditEntries(db, { afterSeq, limit: READ_BATCH });
    entries.push(...batch);
    if (batch.length < READ_BATCH) break;
    afterSeq = batch.at(-1)!.seq;
  }
  const checkpoints = await readAuditCheckpoints(db);
  return verifyAuditTrail({ entries, head, checkpoints, verifier });
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
