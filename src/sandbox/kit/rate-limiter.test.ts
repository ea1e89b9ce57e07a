import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RateLimiter } from './rate-limiter.js';

describe('RateLimiter', () => {
  it('allows a burst of `requests`, then says how long to wait, per key', () => {
    let now = 0;
    const limiter = new RateLimiter({ requests: 3, windowMs: 3_000 }, () => now);
    assert.deepEqual(
      [1, 2, 3].map(() => limiter.take('a').remaining),
      [2, 1, 0],
    );
    const blocked = limiter.take('a');
    assert.equal(blocked.allowed, false);
    assert.equal(blocked.retryAfterSeconds, 1);
    assert.equal(limiter.take('b').allowed, true, 'another key has its own bucket');
    now += 1_000;
    assert.equal(limiter.take('a').allowed, true);
    assert.equal(limiter.take('a').allowed, false);
  });

  it('reports whole seconds even for long windows', () => {
    const limiter = new RateLimiter({ requests: 1, windowMs: 3_600_000 }, () => 0);
    limiter.take('k');
    const blocked = limiter.take('k');
    assert.equal(blocked.retryAfterSeconds, 3600);
    assert.equal(blocked.windowSeconds, 3600);
  });
});
