import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { builtinCatalog } from '../../governance/operations/index.js';
import { jiraConnector } from '../jira/index.js';
import { pagerdutyConnector } from '../pagerduty/index.js';
import { servicenowConnector } from '../servicenow/index.js';
import { slackConnector } from '../slack/index.js';
import { createConnectorRuntime } from './runtime.js';

/** Exactly-once needs every write of a sink connector to be reconcilable after a crash. */
describe('sink connectors', () => {
  const runtime = createConnectorRuntime();
  for (const factory of [jiraConnector, slackConnector, pagerdutyConnector, servicenowConnector]) {
    const connector = factory(runtime);
    it(`${connector.name}: one handler per operation, one reconcile per write, all in the built-in catalog`, () => {
      const catalog = builtinCatalog();
      for (const op of connector.operations) {
        assert.equal(catalog.get(op.id), op, `${op.id} is the catalog's entry`);
        assert.equal(typeof connector.handlers[op.id], 'function', `${op.id} has a handler`);
        assert.equal(
          typeof connector.reconcilers?.[op.id],
          op.verb === 'read' ? 'undefined' : 'function',
          `${op.id} reconcile`,
        );
      }
      assert.deepEqual(
        Object.keys(connector.handlers).sort(),
        connector.operations.map((op) => op.id).sort(),
      );
      assert.equal(connector.credentials.fields.length > 0, true);
    });
  }
});
