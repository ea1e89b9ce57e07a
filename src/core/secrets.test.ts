import assert from 'node:assert/strict';
import { test } from 'node:test';
import { REDACTED, SecretRegistry } from './secrets.js';

test('known secret values are scrubbed from text and nested values', () => {
  const registry = new SecretRegistry();
  registry.add('xoxb-123-very-secret');
  assert.equal(registry.scrub('auth failed for xoxb-123-very-secret'), `auth failed for ${REDACTED}`);
  const scrubbed = registry.scrubValue({ note: 'token xoxb-123-very-secret', nested: [{ apiToken: 'abc' }] });
  assert.deepEqual(scrubbed, { note: `token ${REDACTED}`, nested: [{ apiToken: REDACTED }] });
});

test('short values are not registered, so ordinary words survive', () => {
  const registry = new SecretRegistry();
  registry.add('ab');
  assert.equal(registry.scrub('ab cd'), 'ab cd');
});
