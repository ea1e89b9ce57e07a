import assert from 'node:assert/strict';
import { it } from 'node:test';
import { forEachStore } from '../../test/support/stores.js';
import { TestClock } from '../core/clock.js';
import { RunsRepo } from './runs-repo.js';

forEachStore('runs and steps', (openTestStore) => {
  it('creates a run, finishes it with a summary and stamps the finish time', async () => {
    const clock = new TestClock('2026-03-01T10:00:00Z');
    const store = await openTestStore({ clock });
    const runs = new RunsRepo(store.db, store.clock);
    const run = await runs.create({
      workflow: 'wiz-finding-distribution',
      params: { since: '2d', projects: ['prod'] },
    });
    assert.equal(run.status, 'running');
    assert.equal(run.finishedAt, null);
    assert.deepEqual(run.params, { since: '2d', projects: ['prod'] });

    clock.tick(5000);
    const waiting = await runs.setStatus(run.id, 'waiting');
    assert.equal(waiting.finishedAt, null);
    const done = await runs.setStatus(run.id, 'succeeded', { summary: { created: 3, skipped: 1 } });
    assert.equal(done.finishedAt?.toISOString(), '2026-03-01T10:00:05.000Z');
    assert.deepEqual((await runs.get(run.id))?.summary, { created: 3, skipped: 1 });
    await assert.rejects(runs.setStatus('missing', 'failed'), { code: 'run_not_found' });
  });

  it('lists runs newest first with a keyset cursor and finds unfinished ones', async () => {
    const clock = new TestClock('2026-03-01T10:00:00Z');
    const store = await openTestStore({ clock });
    const runs = new RunsRepo(store.db, store.clock);
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) {
      const run = await runs.create({ id: `r${i}`, workflow: i % 2 ? 'qualys-sync' : 'wiz-sync' });
      ids.push(run.id);
      if (i % 3 === 0) clock.tick(1000); // several runs share a start time: the id breaks the tie
    }
    await runs.setStatus('r1', 'failed', { error: 'boom' });
    const seen: string[] = [];
    let after: string | undefined;
    do {
      const page = await runs.list({ limit: 3, ...(after ? { after } : {}) });
      seen.push(...page.items.map((r) => r.id));
      after = page.next;
    } while (after);
    assert.deepEqual(seen, ['r6', 'r5', 'r4', 'r3', 'r2', 'r1', 'r0']);
    assert.deepEqual(
      (await runs.list({ workflow: 'qualys-sync' })).items.map((r) => r.id),
      ['r5', 'r3', 'r1'],
    );
    assert.deepEqual(
      (await runs.list({ status: 'failed' })).items.map((r) => r.id),
      ['r1'],
    );
    assert.deepEqual(
      (await runs.unfinished()).map((r) => r.id),
      ['r0', 'r2', 'r3', 'r4', 'r5', 'r6'],
    );
  });

  it('replays a done step instead of running it again', async () => {
    const store = await openTestStore();
    const runs = new RunsRepo(store.db, store.clock);
    const run = await runs.create({ workflow: 'w' });
    const first = await runs.beginStep(run.id, 'fetch');
    assert.equal(first.replay, false);
    await runs.completeStep(run.id, 'fetch', { count: 12 });

    const again = await runs.beginStep(run.id, 'fetch');
    assert.equal(again.replay, true);
    assert.deepEqual(again.step.output, { count: 12 });
    assert.equal(again.step.attempts, 1);
    await assert.rejects(runs.completeStep(run.id, 'fetch', {}), { code: 'step_not_running' });
  });

  it('restarts a failed or interrupted step with one more attempt', async () => {
    const store = await openTestStore();
    const runs = new RunsRepo(store.db, store.clock);
    const run = await runs.create({ workflow: 'w' });
    await runs.beginStep(run.id, 'ticket');
    await runs.failStep(run.id, 'ticket', new Error('Jira 503'));
    assert.equal((await runs.step(run.id, 'ticket'))?.error, 'Jira 503');

    const retried = await runs.beginStep(run.id, 'ticket');
    assert.equal(retried.replay, false);
    assert.equal(retried.step.attempts, 2);
    assert.equal(retried.step.error, null);
    // A crash leaves the step running; beginning it again counts another attempt.
    assert.equal((await runs.beginStep(run.id, 'ticket')).step.attempts, 3);

    await runs.waitStep(run.id, 'ticket', { approval: 'ap-1' });
    const parked = await runs.step(run.id, 'ticket');
    assert.equal(parked?.status, 'waiting');
    assert.equal(parked?.finishedAt, null);
    assert.deepEqual(
      (await runs.steps(run.id)).map((s) => s.key),
      ['ticket'],
    );
  });
});
