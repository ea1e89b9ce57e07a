import {
  type AliasableExpression,
  type Expression,
  type ExpressionBuilder,
  type OnConflictDatabase,
  type OnConflictTables,
  type SelectQueryBuilder,
  type SqlBool,
  sql,
} from 'kysely';
import { type Clock, systemClock } from '../core/clock.js';
import {
  type Finding,
  type FindingClass,
  type FindingStatus,
  SEVERITIES,
  type Severity,
} from '../core/finding/model.js';
import type { Database, FindingSourcesTable, FindingsTable } from './database.js';
import {
  chunks,
  type Db,
  decodeCursor,
  encodeCursor,
  inTransaction,
  type Page,
  pageSize,
  recordset,
} from './repo-support.js';

/** A finding to store, with the hash of the raw source record it came from when the caller has one. */
export interface FindingWrite {
  finding: Finding;
  rawHash?: string;
}

export type UpsertOutcome = 'inserted' | 'merged';
export interface UpsertResult {
  finding_key: string;
  outcome: UpsertOutcome;
}

export interface FindingFilter {
  severity?: Severity | readonly Severity[];
  status?: FindingStatus | readonly FindingStatus[];
  class?: FindingClass | readonly FindingClass[];
  resourceUid?: string;
}

type FindingsQuery = SelectQueryBuilder<Database, 'findings', object>;
interface SortSpec {
  key: (eb: ExpressionBuilder<Database, 'findings'>) => AliasableExpression<unknown>;
  descending: boolean;
}

export type ListOrder = 'severity' | 'priority' | 'last_seen' | 'key';

/**
 * List orders, most significant first; `finding_key` always breaks ties so a keyset page is stable.
 * Each has a matching index in 0001_core.
 */
export const LIST_ORDERS: Readonly<Record<ListOrder, SortSpec | undefined>> = {
  severity: { key: (eb) => eb.ref('severity_id'), descending: true },
  priority: { key: () => sql`coalesce(priority_score, -1)`, descending: true },
  last_seen: { key: (eb) => eb.ref('last_seen'), descending: true },
  key: undefined,
};

export interface ListOptions extends FindingFilter {
  order?: ListOrder;
  limit?: number;
  /** The `next` cursor of the previous page. */
  after?: string;
}

/** Rows per upsert statement: keeps one statement around a megabyte of JSON. */
export const UPSERT_BATCH_SIZE = 500;

/**
 * Findings, deduplicated by `finding_key`. A finding reported again, by the same source or another one,
 * is merged into the stored one rather than duplicated:
 * - `sources` becomes the union by (vendor, uid); the incoming copy of an alias replaces the stored one;
 * - first seen is the earliest, last seen the latest of both;
 * - a stored priority is kept when the incoming finding has none (ingest runs before scoring);
 * - every other field takes the incoming value: the latest report describes the present.
 * The merge is done by PostgreSQL inside the upsert, so concurrent writers cannot lose an alias.
 */
export class FindingsRepo {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock = systemClock,
  ) {}

  async upsert(finding: Finding, rawHash?: string): Promise<UpsertResult> {
    const [result] = await this.upsertMany([{ finding, ...(rawHash ? { rawHash } : {}) }]);
    return result!;
  }

  /** Batched multi-row upsert; results are in input order. The same key twice in a batch merges in order. */
  async upsertMany(writes: readonly (Finding | FindingWrite)[]): Promise<UpsertResult[]> {
    const items = writes.map((write) => ('finding' in write ? write : { finding: write }));
    const results: UpsertResult[] = new Array(items.length);
    for (const batch of chunks(
      items.map((item, index) => ({ ...item, index })),
      UPSERT_BATCH_SIZE,
    )) {
      await inTransaction(this.db, async (trx) => {
        for (const round of distinctRounds(batch)) {
          // Rows are written in key order so that concurrent writers lock them in the same order (no deadlock).
          round.sort((a, b) => compareText(a.finding.finding_key, b.finding.finding_key));
          const outcomes = await this.writeRound(trx, round);
          for (const item of round) {
            results[item.index] = {
              finding_key: item.finding.finding_key,
              outcome: outcomes.get(item.finding.finding_key)!,
            };
          }
        }
      });
    }
    return results;
  }

  async get(findingKey: string): Promise<Finding | undefined> {
    const row = await this.db
      .selectFrom('findings')
      .select('data')
      .where('finding_key', '=', findingKey)
      .executeTakeFirst();
    return row?.data;
  }

  /** The finding a source record was merged into, found by the source's own id. */
  async keyForSource(vendor: string, sourceUid: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('finding_sources')
      .select('finding_key')
      .where('vendor', '=', vendor)
      .where('source_uid', '=', sourceUid)
      .executeTakeFirst();
    return row?.finding_key;
  }

  async list(options: ListOptions = {}): Promise<Page<Finding>> {
    const limit = pageSize(options.limit);
    const order = LIST_ORDERS[options.order ?? 'severity'];
    let query = filtered(this.db.selectFrom('findings'), options).select(['data', 'finding_key']);
    // The cursor keeps the sort value as PostgreSQL prints it: a Date would lose timestamptz microseconds.
    if (order) query = query.select((eb) => sql<string>`(${order.key(eb)})::text`.as('sort_value'));
    if (options.after) {
      const cursor = decodeCursor(options.after, order ? 2 : 1);
      query = query.where((eb) => afterCursor(eb, order, cursor.at(-1), cursor[0]));
    }
    if (order) query = query.orderBy(order.key, order.descending ? 'desc' : 'asc');
    const rows = await query
      .orderBy('finding_key', 'asc')
      .limit(limit + 1)
      .execute();
    const page = rows.slice(0, limit);
    const last = page.at(-1) as { finding_key: string; sort_value?: unknown } | undefined;
    const more = rows.length > limit && last;
    return {
      items: page.map((row) => row.data),
      ...(more
        ? {
            next: encodeCursor(order ? [last.sort_value, last.finding_key] : [last.finding_key]),
          }
        : {}),
    };
  }

  async count(filter: FindingFilter = {}): Promise<number> {
    const row = await filtered(this.db.selectFrom('findings'), filter)
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async setStatus(findingKey: string, status: FindingStatus): Promise<boolean> {
    const result = await this.db
      .updateTable('findings')
      .set({
        status,
        updated_at: this.clock.now(),
        data: sql`jsonb_set(data, '{status}', to_jsonb(${status}::text))`,
      })
      .where('finding_key', '=', findingKey)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  private async writeRound(trx: Db, round: readonly FindingWrite[]): Promise<Map<string, UpsertOutcome>> {
    const now = this.clock.now();
    const rows = await trx
      .insertInto('findings')
      .columns(FINDING_COLUMN_NAMES)
      .expression(
        recordset(
          FINDING_COLUMNS,
          round.map(({ finding }) => findingRow(finding, now)),
        ),
      )
      .onConflict((oc) => oc.column('finding_key').doUpdateSet(MERGE_ON_CONFLICT))
      .returning(['finding_key', sql<boolean>`(xmax = 0)`.as('inserted')])
      .execute();
    const sources = round.flatMap(({ finding, rawHash }) =>
      finding.sources.map((source) => ({
        vendor: source.vendor,
        source_uid: source.uid,
        finding_key: finding.finding_key,
        raw_hash: rawHash ?? null,
        seen_at: now.toISOString(),
      })),
    );
    for (const batch of chunks(dedupeSources(sources), UPSERT_BATCH_SIZE)) {
      await trx
        .insertInto('finding_sources')
        .columns(SOURCE_COLUMN_NAMES)
        .expression(recordset(SOURCE_COLUMNS, batch))
        .onConflict((oc) =>
          oc.columns(['vendor', 'source_uid']).doUpdateSet({
            finding_key: sql`excluded.finding_key`,
            raw_hash: sql`coalesce(excluded.raw_hash, finding_sources.raw_hash)`,
            seen_at: sql`excluded.seen_at`,
          }),
        )
        .execute();
    }
    return new Map(rows.map((row) => [row.finding_key, row.inserted ? 'inserted' : 'merged']));
  }
}

/** The SET clause of the merge (see the class comment); `findings` is the stored row, `excluded` the incoming. */
const MERGE_ON_CONFLICT = (
  eb: ExpressionBuilder<OnConflictDatabase<Database, 'findings'>, OnConflictTables<'findings'>>,
) => ({
  class: eb.ref('excluded.class'),
  severity: eb.ref('excluded.severity'),
  severity_id: eb.ref('excluded.severity_id'),
  status: eb.ref('excluded.status'),
  resource_uid: eb.ref('excluded.resource_uid'),
  resource_type: eb.ref('excluded.resource_type'),
  account_uid: eb.ref('excluded.account_uid'),
  environment: eb.ref('excluded.environment'),
  title: eb.ref('excluded.title'),
  priority_score: sql<
    number | null
  >`case when excluded.data ? 'priority' then excluded.priority_score else findings.priority_score end`,
  priority_label: sql<
    string | null
  >`case when excluded.data ? 'priority' then excluded.priority_label else findings.priority_label end`,
  first_seen: sql<Date>`least(findings.first_seen, excluded.first_seen)`,
  last_seen: sql<Date>`greatest(findings.last_seen, excluded.last_seen)`,
  updated_at: eb.ref('excluded.updated_at'),
  data: sql<string>`excluded.data || jsonb_build_object(
      'sources', (
        select jsonb_agg(coalesce(incoming.s, stored.s) order by coalesce(stored.o, 1000000 + incoming.o))
        from jsonb_array_elements(findings.data -> 'sources') with ordinality as stored(s, o)
        full join jsonb_array_elements(excluded.data -> 'sources') with ordinality as incoming(s, o)
          on stored.s ->> 'vendor' = incoming.s ->> 'vendor' and stored.s ->> 'uid' = incoming.s ->> 'uid'),
      'first_seen_time', case when findings.first_seen < excluded.first_seen
        then findings.data -> 'first_seen_time' else excluded.data -> 'first_seen_time' end,
      'last_seen_time', case when findings.last_seen > excluded.last_seen
        then findings.data -> 'last_seen_time' else excluded.data -> 'last_seen_time' end)
    || case when excluded.data ? 'priority' or not findings.data ? 'priority' then '{}'::jsonb
       else jsonb_build_object('priority', findings.data -> 'priority') end`,
});

/** Column → SQL type of the batched upserts, in insert order. */
const FINDING_COLUMNS = {
  finding_key: 'text',
  class: 'text',
  severity: 'text',
  severity_id: 'smallint',
  status: 'text',
  resource_uid: 'text',
  resource_type: 'text',
  account_uid: 'text',
  environment: 'text',
  title: 'text',
  priority_score: 'double precision',
  priority_label: 'text',
  first_seen: 'timestamptz',
  last_seen: 'timestamptz',
  updated_at: 'timestamptz',
  data: 'jsonb',
} as const satisfies Record<keyof FindingsTable, string>;
const FINDING_COLUMN_NAMES = Object.keys(FINDING_COLUMNS) as (keyof FindingsTable)[];

const SOURCE_COLUMNS = {
  vendor: 'text',
  source_uid: 'text',
  finding_key: 'text',
  raw_hash: 'text',
  seen_at: 'timestamptz',
} as const satisfies Record<keyof FindingSourcesTable, string>;
const SOURCE_COLUMN_NAMES = Object.keys(SOURCE_COLUMNS) as (keyof FindingSourcesTable)[];

function findingRow(finding: Finding, now: Date): Record<keyof FindingsTable, unknown> {
  return {
    finding_key: finding.finding_key,
    class: finding.class,
    severity: finding.severity,
    severity_id: SEVERITIES[finding.severity],
    status: finding.status,
    resource_uid: finding.resource.uid,
    resource_type: finding.resource.type,
    account_uid: finding.resource.account_uid ?? null,
    environment: finding.resource.environment ?? null,
    title: finding.title,
    priority_score: finding.priority?.score ?? null,
    priority_label: finding.priority?.label ?? null,
    first_seen: finding.first_seen_time,
    last_seen: finding.last_seen_time,
    updated_at: now.toISOString(),
    data: finding,
  };
}

/**
 * Splits a batch so no statement holds the same key twice (ON CONFLICT cannot touch a row twice in one
 * statement); the second occurrence of a key goes to the next round and merges into the first.
 */
function distinctRounds<T extends FindingWrite>(batch: readonly T[]): T[][] {
  const rounds: T[][] = [];
  const seen = new Map<string, number>();
  for (const item of batch) {
    const key = item.finding.finding_key;
    const round = seen.get(key) ?? 0;
    seen.set(key, round + 1);
    if (!rounds[round]) rounds[round] = [];
    rounds[round].push(item);
  }
  return rounds;
}

/** One row per alias (the last wins), in alias order: the same lock order for every writer. */
function dedupeSources<T extends { vendor: string; source_uid: string }>(rows: readonly T[]): T[] {
  const byAlias = new Map<string, T>();
  for (const row of rows) byAlias.set(`${row.vendor}\u0000${row.source_uid}`, row);
  return [...byAlias.entries()].sort(([a], [b]) => compareText(a, b)).map(([, row]) => row);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function filtered(query: FindingsQuery, filter: FindingFilter): FindingsQuery {
  let out = query;
  const severity = asList(filter.severity);
  const status = asList(filter.status);
  const kind = asList(filter.class);
  if (severity) out = out.where('severity', 'in', severity);
  if (status) out = out.where('status', 'in', status);
  if (kind) out = out.where('class', 'in', kind);
  if (filter.resourceUid) out = out.where('resource_uid', '=', filter.resourceUid);
  return out;
}

function asList<T extends string>(value: T | readonly T[] | undefined): T[] | undefined {
  if (value === undefined) return undefined;
  const list = (typeof value === 'string' ? [value] : [...value]) as T[];
  return list.length > 0 ? list : undefined;
}

/** Rows strictly after the cursor in (sort key, finding_key) order. */
function afterCursor(
  eb: ExpressionBuilder<Database, 'findings'>,
  order: SortSpec | undefined,
  key: unknown,
  value: unknown,
): Expression<SqlBool> {
  const afterKey = eb('finding_key', '>', String(key));
  if (!order) return afterKey;
  const sortKey = order.key(eb);
  return eb.or([
    eb(sortKey, order.descending ? '<' : '>', value),
    eb.and([eb(sortKey, '=', value), afterKey]),
  ]);
}
