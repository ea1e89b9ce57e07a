import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readAhead } from './read-ahead.js';

/** A source that records how far it has been read and whether it was closed. */
function counted(count: number, failAt?: number) {
  const state = { started: 0, closed: false };
  async function* items(): AsyncGenerator<number> {
    try {
      for (let i = 0; i < count; i++) {
        state.started = i + 1;
        await new Promise((resolve) => setImmediate(resolve));
        if (i === failAt) throw new Error(`read ${i} failed`);
        yield i;
      }
    } finally {
      state.closed = true;
    }
  }
  return { state, items: items() };
}

describe('readAhead', () => {
  it('yields every item in order, reading the next while the consumer works, never more than one ahead', async () => {
    const { state, items } = counted(5);
    const seen: number[] = [];
    for await (const item of readAhead(items)) {
      await new Promise((resolve) => setTimeout(resolve, 5)); // the consumer's work (an upsert)
      assert.ok(state.started <= item + 2, `item ${item}: source at ${state.started}`);
      if (item < 4) assert.equal(state.started, item + 2, `item ${item + 1} was read during item ${item}`);
      seen.push(item);
    }
    assert.deepEqual(seen, [0, 1, 2, 3, 4]);
    assert.equal(state.closed, true);
  });

  it('hands a read-ahead error over only after the items before it were consumed', async () => {
    const { items } = counted(5, 2);
    const seen: number[] = [];
    await assert.rejects(async () => {
      for await (const item of readAhead(items)) {
        await new Promise((resolve) => setTimeout(resolve, 5));
        seen.push(item);
      }
    }, /read 2 failed/);
    assert.deepEqual(seen, [0, 1]);
  });

  it('when the consumer fails, waits for the read in flight and closes the source before rethrowing', async () => {
    const { state, items } = counted(5);
    await assert.rejects(async () => {
      for await (const item of readAhead(items)) {
        if (item === 1) throw new Error('consumer failed');
      }
    }, /consumer failed/);
    assert.equal(state.started, 3, 'item 2 had been asked for, and nothing after it');
    assert.equal(state.closed, true);
  });
});
