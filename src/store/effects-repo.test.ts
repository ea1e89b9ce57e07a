import assert from 'node:assert/strict';
import { it } from 'node:test';
import { forEachStore } from '../../test/support/stores.js';
import { TestClock } from '../core/clock.js';
import { secrets } from '../core/secrets.js';
import { EffectsRepo } from './effects-repo.js';

forEachStore('effects ledger', (openTestStore) => {
  it('lets exactly one caller claim a key; later callers see the existing entry', async () => {
    const store = await openTestStore();
    const ledger = new EffectsRepo(store.db, store.clock);
    const first = await ledger.begin('jira:create:f1', 'jira:issues:create', 'run-1');
    assert.equal(first.created, true);
    assert.equal(first.record.state, 'pending');
    assert.equal(first.record.attempts, 1);

    const second = await ledger.begin('jira:create:f1', 'jira:issues:create', 'run-2');
    assert.equal(second.created, false);
    assert.equal(second.record.runId, 'run-1', 'the existing entry is returned untouched');
  });

  it('lets exactly one of many concurrent callers claim a key', async () => {
    const store = await openTestStore();
    const ledger = new EffectsRepo(store.db, store.clock);
    const claims = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        ledger.begin('pd:trigger:f9', 'pagerduty:events:trigger', `run-${i}`),
      ),
    );
    assert.equal(claims.filter((claim) => claim.created).length, 1);
  });

  it('completes a pending effect with its result, which a repeat then sees', async () => {
    const clock = new TestClock('2026-03-01T10:00:00Z');
    const store = await openTestStore({ clock });
    const ledger = new EffectsRepo(store.db, store.clock);
    await ledger.begin('jira:create:f1', 'jira:issues:create');
    clock.tick(1500);
    const done = await ledger.complete('jira:create:f1', { issueKey: 'SEC-42', labels: ['arx'] });
    assert.equal(done.state, 'done');
    assert.deepEqual(done.result, { issueKey: 'SEC-42', labels: ['arx'] });
    assert.equal(done.updatedAt.toISOString(), '2026-03-01T10:00:01.500Z');
    assert.equal(done.createdAt.toISOString(), '2026-03-01T10:00:00.000Z');

    const repeat = await ledger.begin('jira:create:f1', 'jira:issues:create');
    assert.equal(repeat.created, false);
    assert.deepEqual(repeat.record.result, { issueKey: 'SEC-42', labels: ['arx'] });
    await assert.rejects(ledger.complete('jira:create:f1', {}), { code: 'effect_not_pending' });
    await assert.rejects(ledger.fail('jira:create:f1', 'late'), { code: 'effect_not_pending' });
  });

  it('records a failure without secrets, and a retry claims it once', async () => {
    const store = await openTestStore();
    const ledger = new EffectsRepo(store.db, store.clock);
    secrets.add('xoxb-very-secret-token');
    await ledger.begin('slack:post:f1', 'slack:chat:postMessage');
    const failed = await ledger.fail('slack:post:f1', new Error('401 for token xoxb-very-secret-token'));
    assert.equal(failed.state, 'failed');
    assert.equal(failed.error, '401 for token [REDACTED]');

    const [a, b] = await Promise.all([ledger.retry('slack:post:f1'), ledger.retry('slack:post:f1')]);
    const winners = [a, b].filter(Boolean);
    assert.equal(winners.length, 1, 'two retriers cannot both perform the write');
    assert.equal(winners[0]!.state, 'pending');
    assert.equal(winners[0]!.attempts, 2);
    assert.equal(winners[0]!.error, null);
    assert.equal(await ledger.retry('slack:post:f1'), undefined, 'a pending effect is not retried');
  });

  it('refuses to complete a key that was never begun', async () => {
    const store = await openTestStore();
    const ledger = new EffectsRepo(store.db, store.clock);
    await assert.rejects(ledger.complete('nope', {}), (err: Error & { code?: string }) => {
      assert.equal(err.code, 'effect_not_pending');
      assert.match(err.message, /never begun/);
      return true;
    });
  });

  it('lists pending effects for reconciliation, oldest first, filtered by age and run', async () => {
    const clock = new TestClock('2026-03-01T10:00:00Z');
    const store = await openTestStore({ clock });
    const ledger = new EffectsRepo(store.db, store.clock);
    await ledger.begin('a', 'op', 'run-1');
    clock.tick(60_000);
    await ledger.begin('b', 'op', 'run-2');
    await ledger.begin('c', 'op', 'run-1');
    await ledger.complete('c', null);
    clock.tick(60_000);
    await ledger.begin('d', 'op', 'run-1');

    assert.deepEqual(
      (await ledger.pending()).map((e) => e.key),
      ['a', 'b', 'd'],
    );
    assert.deepEqual(
      (await ledger.pending({ olderThan: new Date('2026-03-01T10:01:30Z') })).map((e) => e.key),
      ['a', 'b'],
      'in-flight effects of a live worker are left alone',
    );
    assert.deepEqual(
      (await ledger.pending({ runId: 'run-1' })).map((e) => e.key),
      ['a', 'd'],
    );
  });
});
