import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { closest, editDistance } from './suggest.js';

describe('editDistance', () => {
  it('counts a swap of neighbours as one edit', () => {
    assert.equal(editDistance('jria', 'jira'), 1);
    assert.equal(editDistance('verdcit', 'verdict'), 1);
    assert.equal(editDistance('kitten', 'sitting'), 3);
  });

  it('is zero exactly for equal strings and symmetric', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 }), (a, b) => {
        assert.equal(editDistance(a, b) === 0, a === b);
        assert.equal(editDistance(a, b), editDistance(b, a));
      }),
    );
  });
});

describe('closest', () => {
  const keys = ['risk_threshold', 'deny_threshold', 'risk_weights', 'rules', 'approvals', 'drift', 'audit'];

  it('suggests the intended key for a typo', () => {
    assert.equal(closest('risk_treshold', keys), 'risk_threshold');
    assert.equal(closest('rulse', keys), 'rules');
    assert.equal(closest('Audit', keys), 'audit');
  });

  it('suggests nothing for a different word', () => {
    assert.equal(closest('schedule', keys), undefined);
    assert.equal(closest('xyz', keys), undefined);
  });
});
