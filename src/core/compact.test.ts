import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compact } from './compact.js';

test('drops undefined members only, keeping order, nulls, falsy values and nested objects as they are', () => {
  const nested = { x: undefined };
  const out = compact({ a: 1, b: undefined, c: null, d: 0, e: '', f: false, g: nested });
  assert.deepEqual(Object.keys(out), ['a', 'c', 'd', 'e', 'f', 'g']);
  assert.equal(out.g, nested, 'not deep: nested objects are the same objects');
});

test('an own "__proto__" key from parsed JSON stays a key and does not change the prototype', () => {
  const out = compact(JSON.parse('{"__proto__": {"polluted": true}, "a": 1}') as Record<string, unknown>);
  assert.equal(Object.getPrototypeOf(out), Object.prototype);
  assert.deepEqual(Object.keys(out), ['__proto__', 'a']);
  assert.equal((out as { polluted?: boolean }).polluted, undefined);
});
