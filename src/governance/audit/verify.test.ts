import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { AuditCheckpoint, AuditEntry } from '../../store/audit-repo.js';
import { GENESIS_HASH } from '../../store/governance-statuses.js';
import { checkpointMessage, hashEntry } from './chain.js';
import { generateSigner } from './keys.js';
import { verifyAuditTrail } from './verify.js';

const signer = generateSigner();

function buildChain(
  count: number,
  checkpointEvery = 4,
): { entries: AuditEntry[]; checkpoints: AuditCheckpoint[] } {
  const entries: AuditEntry[] = [];
  const checkpoints: AuditCheckpoint[] = [];
  let prev = GENESIS_HASH;
  for (let seq = 1; seq <= count; seq++) {
    const fields = {
      seq,
      at: new Date(Date.UTC(2026, 0, 1, 0, seq)).toISOString(),
      kind: seq % 2 ? ('intent' as const) : ('result' as const),
      actor: `workflow:w${seq % 3}`,
      action: 'jira:issues:create',
      verdict: seq % 2 ? 'allow' : null,
      risk: seq % 2 ? 40 + seq : null,
      run_id: 'run-1',
      payload: { n: seq, nested: { list: [seq, 'x'] } },
      prev_hash: prev,
    };
    const entry = { ...fields, hash: hashEntry(fields) };
    entries.push(entry);
    prev = entry.hash;
    if (seq % checkpointEvery === 0) {
      const unsigned = { seq, hash: entry.hash, at: entry.at };
      checkpoints.push({
        ...unsigned,
        key_id: signer.keyId,
        signature: signer.sign(checkpointMessage(unsigned)),
      });
    }
  }
  return { entries, checkpoints };
}

function verify(entries: AuditEntry[], checkpoints: AuditCheckpoint[], head = headOf(buildChain(0).entries)) {
  return verifyAuditTrail({ entries, checkpoints, head, verifier: signer });
}

function headOf(entries: AuditEntry[]) {
  const last = entries.at(-1);
  return { seq: last?.seq ?? 0, hash: last?.hash ?? GENESIS_HASH };
}

type Mutation =
  | { type: 'alter'; at: number; field: 'actor' | 'action' | 'verdict' | 'risk' | 'payload' | 'at' | 'hash' }
  | { type: 'remove'; at: number }
  | { type: 'swap'; at: number; with: number };

/** Applies one tampering to a copy of the chain; returns the position verify must name first. */
function tamper(entries: AuditEntry[], mutation: Mutation): { entries: AuditEntry[]; firstBad: number } {
  const copy = entries.map((entry) => ({ ...entry }));
  const i = mutation.at;
  if (mutation.type === 'alter') {
    const entry = copy[i]!;
    if (mutation.field === 'payload') entry.payload = { ...entry.payload, n: -1 };
    else if (mutation.field === 'risk') entry.risk = (entry.risk ?? 0) + 1;
    else if (mutation.field === 'verdict') entry.verdict = entry.verdict === 'deny' ? 'allow' : 'deny';
    else if (mutation.field === 'at') entry.at = new Date(Date.parse(entry.at) + 1000).toISOString();
    else if (mutation.field === 'hash') entry.hash = 'f'.repeat(64);
    else entry[mutation.field] = `${entry[mutation.field]}x`;
    return { entries: copy, firstBad: i + 1 };
  }
  if (mutation.type === 'remove') {
    copy.splice(i, 1);
    return { entries: copy, firstBad: i + 1 };
  }
  // swap the contents of two positions; each row keeps its position's seq (the table's primary key)
  const j = mutation.with;
  const [a, b] = [copy[i]!, copy[j]!];
  copy[i] = { ...b, seq: a.seq };
  copy[j] = { ...a, seq: b.seq };
  return { entries: copy, firstBad: Math.min(i, j) + 1 };
}

describe('audit verify', () => {
  it('accepts an untouched chain with valid checkpoints', () => {
    const { entries, checkpoints } = buildChain(12);
    const report = verify(entries, checkpoints, headOf(entries));
    assert.equal(report.ok, true, JSON.stringify(report.problems));
    assert.equal(report.signedThrough, 12);
  });

  it('detects any single alteration, removal or swap, and names the first bad entry', () => {
    const size = 9;
    const { entries, checkpoints } = buildChain(size);
    const head = headOf(entries);
    const position = fc.integer({ min: 0, max: size - 1 });
    const mutation: fc.Arbitrary<Mutation> = fc.oneof(
      fc.record({
        type: fc.constant('alter' as const),
        at: position,
        field: fc.constantFrom('actor', 'action', 'verdict', 'risk', 'payload', 'at', 'hash') as fc.Arbitrary<
          'actor' | 'action' | 'verdict' | 'risk' | 'payload' | 'at' | 'hash'
        >,
      }),
      fc.record({ type: fc.constant('remove' as const), at: position }),
      fc
        .tuple(position, position)
        .filter(([x, y]) => x !== y)
        .map(([x, y]) => ({ type: 'swap' as const, at: x, with: y })),
    );
    fc.assert(
      fc.property(mutation, (m) => {
        const tampered = tamper(entries, m);
        const report = verify(tampered.entries, checkpoints, head);
        assert.equal(report.ok, false, `${JSON.stringify(m)} went undetected`);
        assert.equal(
          report.firstBad?.seq,
          tampered.firstBad,
          `${JSON.stringify(m)}: ${report.firstBad?.message}`,
        );
      }),
      { numRuns: 300 },
    );
  });

  it('classifies what happened', () => {
    const { entries, checkpoints } = buildChain(8);
    const head = headOf(entries);
    const kindFor = (m: Mutation) => verify(tamper(entries, m).entries, checkpoints, head).firstBad?.kind;
    assert.equal(kindFor({ type: 'alter', at: 2, field: 'payload' }), 'altered');
    assert.equal(kindFor({ type: 'remove', at: 2 }), 'missing');
    assert.equal(kindFor({ type: 'remove', at: 7 }), 'missing');
    assert.equal(kindFor({ type: 'swap', at: 2, with: 3 }), 'reordered');
  });

  it('catches a chain rewritten after an alteration through the signed checkpoints', () => {
    const { entries, checkpoints } = buildChain(8);
    // alter entry 3 and recompute every hash after it, as someone with database access could
    const rewritten: AuditEntry[] = [];
    let prev = GENESIS_HASH;
    for (const entry of entries) {
      const fields = {
        ...entry,
        prev_hash: prev,
        payload: entry.seq === 3 ? { forged: true } : entry.payload,
      };
      const { hash: _old, ...withoutHash } = fields;
      const next = { ...withoutHash, hash: hashEntry(withoutHash) };
      rewritten.push(next);
      prev = next.hash;
    }
    const report = verify(rewritten, checkpoints, headOf(rewritten));
    assert.equal(report.ok, false);
    assert.equal(report.firstBad?.kind, 'checkpoint_mismatch');
    assert.equal(report.firstBad?.seq, 4);
  });

  it('rejects a forged checkpoint signature and a checkpoint from another key', () => {
    const { entries, checkpoints } = buildChain(8);
    const forged = checkpoints.map((c, i) =>
      i === 0 ? { ...c, signature: signer.sign('something else') } : c,
    );
    assert.equal(verify(entries, forged, headOf(entries)).firstBad?.kind, 'bad_signature');
    const other = generateSigner();
    const foreign = checkpoints.map((c) => ({
      ...c,
      key_id: other.keyId,
      signature: other.sign(checkpointMessage(c)),
    }));
    assert.equal(verify(entries, foreign, headOf(entries)).firstBad?.kind, 'unknown_key');
  });

  it('reports a tail cut short against the recorded head', () => {
    const { entries, checkpoints } = buildChain(8);
    const report = verify(entries.slice(0, 6), checkpoints.slice(0, 1), headOf(entries));
    assert.deepEqual([report.firstBad?.kind, report.firstBad?.seq], ['missing', 7]);
  });
});
