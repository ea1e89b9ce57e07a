import { GraphQLError } from 'graphql';

/**
 * Relay-style paging over an index space without materialising it: items are tested one by one, in order,
 * and a page stops once it has `first` items plus one look-ahead (so `hasNextPage` is exact and a page that
 * ends the list says so). Memory is O(first) whatever the tenant size.
 *
 * Order: by index (index order is creation order), reversed for DESC; by severity as one pass per severity
 * rank, each pass in index order. A cursor is (pass, next index) tagged with a hash of the query, so a
 * cursor from another query or filter is refused, as the contract asks.
 */
export interface OrderBy {
  field: 'SEVERITY' | 'CREATED_AT';
  direction?: 'ASC' | 'DESC' | null;
}

export interface PageSource<T> {
  /** Indices are [0, count). */
  count: number;
  /** The item at `index` if it passes the filters, else undefined. */
  match(index: number): T | undefined;
  /** Severity rank of an item, 0 = most severe; needed for SEVERITY order. */
  rank(item: T): number;
  /** How many ranks exist (5: CRITICAL..INFORMATIONAL). */
  ranks: number;
}

export interface Page<T> {
  items: T[];
  hasNextPage: boolean;
  endCursor: string | null;
}

interface Position {
  pass: number;
  index: number;
}

export const DEFAULT_PAGE_SIZE = 50;

export function page<T>(
  source: PageSource<T>,
  args: { first?: number | null; after?: string | null; orderBy?: OrderBy | null },
  queryKey: string,
  maxPageSize: number,
): Page<T> {
  const first = args.first ?? DEFAULT_PAGE_SIZE;
  if (first < 0 || first > maxPageSize) {
    throw new GraphQLError(`first must be between 0 and ${maxPageSize}`, {
      extensions: { code: 'BAD_USER_INPUT' },
    });
  }
  const bySeverity = args.orderBy?.field === 'SEVERITY';
  // Severity DESC means most severe first, i.e. rank 0 first.
  const descending = (args.orderBy?.direction ?? 'ASC') === 'DESC';
  const reverseIndex = !bySeverity && descending;
  const passes = bySeverity ? source.ranks : 1;
  const rankOfPass = (pass: number) => (descending ? pass : source.ranks - 1 - pass);
  const start: Position = args.after
    ? decodeCursor(args.after, queryKey)
    : { pass: 0, index: reverseIndex ? source.count - 1 : 0 };

  const items: T[] = [];
  let next: Position | undefined;
  let last: Position | undefined;
  for (let pass = start.pass; pass < passes && !next; pass++) {
    let index = pass === start.pass ? start.index : reverseIndex ? source.count - 1 : 0;
    const stepBy = reverseIndex ? -1 : 1;
    for (; index >= 0 && index < source.count; index += stepBy) {
      const item = source.match(index);
      if (item === undefined || (bySeverity && source.rank(item) !== rankOfPass(pass))) continue;
      if (items.length === first) {
        next = { pass, index };
        break;
      }
      items.push(item);
      last = { pass, index: index + stepBy };
    }
  }
  return {
    items,
    hasNextPage: next !== undefined,
    endCursor: last ? encodeCursor(last, queryKey) : (args.after ?? null),
  };
}

/** Counts matches by scanning; callers cache the result per query. */
export function countMatches<T>(source: PageSource<T>): number {
  let total = 0;
  for (let index = 0; index < source.count; index++) if (source.match(index) !== undefined) total++;
  return total;
}

function encodeCursor(position: Position, queryKey: string): string {
  return Buffer.from(JSON.stringify({ q: queryKey, p: position.pass, i: position.index })).toString(
    'base64url',
  );
}

function decodeCursor(cursor: string, queryKey: string): Position {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as {
      q?: string;
      p?: number;
      i?: number;
    };
    if (parsed.q === queryKey && Number.isInteger(parsed.p) && Number.isInteger(parsed.i)) {
      return { pass: parsed.p!, index: parsed.i! };
    }
  } catch {
    // falls through to the error below
  }
  throw new GraphQLError(
    'Invalid cursor: it does not belong to this query (filters and order must not change)',
    {
      extensions: { code: 'BAD_USER_INPUT' },
    },
  );
}
