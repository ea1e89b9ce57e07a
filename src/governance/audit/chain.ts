import { canonicalJson, sha256Hex } from '../../core/canonical.js';
import type { AuditEntry } from '../../store/audit-repo.js';

/**
 * The hash chain: each entry's hash is SHA-256 over its predecessor's hash and the canonical JSON of its own
 * fields, so changing, removing or reordering any entry breaks every hash after it. Checkpoints sign the
 * chain head at a point in time, so a rewritten chain no longer matches what was signed.
 */

/** The fields an entry's hash covers: everything but the hash itself. */
export type AuditFields = Omit<AuditEntry, 'hash'>;

export function hashEntry(fields: AuditFields): string {
  const covered = {
    seq: fields.seq,
    at: fields.at,
    kind: fields.kind,
    actor: fields.actor,
    action: fields.action,
    verdict: fields.verdict,
    risk: fields.risk,
    run_id: fields.run_id,
    payload: fields.payload,
  };
  return sha256Hex(`${fields.prev_hash}\n${canonicalJson(covered)}`);
}

/** What a checkpoint signs: the chain head at `seq`. */
export function checkpointMessage(checkpoint: { seq: number; hash: string; at: string }): string {
  return canonicalJson({ seq: checkpoint.seq, hash: checkpoint.hash, at: checkpoint.at });
}

/**
 * JSON as it comes back from a jsonb column: what is hashed must be exactly what is stored and read back,
 * so payloads are normalised before hashing (no undefined, no Dates, no NUL characters jsonb rejects).
 */
export function normalisePayload(payload: Record<string, unknown>): Record<string, unknown> {
  const text = canonicalJson(payload).replace(/\\u0000/g, '');
  return JSON.parse(text) as Record<string, unknown>;
}
