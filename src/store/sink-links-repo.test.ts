import assert from 'node:assert/strict';
import { it } from 'node:test';
import { forEachStore } from '../../test/support/stores.js';
import { SinkLinksRepo } from './sink-links-repo.js';

forEachStore('sink links', (openTestStore) => {
  it('links a finding to one item per sink and never replaces that link', async () => {
    const store = await openTestStore();
    const links = new SinkLinksRepo(store.db, store.clock);
    const first = await links.link({
      findingKey: 'f1',
      sink: 'jira',
      externalId: 'SEC-1',
      url: 'https://jira/SEC-1',
    });
    assert.equal(first.created, true);
    const second = await links.link({ findingKey: 'f1', sink: 'jira', externalId: 'SEC-2' });
    assert.equal(second.created, false);
    assert.equal(second.link.externalId, 'SEC-1', 'the first ticket stays the finding’s ticket');

    await links.link({ findingKey: 'f1', sink: 'pagerduty', externalId: 'dedup-f1' });
    assert.deepEqual(
      (await links.forFinding('f1')).map((l) => `${l.sink}:${l.externalId}`),
      ['jira:SEC-1', 'pagerduty:dedup-f1'],
    );
  });

  it('finds a link by the sink’s own id and updates its state, merging data', async () => {
    const store = await openTestStore();
    const links = new SinkLinksRepo(store.db, store.clock);
    await links.link({
      findingKey: 'f2',
      sink: 'servicenow',
      externalId: 'sys-9',
      data: { table: 'incident' },
    });
    const found = await links.byExternalId('servicenow', 'sys-9');
    assert.equal(found?.findingKey, 'f2');
    const updated = await links.update('f2', 'servicenow', { state: 'resolved', data: { number: 'INC001' } });
    assert.equal(updated?.state, 'resolved');
    assert.deepEqual(updated?.data, { table: 'incident', number: 'INC001' });
    assert.equal(await links.update('nope', 'servicenow', { state: 'x' }), undefined);
    assert.equal(await links.get('f2', 'jira'), undefined);
  });
});
