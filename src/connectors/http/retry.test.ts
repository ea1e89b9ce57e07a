import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { TestClock } from '../../core/clock.js';
import { ArxError } from '../../core/errors.js';
import { createCircuitBreaker } from './circuit-breaker.js';
import {
  backoffDelay,
  RETRY_DEFAULT,
  RETRY_PATIENT,
  seededRandom,
  withMaxRetries,
  withRetry,
} from './retry.js';

const retryable = new ArxError('tool_unavailable', 'HTTP 503', { fault: 'tool', retryable: true });
const permanent = new ArxError('invalid_request', 'HTTP 400', { fault: 'caller', retryable: false });

test('backoff stays within [0, min(cap, base·2^(n-1))] for every profile and attempt', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 30 }), fc.integer(), (n, seed) => {
      for (const profile of [RETRY_DEFAULT, RETRY_PATIENT]) {
        const delay = backoffDelay(n, profile, seededRandom(seed));
        const ceiling = Math.min(profile.maxDelayMs, profile.baseDelayMs * 2 ** (n - 1));
        if (delay < 0 || delay > ceiling) return false;
      }
      return true;
    }),
  );
});

test('seeded randomness makes the delays reproducible', () => {
  const a = seededRandom(42);
  const b = seededRandom(42);
  const delays = (r: () => number) => [1, 2, 3, 4].map((n) => backoffDelay(n, RETRY_DEFAULT, r));
  assert.deepEqual(delays(a), delays(b));
});

test('retryable errors are retried up to maxAttempts, then the last error is thrown', async () => {
  let calls = 0;
  await assert.rejects(
    withRetry(
      async () => {
        calls += 1;
        throw retryable;
      },
      { clock: new TestClock(), random: seededRandom(1) },
    ),
    retryable,
  );
  assert.equal(calls, RETRY_DEFAULT.maxAttempts);
});

test('a non-retryable error and a plain Error are thrown at once', async () => {
  for (const error of [permanent, new TypeError('bug')]) {
    let calls = 0;
    await assert.rejects(
      withRetry(
        async () => {
          calls += 1;
          throw error;
        },
        { clock: new TestClock() },
      ),
    );
    assert.equal(calls, 1);
  }
});

test('success after transient failures returns the value and waits on the injected clock', async () => {
  const clock = new TestClock();
  const start = clock.now().getTime();
  const seen: number[] = [];
  const value = await withRetry(
    async (n) => {
      if (n < 3) throw retryable;
      return 'ok';
    },
    { clock, random: () => 0.999, onRetry: ({ delayMs }) => seen.push(delayMs) },
  );
  assert.equal(value, 'ok');
  assert.equal(seen.length, 2);
  assert.equal(clock.now().getTime() - start, seen[0]! + seen[1]!);
});

test('circuit_open is not retried inside the call (it would only spin)', async () => {
  const clock = new TestClock();
  const breaker = createCircuitBreaker({ clock, failureThreshold: 1 });
  const site = { tool: 'jira', endpoint: 'issue.create' };
  breaker.failure(site);
  let calls = 0;
  await assert.rejects(
    withRetry(
      async () => {
        calls += 1;
        breaker.guard(site);
      },
      { clock },
    ),
    (err: unknown) => err instanceof ArxError && err.code === 'circuit_open' && err.retryable,
  );
  assert.equal(calls, 1);
});

test('max_retries from arx.yaml sets the attempts of a profile', async () => {
  assert.equal(withMaxRetries(RETRY_DEFAULT, 0).maxAttempts, 1);
  assert.equal(withMaxRetries(RETRY_DEFAULT, undefined), RETRY_DEFAULT);
  let calls = 0;
  await assert.rejects(
    withRetry(
      async () => {
        calls += 1;
        throw retryable;
      },
      { clock: new TestClock(), profile: withMaxRetries(RETRY_PATIENT, 2) },
    ),
  );
  assert.equal(calls, 3);
});
