import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GroupCommit } from './group-commit.js';

/** A store that records every batch it is given, and can be told to fail. */
function recordingWriter() {
  const batches: string[][] = [];
  const state = { failing: false };
  const write = async (batch: readonly string[]) => {
    await new Promise((resolve) => setImmediate(resolve));
    if (state.failing) throw new Error('database unavailable');
    batches.push([...batch]);
    return batch.map((item) => `written:${item}`);
  };
  return { batches, state, write };
}

describe('group commit', () => {
  it('writes entries queued during a write together, in order, and answers each waiter', async () => {
    const store = recordingWriter();
    const commit = new GroupCommit({ write: store.write, deferMs: 1000, maxBatch: 100 });
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => commit.add(`e${i}`)));
    assert.deepEqual(
      answers,
      Array.from({ length: 50 }, (_, i) => `written:e${i}`),
    );
    assert.deepEqual(
      store.batches.flat(),
      Array.from({ length: 50 }, (_, i) => `e${i}`),
    );
    // queued in the same turn of the event loop: one write
    assert.deepEqual(
      store.batches.map((b) => b.length),
      [50],
    );
  });

  it('puts what arrives while a write is in flight in the next write', async () => {
    const store = recordingWriter();
    const commit = new GroupCommit({ write: store.write, deferMs: 1000, maxBatch: 100 });
    const first = commit.add('e0');
    await new Promise((resolve) => setImmediate(resolve)); // the first write is now in flight
    const rest = Array.from({ length: 9 }, (_, i) => commit.add(`e${i + 1}`));
    await Promise.all([first, ...rest]);
    assert.deepEqual(
      store.batches.map((b) => b.length),
      [1, 9],
    );
  });

  it('never puts more than maxBatch entries in one write', async () => {
    const store = recordingWriter();
    const commit = new GroupCommit({ write: store.write, deferMs: 1000, maxBatch: 10 });
    await Promise.all(Array.from({ length: 35 }, (_, i) => commit.add(`e${i}`)));
    assert.ok(store.batches.every((b) => b.length <= 10));
    assert.equal(store.batches.flat().length, 35);
  });

  it('lets a deferred entry ride with the next awaited one, ahead of it', async () => {
    const store = recordingWriter();
    const commit = new GroupCommit({ write: store.write, deferMs: 60_000, maxBatch: 100 });
    commit.defer('result-1');
    assert.equal(store.batches.length, 0, 'a deferred entry alone does not start a write');
    await commit.add('intent-2');
    assert.deepEqual(store.batches, [['result-1', 'intent-2']]);
  });

  it('writes a lone deferred entry after deferMs, and flush waits for it', async () => {
    const store = recordingWriter();
    const commit = new GroupCommit({ write: store.write, deferMs: 5, maxBatch: 100 });
    commit.defer('result-1');
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.deepEqual(store.batches, [['result-1']]);
    commit.defer('result-2');
    await commit.flush();
    assert.deepEqual(store.batches.flat(), ['result-1', 'result-2']);
    assert.equal(commit.pending, 0);
  });

  it('on a failed write rejects the waiters, keeps the deferred entries, and writes them once it recovers', async () => {
    const store = recordingWriter();
    const failures: number[] = [];
    const commit = new GroupCommit({
      write: store.write,
      deferMs: 60_000,
      maxBatch: 100,
      onDeferredFailure: (_err, waiting) => failures.push(waiting),
    });
    store.state.failing = true;
    commit.defer('result-1');
    await assert.rejects(commit.add('intent-2'), /database unavailable/);
    await assert.rejects(commit.flush(), /database unavailable/);
    assert.equal(commit.pending, 1, 'the deferred result is still queued');
    assert.ok(failures.length >= 1);

    store.state.failing = false;
    await commit.add('intent-3');
    assert.deepEqual(store.batches, [['result-1', 'intent-3']], 'the rejected intent was never written');
    await commit.flush();
  });
});
