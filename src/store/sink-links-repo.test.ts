import assert from 'node:assert/strict';
import { it } from 'node:test';
import { forEachStore } from '../../test/support/stores.js';
import { LINKS_PER_QUERY, SinkLinksRepo } from './sink-links-repo.js';

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

  it('reads many findings’ links of one sink at once, past one query’s worth of keys', async () => {
    const store = await openTestStore();
    const links = new SinkLinksRepo(store.db, store.clock);
    const count = LINKS_PER_QUERY + 3;
    const keys = Array.from({ length: count }, (_, i) => `m${i}`);
    // every other finding has a Jira ticket; one has only a PagerDuty incident
    for (const [i, key] of keys.entries()) {
      if (i % 2 === 0) await links.link({ findingKey: key, sink: 'jira', externalId: `SEC-${i}` });
    }
    await links.link({ findingKey: 'm1', sink: 'pagerduty', externalId: 'dedup-m1' });
    const found = await links.getMany([...keys, 'm0', 'nowhere'], 'jira');
    assert.equal(found.size, Math.ceil(count / 2));
    assert.equal(found.get('m0')?.externalId, 'SEC-0');
    assert.equal(found.get(`m${count - 1}`)?.externalId, `SEC-${count - 1}`, 'a key of the last query');
    assert.equal(found.has('m1'), false, 'another sink’s link is not this one');
    assert.deepEqual(await links.getMany([], 'jira'), new Map());
  });

  it('links many at once, each only where its finding has no link in that sink yet', async () => {
    const store = await openTestStore();
    const links = new SinkLinksRepo(store.db, store.clock);
    await links.link({ findingKey: 'b1', sink: 'jira', externalId: 'SEC-1' });
    const created = await links.linkMany([
      { findingKey: 'b1', sink: 'jira', externalId: 'SEC-9' },
      { findingKey: 'b2', sink: 'jira', externalId: 'SEC-2', url: 'https://jira/SEC-2', state: 'open' },
      { findingKey: 'b3', sink: 'jira', externalId: 'SEC-2', data: { origin: 'arx' } },
    ]);
    assert.equal(created, 2);
    const found = await links.getMany(['b1', 'b2', 'b3'], 'jira');
    assert.equal(found.get('b1')?.externalId, 'SEC-1', 'the first ticket stays the finding’s ticket');
    assert.deepEqual(
      [found.get('b2')?.url, found.get('b2')?.state, found.get('b3')?.data],
      ['https://jira/SEC-2', 'open', { origin: 'arx' }],
    );
    assert.equal(await links.linkMany([]), 0);
  });
});
