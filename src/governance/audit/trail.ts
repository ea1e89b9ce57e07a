import type { AuditConfig } from '../../config/governance.js';
import type { Clock } from '../../core/clock.js';
import { ArxError } from '../../core/errors.js';
import { secrets as processSecrets, type SecretRegistry } from '../../core/secrets.js';
import type { Logger } from '../../log/logger.js';
import {
  type AuditBatch,
  type AuditCheckpoint,
  type AuditEntry,
  type AuditHead,
  type AuditQuery,
  appendAuditBatch,
  readAuditCheckpoints,
  readAuditEntries,
  readAuditHead,
} from '../../store/audit-repo.js';
import type { AuditKind } from '../../store/governance-statuses.js';
import type { Db } from '../../store/repo-support.js';
import { type AuditFields, checkpointMessage, hashEntry, normalisePayload } from './chain.js';
import { GroupCommit } from './group-commit.js';
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
  log?: Logger | undefined;
}

/** Entries read per query while verifying or exporting: bounded memory per round trip. */
const READ_BATCH = 5000;
/** Entries per statement when many are queued. */
const MAX_BATCH = 500;
/** How long a deferred entry (a call's result) waits to share a write before it is written alone. */
const DEFER_MS = 2;

/** An entry as queued: the draft, already scrubbed and normalised, with the time it was recorded. */
interface QueuedEntry {
  draft: AuditDraft;
  payload: Record<string, unknown>;
  at: Date;
}

/**
 * The append-only, hash-chained audit trail. `append` resolves once the entry is durable and fails loudly
 * (code `audit_unavailable`) when it cannot be written: the gate treats that as "no action". `defer` records
 * an entry nobody needs to wait for (a call's result); it is written with the next batch, in order, within
 * milliseconds, and `flush` waits for everything recorded so far.
 *
 * Appends are group-committed (`group-commit.ts`): one writer per process chains queued entries onto the
 * head and writes them in one statement that only applies if the head has not moved (another process
 * appended first: re-read the head and chain again). The head is kept in memory between writes.
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
  private readonly writer: GroupCommit<QueuedEntry, AuditEntry>;
  /** The chain head as of our last write; undefined until read, or after a write whose outcome is unknown. */
  private head: AuditHead | undefined;

  constructor(options: AuditTrailOptions) {
    this.db = options.db;
    this.clock = options.clock;
    this.signer = options.signer;
    this.everyEntries = options.checkpoints?.checkpoint_every_entries ?? 1000;
    this.everyMs = (options.checkpoints?.checkpoint_every_minutes ?? 10) * 60_000;
    this.secrets = options.secrets ?? processSecrets;
    const log = options.log;
    this.writer = new GroupCommit({
      write: (batch) => this.write(batch),
      deferMs: DEFER_MS,
      maxBatch: MAX_BATCH,
      onDeferredFailure: (err, waiting) =>
        log?.error({ waiting, error: errorText(err) }, 'audit entries could not be written yet; will retry'),
    });
  }

  /** Records an entry and resolves once it is durable, with its seq and hash. */
  append(draft: AuditDraft): Promise<AuditEntry> {
    return this.writer.add(this.queued(draft)).catch((err: unknown) => {
      throw unavailable(err);
    });
  }

  /** Records an entry without waiting for it: it is written in order with the next batch. */
  defer(draft: AuditDraft): void {
    this.writer.defer(this.queued(draft));
  }

  /** Waits until every entry recorded so far is durable (before closing the store, or reading back). */
  async flush(): Promise<void> {
    await this.writer.flush().catch((err: unknown) => {
      throw unavailable(err);
    });
  }

  private queued(draft: AuditDraft): QueuedEntry {
    return { draft, payload: normalisePayload(this.secrets.scrubValue(draft.payload)), at: this.clock.now() };
  }

  private async write(batch: readonly QueuedEntry[]): Promise<AuditEntry[]> {
    let head = this.head ?? (await readAuditHead(this.db));
    for (;;) {
      const chained = this.chain(head, batch);
      let applied: boolean;
      try {
        applied = await appendAuditBatch(this.db, head, chained);
      } catch (err) {
        this.head = undefined;
        // the answer may have been lost after the write committed: the head says whether it did
        const now = await readAuditHead(this.db).catch(() => undefined);
        if (now?.hash !== chained.entries.at(-1)!.hash) throw err;
        applied = true;
      }
      if (applied) {
        this.head = headAfter(head, chained);
        return chained.entries;
      }
      head = await readAuditHead(this.db);
    }
  }

  /** Chains the batch onto `head`, signing a checkpoint wherever one is due. */
  private chain(head: AuditHead, batch: readonly QueuedEntry[]): AuditBatch {
    const entries: AuditEntry[] = [];
    const checkpoints: AuditCheckpoint[] = [];
    let prev = { seq: head.seq, hash: head.hash };
    let lastCheckpoint = { seq: head.checkpointSeq, at: head.checkpointAt };
    for (const { draft, payload, at } of batch) {
      const fields: AuditFields = {
        seq: prev.seq + 1,
        at: at.toISOString(),
        kind: draft.kind,
        actor: draft.actor,
        action: draft.action,
        verdict: draft.verdict ?? null,
        risk: draft.risk ?? null,
        run_id: draft.runId ?? null,
        payload,
        prev_hash: prev.hash,
      };
      const entry: AuditEntry = { ...fields, hash: hashEntry(fields) };
      entries.push(entry);
      prev = entry;
      if (draft.checkpoint || this.checkpointDue(lastCheckpoint, entry.seq, at)) {
        const unsigned = { seq: entry.seq, hash: entry.hash, at: entry.at };
        checkpoints.push({
          ...unsigned,
          key_id: this.signer.keyId,
          signature: this.signer.sign(checkpointMessage(unsigned)),
        });
        lastCheckpoint = { seq: entry.seq, at };
      }
    }
    return { entries, checkpoints };
  }

  private checkpointDue(last: { seq: number; at: Date | null }, seq: number, at: Date): boolean {
    if (last.at === null) return true;
    if (seq - last.seq >= this.everyEntries) return true;
    return at.getTime() - last.at.getTime() >= this.everyMs;
  }

  /** Reads entries back (oldest first by default), once everything recorded before is written. */
  async entries(query: AuditQuery = {}): Promise<AuditEntry[]> {
    await this.flush();
    return readAuditEntries(this.db, query);
  }

  /** Re-walks the whole chain and every checkpoint with this deployment's key. */
  async verify(): Promise<VerifyReport> {
    await this.flush();
    return verifyStoredTrail(this.db, this.signer);
  }
}

function headAfter(head: AuditHead, batch: AuditBatch): AuditHead {
  const last = batch.entries.at(-1)!;
  const checkpoint = batch.checkpoints.at(-1);
  return {
    seq: last.seq,
    hash: last.hash,
    checkpointSeq: checkpoint ? checkpoint.seq : head.checkpointSeq,
    checkpointAt: checkpoint ? new Date(checkpoint.at) : head.checkpointAt,
  };
}

function unavailable(err: unknown): ArxError {
  return new ArxError('audit_unavailable', `the audit trail could not be written: ${errorText(err)}`, {
    fault: 'arx',
    retryable: true,
    cause: err,
  });
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
