import type { AuditCheckpoint, AuditEntry, AuditHead } from '../../store/audit-repo.js';
import { GENESIS_HASH } from '../../store/governance-statuses.js';
import { checkpointMessage, hashEntry } from './chain.js';
import type { Verifier } from './keys.js';

/**
 * Re-walks the chain and the checkpoints. Reports every problem found, ordered by position, and names the
 * first bad entry: the place an auditor starts looking.
 *
 * What is caught: an altered entry (its hash no longer recomputes), a removed entry (a gap in seq, or a
 * shortened tail that no longer reaches the head), entries out of order (an entry whose predecessor hash
 * belongs to another entry), a chain rewritten after an alteration (it no longer matches the signed
 * checkpoints), and checkpoints with a bad signature or from another key. A rewrite of the entries after
 * the last checkpoint is only caught by the head row: checkpoint often where that matters.
 */

export type AuditProblemKind =
  | 'altered'
  | 'missing'
  | 'reordered'
  | 'chain_broken'
  | 'head_mismatch'
  | 'checkpoint_mismatch'
  | 'bad_signature'
  | 'unknown_key';

export interface AuditProblem {
  /** The entry (or checkpoint) position concerned. */
  seq: number;
  kind: AuditProblemKind;
  message: string;
}

export interface VerifyReport {
  ok: boolean;
  entries: number;
  checkpoints: number;
  /** Entries up to here are covered by a valid signed checkpoint. */
  signedThrough: number;
  firstBad: AuditProblem | undefined;
  problems: AuditProblem[];
}

export function verifyAuditTrail(input: {
  entries: readonly AuditEntry[];
  head: Pick<AuditHead, 'seq' | 'hash'>;
  checkpoints: readonly AuditCheckpoint[];
  verifier: Verifier | undefined;
}): VerifyReport {
  const problems: AuditProblem[] = [];
  const seqOfHash = new Map(input.entries.map((entry) => [entry.hash, entry.seq]));
  const hashAt = new Map<number, string>();

  let prevHash = GENESIS_HASH;
  let prevSeq = 0;
  for (const entry of input.entries) {
    const expected = prevSeq + 1;
    const gap = entry.seq !== expected;
    if (gap) {
      problems.push({
        seq: expected,
        kind: 'missing',
        message:
          entry.seq > expected
            ? `entry ${expected}${entry.seq - expected > 1 ? `–${entry.seq - 1}` : ''} missing: removed from the trail`
            : `entry ${entry.seq} appears out of sequence`,
      });
    }
    const recomputes = hashEntry(entry) === entry.hash;
    const altered: AuditProblem = {
      seq: entry.seq,
      kind: 'altered',
      message: `entry ${entry.seq} was altered: its hash does not match its content`,
    };
    if (entry.prev_hash !== prevHash) {
      const chainedAfter = seqOfHash.get(entry.prev_hash);
      if (chainedAfter !== undefined && chainedAfter !== prevSeq) {
        problems.push({
          seq: entry.seq,
          kind: 'reordered',
          message: `entry ${entry.seq} is out of order: it was chained after entry ${chainedAfter}`,
        });
      } else if (!recomputes) {
        problems.push(altered);
      } else if (!gap) {
        problems.push({
          seq: entry.seq,
          kind: 'chain_broken',
          message: `entry ${entry.seq} does not follow entry ${prevSeq}: its previous-hash link was rewritten`,
        });
      }
    } else if (!recomputes) {
      problems.push(altered);
    }
    hashAt.set(entry.seq, entry.hash);
    prevHash = entry.hash;
    prevSeq = entry.seq;
  }

  const last = input.entries.at(-1);
  const lastSeq = last?.seq ?? 0;
  const lastHash = last?.hash ?? GENESIS_HASH;
  if (input.head.seq > lastSeq) {
    problems.push({
      seq: lastSeq + 1,
      kind: 'missing',
      message: `entries ${lastSeq + 1}–${input.head.seq} missing: the trail ends before its recorded head`,
    });
  } else if (input.head.seq !== lastSeq || input.head.hash !== lastHash) {
    problems.push({
      seq: input.head.seq + 1,
      kind: 'head_mismatch',
      message: `the recorded head (entry ${input.head.seq}) does not match the last entry ${lastSeq}`,
    });
  }

  let signedThrough = 0;
  for (const checkpoint of input.checkpoints) {
    const problem = checkCheckpoint(checkpoint, hashAt, input.verifier);
    if (problem) problems.push(problem);
    else if (problems.every((p) => p.seq > checkpoint.seq)) signedThrough = checkpoint.seq;
  }

  problems.sort((a, b) => a.seq - b.seq);
  return {
    ok: problems.length === 0,
    entries: input.entries.length,
    checkpoints: input.checkpoints.length,
    signedThrough,
    firstBad: problems[0],
    problems,
  };
}

function checkCheckpoint(
  checkpoint: AuditCheckpoint,
  hashAt: ReadonlyMap<number, string>,
  verifier: Verifier | undefined,
): AuditProblem | undefined {
  const at = checkpoint.seq;
  if (!verifier) {
    return {
      seq: at,
      kind: 'unknown_key',
      message: `checkpoint at entry ${at} cannot be checked: no verification key`,
    };
  }
  if (checkpoint.key_id !== verifier.keyId) {
    return {
      seq: at,
      kind: 'unknown_key',
      message: `checkpoint at entry ${at} was signed by key ${checkpoint.key_id}, not this deployment's key ${verifier.keyId}`,
    };
  }
  if (!verifier.verify(checkpointMessage(checkpoint), checkpoint.signature)) {
    return { seq: at, kind: 'bad_signature', message: `checkpoint at entry ${at} has a bad signature` };
  }
  const hash = hashAt.get(at);
  if (hash !== checkpoint.hash) {
    return {
      seq: at,
      kind: 'checkpoint_mismatch',
      message:
        hash === undefined
          ? `checkpoint at entry ${at} signs an entry that is no longer in the trail`
          : `entries up to ${at} were rewritten since checkpoint ${at} was signed`,
    };
  }
  return undefined;
}
