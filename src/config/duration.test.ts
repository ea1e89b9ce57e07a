import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isDuration, parseDuration } from './duration.js';

describe('parseDuration', () => {
  it('adds up the parts', () => {
    assert.equal(parseDuration('1h'), 3_600_000);
    assert.equal(parseDuration('1h30m'), 5_400_000);
    assert.equal(parseDuration('7d'), 604_800_000);
    assert.equal(parseDuration('250ms'), 250);
  });

  it('rejects what is not a duration', () => {
    for (const text of ['', '1', 'h', '1 h', '1.5h', '-1h', 'soon']) {
      assert.equal(isDuration(text), false, text);
      assert.throws(() => parseDuration(text), RangeError);
    }
  });
});
