import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { canonicalJson, hashOf } from './canonical.js';

test('key order does not change the canonical form or the hash', () => {
  fc.assert(
    fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (obj) => {
      const reversed = Object.fromEntries(Object.entries(obj).reverse());
      assert.equal(canonicalJson(obj), canonicalJson(reversed));
      assert.equal(hashOf(obj), hashOf(reversed));
    }),
  );
});

test('different values hash differently and undefined members are dropped', () => {
  assert.notEqual(hashOf({ a: 1 }), hashOf({ a: 2 }));
  assert.equal(
    canonicalJson({ b: 1, a: undefined, c: [1, { z: 1, y: 2 }] }),
    '{"b":1,"c":[1,{"y":2,"z":1}]}',
  );
});
