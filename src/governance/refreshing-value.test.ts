import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TestClock } from '../core/clock.js';
import { RefreshingValue } from './refreshing-value.js';

/** A store whose value can be changed, counting reads; a read can be held open to interleave a change. */
function countingStore(initial: string) {
  const state = { value: initial, reads: 0, hold: undefined as Promise<void> | undefined };
  const read = async () => {
    state.reads += 1;
    const seen = state.value;
    await state.hold;
    return seen;
  };
  return { state, read };
}

const settle = async () => {
  for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
};

describe('RefreshingValue', () => {
  it('reuses a fresh value without reading again', async () => {
    const clock = new TestClock('2026-03-02T12:00:00Z');
    const store = countingStore('open');
    const fact = new RefreshingValue({ read: store.read, clock, freshMs: 250, usableMs: 1000 });
    assert.equal(await fact.get(), 'open');
    clock.tick(200);
    store.state.value = 'frozen';
    assert.equal(await fact.get(), 'open');
    assert.equal(store.state.reads, 1);
  });

  it('answers a stale but usable value at once and reads a fresher one in the background', async () => {
    const clock = new TestClock('2026-03-02T12:00:00Z');
    const store = countingStore('open');
    const fact = new RefreshingValue({ read: store.read, clock, freshMs: 250, usableMs: 1000 });
    await fact.get();
    store.state.value = 'frozen';
    clock.tick(500);
    assert.equal(await fact.get(), 'open', 'the caller does not wait for the store');
    assert.equal(await fact.get(), 'open', 'one background read at a time');
    await settle();
    assert.equal(store.state.reads, 2);
    assert.equal(await fact.get(), 'frozen');
  });

  it('reads and waits once the value is past usable, or the clock went backwards', async () => {
    const clock = new TestClock('2026-03-02T12:00:00Z');
    const store = countingStore('open');
    const fact = new RefreshingValue({ read: store.read, clock, freshMs: 250, usableMs: 1000 });
    await fact.get();
    store.state.value = 'frozen';
    clock.tick(1500);
    assert.equal(await fact.get(), 'frozen');
    store.state.value = 'open';
    clock.tick(-60_000);
    assert.equal(await fact.get(), 'open');
  });

  it('forgets on invalidate, and does not keep a read that was under way during the change', async () => {
    const clock = new TestClock('2026-03-02T12:00:00Z');
    const store = countingStore('open');
    const fact = new RefreshingValue({ read: store.read, clock, freshMs: 250, usableMs: 1000 });
    let release!: () => void;
    store.state.hold = new Promise((resolve) => {
      release = resolve;
    });
    const before = fact.get(); // reads 'open', held
    await settle();
    store.state.value = 'frozen';
    fact.invalidate(); // the change made in this process
    release();
    assert.equal(await before, 'open', 'that caller asked before the change');
    store.state.hold = undefined;
    assert.equal(await fact.get(), 'frozen', 'the read from before the change was not kept');
  });
});
