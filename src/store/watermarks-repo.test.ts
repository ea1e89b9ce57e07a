import assert from 'node:assert/strict';
import { it } from 'node:test';
import { forEachStore } from '../../test/support/stores.js';
import { QuarantineRepo } from './quarantine-repo.js';
import { WatermarksRepo } from './watermarks-repo.js';

forEachStore('watermarks and quarantine', (openTestStore) => {
  it('keeps one watermark per source and scope, moved and reset on request', async () => {
    const store = await openTestStore();
    const marks = new WatermarksRepo(store.db, store.clock);
    assert.equal(await marks.get('wiz'), undefined);
    await marks.set('wiz', '2026-03-01T00:00:00Z');
    await marks.set('wiz', '2026-03-02T00:00:00Z');
    await marks.set('wiz', 'cursor-7', 'project:prod');
    assert.equal(await marks.get('wiz'), '2026-03-02T00:00:00Z');
    assert.equal(await marks.get('wiz', 'project:prod'), 'cursor-7');
    assert.deepEqual(
      (await marks.list('wiz')).map((m) => [m.scope, m.value]),
      [
        ['', '2026-03-02T00:00:00Z'],
        ['project:prod', 'cursor-7'],
      ],
    );
    assert.equal(await marks.reset('wiz'), true);
    assert.equal(await marks.get('wiz'), undefined);
    assert.equal(await marks.reset('wiz'), false);
  });

  it('quarantines raw records whole and lists them newest first', async () => {
    const store = await openTestStore();
    const quarantine = new QuarantineRepo(store.db, store.clock);
    const raw = { id: 'x', entitySnapshot: { providerId: null }, tags: ['a', 'b'] };
    const ids = await quarantine.addMany([
      {
        vendor: 'wiz',
        reason: 'resource id missing',
        fieldPath: 'entitySnapshot.providerId',
        raw,
        runId: 'r1',
      },
      { vendor: 'qualys', reason: 'QID not numeric', raw: ['array', 'raw'] },
      { vendor: 'wiz', reason: 'unknown severity', raw: 'text' },
    ]);
    assert.equal(ids.length, 3);
    const wiz = await quarantine.list({ vendor: 'wiz' });
    assert.deepEqual(
      wiz.map((r) => r.reason),
      ['unknown severity', 'resource id missing'],
    );
    assert.deepEqual(wiz[1]!.raw, raw);
    assert.equal(wiz[1]!.id, ids[0]);
    assert.deepEqual((await quarantine.list({ vendor: 'qualys' }))[0]!.raw, ['array', 'raw']);
    assert.equal(await quarantine.count({ vendor: 'wiz' }), 2);
    assert.equal(await quarantine.count({ runId: 'r1' }), 1);
    assert.deepEqual(
      (await quarantine.list({ beforeId: ids[2]!, limit: 1 })).map((r) => r.id),
      [ids[1]],
    );
  });
});
