import assert from 'node:assert/strict';
import { it } from 'node:test';
import { sql } from 'kysely';
import { TestClock } from '../src/core/clock.js';
import { generateSigner } from '../src/governance/audit/keys.js';
import { AuditTrail, verifyStoredTrail } from '../src/governance/audit/trail.js';
import { countIntentsSince, readAuditCheckpoints, readAuditEntries } from '../src/store/audit-repo.js';
import { openStore } from '../src/store/open.js';
import { forEachStore } from './support/stores.js';

const signer = generateSigner();

forEachStore('audit trail', (openTestStore, driver) => {
  async function setup(checkpointEvery = 3) {
    const clock = new TestClock('2026-03-02T09:00:00Z');
    const store = await openTestStore({ clock });
    const trail = new AuditTrail({
      db: store.db,
      clock,
      signer,
      checkpoints: { checkpoint_every_entries: checkpointEvery, checkpoint_every_minutes: 60 },
    });
    return { store, trail, clock };
  }

  const draft = (n: number) => ({
    kind: 'intent' as const,
    actor: 'workflow:wiz-distribution',
    action: 'jira:issues:create',
    verdict: 'allow',
    risk: 40,
    payload: { n, token: 'xoxb-secret-value', when: new Date('2026-01-01T00:00:00Z'), skip: undefined },
  });

  it('chains appended entries, checkpoints them, and verifies clean', async () => {
    const { store, trail, clock } = await setup();
    for (let n = 1; n <= 7; n++) {
      await trail.append(draft(n));
      clock.tick(1000);
    }
    const entries = await readAuditEntries(store.db);
    assert.deepEqual(
      entries.map((e) => e.seq),
      [1, 2, 3, 4, 5, 6, 7],
    );
    assert.equal(entries[1]!.prev_hash, entries[0]!.hash);
    assert.equal(entries[0]!.payload.token, '[REDACTED]', 'secret-named payload keys are scrubbed');
    const checkpoints = await readAuditCheckpoints(store.db);
    assert.deepEqual(
      checkpoints.map((c) => c.seq),
      [1, 4, 7],
    );
    const report = await trail.verify();
    assert.equal(report.ok, true, JSON.stringify(report.problems));
    assert.equal(report.signedThrough, 7);
  });

  it('refuses UPDATE, DELETE and TRUNCATE on the audit log', async () => {
    const { store, trail } = await setup();
    await trail.append(draft(1));
    await assert.rejects(sql`update audit_log set actor = 'x'`.execute(store.db), /append-only/);
    await assert.rejects(sql`delete from audit_log`.execute(store.db), /append-only/);
    await assert.rejects(sql`truncate audit_log`.execute(store.db), /append-only/);
    await assert.rejects(sql`delete from audit_checkpoints`.execute(store.db), /append-only/);
    assert.equal((await readAuditEntries(store.db)).length, 1);
  });

  it('names the first altered, removed or reordered entry (tampering with the trigger disabled)', async () => {
    const { store, trail } = await setup(100);
    for (let n = 1; n <= 6; n++) await trail.append(draft(n));
    const tamper = async (statement: ReturnType<typeof sql>) => {
      await sql`alter table audit_log disable trigger audit_log_append_only`.execute(store.db);
      await statement.execute(store.db);
      await sql`alter table audit_log enable trigger audit_log_append_only`.execute(store.db);
    };
    await tamper(sql`update audit_log set risk = 5 where seq = 4`);
    let report = await verifyStoredTrail(store.db, signer);
    assert.deepEqual([report.firstBad?.seq, report.firstBad?.kind], [4, 'altered']);

    await tamper(sql`delete from audit_log where seq = 2`);
    report = await verifyStoredTrail(store.db, signer);
    assert.deepEqual([report.firstBad?.seq, report.firstBad?.kind], [2, 'missing']);
  });

  it('detects swapped entries', async () => {
    const { store, trail } = await setup(100);
    for (let n = 1; n <= 5; n++) await trail.append(draft(n));
    await sql`alter table audit_log disable trigger audit_log_append_only`.execute(store.db);
    await sql`update audit_log set seq = -seq where seq in (2, 3)`.execute(store.db);
    await sql`update audit_log set seq = 3 where seq = -2`.execute(store.db);
    await sql`update audit_log set seq = 2 where seq = -3`.execute(store.db);
    const report = await verifyStoredTrail(store.db, signer);
    assert.equal(report.firstBad?.seq, 2);
    assert.equal(report.firstBad?.kind, 'reordered');
  });

  it('counts a principal’s recent intents for session frequency', async () => {
    const { store, trail, clock } = await setup();
    await trail.append(draft(1));
    clock.tick(30 * 60_000);
    await trail.append(draft(2));
    await trail.append({ ...draft(3), kind: 'result' });
    const since = new Date(clock.now().getTime() - 10 * 60_000);
    assert.equal(await countIntentsSince(store.db, 'workflow:wiz-distribution', since), 1);
    assert.equal(await countIntentsSince(store.db, 'workflow:other', since), 0);
  });

  it('never forks the chain under concurrent appends', async () => {
    const { trail } = await setup(5);
    await Promise.all(Array.from({ length: 25 }, (_, n) => trail.append(draft(n))));
    const report = await trail.verify();
    assert.equal(report.ok, true, JSON.stringify(report.problems));
    assert.equal(report.entries, 25);
  });

  if (driver === 'postgres') {
    it('serialises appends from separate connections pools (processes) on PostgreSQL', async () => {
      const { store } = await setup(5);
      const other = await openStore({
        databaseUrl: process.env.DATABASE_URL!,
        schema: store.schema!,
        poolSize: 4,
      });
      try {
        const clock = new TestClock();
        const a = new AuditTrail({ db: store.db, clock, signer });
        const b = new AuditTrail({ db: other.db, clock, signer });
        await Promise.all(Array.from({ length: 30 }, (_, n) => (n % 2 ? a : b).append(draft(n))));
        const report = await verifyStoredTrail(store.db, signer);
        assert.equal(report.ok, true, JSON.stringify(report.problems));
        assert.equal(report.entries, 30);
      } finally {
        await other.close();
      }
    });
  }
});
