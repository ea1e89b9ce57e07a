import { ArxError } from '../core/errors.js';
import type { Gate, GateContext } from '../governance/gate.js';

/**
 * Paged reads through the gate, lazily: each page is one `gate.execute` call (scored, decided and audited
 * like any other), made only when the consumer asks for the next page. Any connector whose read operation
 * returns `{ items, next? }` and takes its cursor as a param can use it.
 */
export interface PageResult<T = unknown> {
  items: T[];
  /** Cursor for the next page; absent (or empty) on the last page. */
  next?: string | undefined;
}

export interface ReadPage<T = unknown> extends PageResult<T> {
  /** 0 for the first page of this read. */
  index: number;
  /** The cursor this page was fetched with (undefined for a first page). */
  cursor: string | undefined;
  /** The audit entry of the gate's decision for this page. */
  auditSeq: number;
}

export interface ReadPagesOptions<P extends Record<string, unknown>> {
  gate: Pick<Gate, 'execute'>;
  context: GateContext;
  operation: string;
  /** The read's params without the cursor. */
  params: P;
  /** The param that carries the cursor (Wiz `after`, Qualys `next_url`). */
  cursorParam?: string;
  /** Resume from this cursor (a checkpoint from an interrupted read). */
  startAfter?: string | undefined;
  /** Stop after this many pages even if the tool has more (a safety cap for interactive use). */
  maxPages?: number;
}

export async function* readPages<T = unknown, P extends Record<string, unknown> = Record<string, unknown>>(
  options: ReadPagesOptions<P>,
): AsyncGenerator<ReadPage<T>, void, undefined> {
  const cursorParam = options.cursorParam ?? 'after';
  let cursor = options.startAfter;
  for (let index = 0; options.maxPages === undefined || index < options.maxPages; index++) {
    const params = cursor === undefined ? options.params : { ...options.params, [cursorParam]: cursor };
    const outcome = await options.gate.execute<PageResult<T>>(options.context, options.operation, params);
    // a dry run that policy would not allow carries no page: nothing to read
    if (outcome.status !== 'done') return;
    const page = outcome.result;
    if (!page || !Array.isArray(page.items)) {
      throw new ArxError(
        'malformed_page',
        `${options.operation} returned no items array (page ${index + 1})`,
        { fault: 'arx' },
      );
    }
    const next = page.next || undefined;
    if (next !== undefined && next === cursor) {
      // a tool that hands back the cursor it was given would loop forever
      throw new ArxError(
        'pagination_stuck',
        `${options.operation}: page ${index + 1} returned its own cursor`,
        {
          fault: 'tool',
          retryable: false,
        },
      );
    }
    yield { items: page.items, next, index, cursor, auditSeq: outcome.auditSeq };
    if (next === undefined) return;
    cursor = next;
  }
}
