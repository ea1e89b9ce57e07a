import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { defineOperations, OperationCatalog, RISK_LEVELS, VERBS } from './catalog.js';
import { builtinCatalog } from './operations/index.js';

describe('operation catalog', () => {
  it('stamps connector, resource and action onto each declared operation', () => {
    const [op] = defineOperations('jira', [
      { name: 'issues:create', verb: 'write', risk: 'MEDIUM', description: 'x', params: z.object({}) },
    ]);
    assert.deepEqual(
      { id: op?.id, connector: op?.connector, resource: op?.resource, action: op?.action },
      { id: 'jira:issues:create', connector: 'jira', resource: 'issues', action: 'create' },
    );
  });

  it('rejects ids that are not connector:resource:action and duplicate ids', () => {
    assert.throws(
      () =>
        defineOperations('jira', [
          { name: 'create', verb: 'write', risk: 'LOW', description: '', params: z.object({}) },
        ]),
      /connector:resource:action/,
    );
    const ops = defineOperations('x', [
      { name: 'a:b', verb: 'read', risk: 'LOW', description: '', params: z.object({}) },
    ]);
    assert.throws(() => new OperationCatalog([...ops, ...ops]), /declared twice/);
  });

  it('ships the operations the seed workflows use, with the risk levels they document', () => {
    const catalog = builtinCatalog();
    const expected: Record<string, string> = {
      'wiz:findings:read': 'LOW',
      'qualys:vulnerabilities:read': 'LOW',
      'jira:issues:create': 'MEDIUM',
      'slack:chat:write': 'LOW',
      'pagerduty:incidents:create': 'MEDIUM',
    };
    for (const [id, risk] of Object.entries(expected)) assert.equal(catalog.get(id)?.risk, risk, id);
    assert.equal(catalog.get('jira:issues:search')?.verb, 'read');
    assert.ok(catalog.list().some((op) => op.verb === 'destructive'));
    for (const op of catalog.list()) {
      assert.ok(VERBS.includes(op.verb) && RISK_LEVELS.includes(op.risk), op.id);
      assert.ok(op.description.length > 0, op.id);
      // every effect says what it means, so retries are exactly-once; reads are not effects
      if (op.verb !== 'read') assert.ok(op.idempotencyKey, `${op.id} has no idempotency key derivation`);
    }
  });

  it('derives idempotency keys from what the effect means', () => {
    const op = builtinCatalog().get('jira:issues:create')!;
    const params = op.params.parse({ project: 'SEC', summary: 's', findingKey: 'fk1' });
    assert.equal(op.idempotencyKey?.(params), 'jira:create:fk1');
    assert.equal(op.params.safeParse({ project: 'SEC' }).success, false);
  });

  it('suggests the operation a typo meant', () => {
    assert.equal(builtinCatalog().suggest('jira:issue:create'), 'jira:issues:create');
  });
});
