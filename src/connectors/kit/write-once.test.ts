import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TestClock } from '../../core/clock.js';
import { ArxError } from '../../core/errors.js';
import { createLogger } from '../../log/logger.js';
import { seededRandom } from '../http/index.js';
import { writeOnce } from './write-once.js';

const log = createLogger({ level: 'silent' });
const lost = () => new ArxError('tool_unavailable', 'HTTP 502', { fault: 'tool', retryable: true });
const throttled = () => new ArxError('rate_limited', 'HTTP 429', { fault: 'tool', retryable: true });
const refused = () => new ArxError('invalid_request', 'HTTP 400', { fault: 'caller', retryable: false });

function script(...outcomes: Array<Error | string>) {
  let calls = 0;
  return {
    attempt: async () => {
      const outcome = outcomes[Math.min(calls++, outcomes.length - 1)]!;
      if (outcome instanceof Error) throw outcome;
      return outcome;
    },
    calls: () => calls,
  };
}

const base = { clock: new TestClock(), log, what: 'test', random: seededRandom(1) };

describe('writeOnce', () => {
  it('after a failure that may have applied, asks the target before writing again', async () => {
    const write = script(lost(), 'second');
    const out = await writeOnce({ ...base, attempt: write.attempt, reconcile: async () => 'found' });
    assert.deepEqual(out, { value: 'found', reconciled: true, attempts: 1 });
    assert.equal(write.calls(), 1, 'not written twice');

    const retry = script(lost(), 'second');
    const again = await writeOnce({ ...base, attempt: retry.attempt, reconcile: async () => undefined });
    assert.deepEqual(again, { value: 'second', reconciled: false, attempts: 2 });
  });

  it('never retries an ambiguous failure it cannot reconcile, nor one whose reconcile fails', async () => {
    const write = script(lost(), 'second');
    await assert.rejects(writeOnce({ ...base, attempt: write.attempt }), /HTTP 502/);
    assert.equal(write.calls(), 1);
    const broken = script(lost(), 'second');
    await assert.rejects(
      writeOnce({
        ...base,
        attempt: broken.attempt,
        reconcile: async () => Promise.reject(new Error('search down')),
      }),
      /HTTP 502/,
    );
    assert.equal(broken.calls(), 1);
  });

  it('retries a refusal that provably did not apply (429) without reconciling; a 400 fails at once', async () => {
    let reconciled = 0;
    const reconcile = async () => {
      reconciled++;
      return undefined;
    };
    const write = script(throttled(), throttled(), 'ok');
    assert.equal((await writeOnce({ ...base, attempt: write.attempt, reconcile })).value, 'ok');
    assert.equal(reconciled, 0);
    const bad = script(refused(), 'ok');
    await assert.rejects(writeOnce({ ...base, attempt: bad.attempt, reconcile }), /HTTP 400/);
    assert.equal(bad.calls(), 1);
  });
});
