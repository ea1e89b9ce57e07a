import assert from 'node:assert/strict';
import { it } from 'node:test';
import { forEachStore } from '../../test/support/stores.js';
import { type DriftEvent, listDriftEvents, recordDriftEvents } from './drift-repo.js';

forEachStore('drift events', (openTestStore) => {
  const event = (at: string, principal: string, operation: string): DriftEvent => ({
    at: new Date(at),
    principal,
    operation,
    violation: 'operation',
    detail: `${operation} is not among the declared operations`,
    response: 'alert',
  });

  it('lists newest first, by principal, since a time (inclusive) and up to a limit', async () => {
    const store = await openTestStore();
    await recordDriftEvents(store.db, [
      event('2026-03-01T00:00:00Z', 'workflow:a', 'slack:chat:write'),
      event('2026-03-02T00:00:00Z', 'agent:b', 'aws:s3:put-public-access-block'),
      event('2026-03-03T00:00:00Z', 'workflow:a', 'jira:issues:create'),
    ]);
    const list = async (query: Parameters<typeof listDriftEvents>[1]) =>
      (await listDriftEvents(store.db, query)).map((e) => [e.principal, e.at.toISOString()]);

    assert.deepEqual(await list({}), [
      ['workflow:a', '2026-03-03T00:00:00.000Z'],
      ['agent:b', '2026-03-02T00:00:00.000Z'],
      ['workflow:a', '2026-03-01T00:00:00.000Z'],
    ]);
    assert.deepEqual(await list({ since: new Date('2026-03-02T00:00:00Z') }), [
      ['workflow:a', '2026-03-03T00:00:00.000Z'],
      ['agent:b', '2026-03-02T00:00:00.000Z'],
    ]);
    assert.deepEqual(await list({ principal: 'workflow:a', since: new Date('2026-03-01T12:00:00Z') }), [
      ['workflow:a', '2026-03-03T00:00:00.000Z'],
    ]);
    assert.deepEqual(await list({ principal: 'workflow:a', limit: 1 }), [
      ['workflow:a', '2026-03-03T00:00:00.000Z'],
    ]);
    assert.deepEqual(await list({ since: new Date('2026-03-04T00:00:00Z') }), []);
  });
});
