/**
 * Asks an async source for its next item as soon as the current one is handed out, so the consumer's work on
 * item N (a page's upsert) overlaps the source's work on item N+1 (its read and normalising). At most one
 * item is read ahead: memory stays bounded by two items however long the source is.
 *
 * An error of the read-ahead reaches the consumer only when it asks for that item, i.e. after it has finished
 * with every item before it (an interrupted ingest has persisted and checkpointed each page it was given).
 * When the consumer stops early (break, or an error of its own), the read in flight is awaited and the
 * source closed before the error propagates: nothing goes on reading after the caller has moved on.
 */
export async function* readAhead<T>(source: AsyncIterable<T>): AsyncGenerator<T, void, undefined> {
  const iterator = source[Symbol.asyncIterator]();
  let pending = settle(iterator.next());
  let finished = false;
  try {
    for (;;) {
      const outcome = await pending;
      if (!outcome.ok) {
        finished = true; // a source that threw is closed already
        throw outcome.error;
      }
      if (outcome.result.done) {
        finished = true;
        return;
      }
      pending = settle(iterator.next());
      yield outcome.result.value;
    }
  } finally {
    if (!finished) {
      const last = await pending;
      if (last.ok && !last.result.done) await iterator.return?.();
    }
  }
}

type Settled<T> = { ok: true; result: IteratorResult<T> } | { ok: false; error: unknown };

/** The read in flight never rejects unobserved: its error waits until the consumer asks for it. */
function settle<T>(next: Promise<IteratorResult<T>>): Promise<Settled<T>> {
  return next.then(
    (result) => ({ ok: true, result }),
    (error: unknown) => ({ ok: false, error }),
  );
}
