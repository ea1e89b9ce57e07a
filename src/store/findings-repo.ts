import {
  type AliasableExpression,
  type Expression,
  type ExpressionBuilder,
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
import type { Database, FindingsTable } from './database.js';
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

/** Findings per upsert statement: a Wiz page (≈ 3 MB of JSON), so a page is one statement. */
export const UPSERT_BATCH_SIZE = 1000;

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
      const rounds = distinctRounds(batch);
      const write = async (db: Db) => {
        for (const round of rounds) {
          // Rows are written in key order so that concurrent writers lock them in the same order (no deadlock).
          round.sort((a, b) => compareText(a.finding.finding_key, b.finding.finding_key));
          const outcomes = await this.writeRound(db, round);
          for (const item of round) {
            results[item.index] = {
              finding_key: item.finding.finding_key,
              outcome: outcomes.get(item.finding.finding_key)!,
            };
          }
        }
      };
      // one round is one statement, atomic by itself: no transaction to begin and commit around it
      await (rounds.length === 1 ? write(this.db) : inTransaction(this.db, write));
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

  /**
   * One statement per round, both tables: the findings upsert and their aliases, read from ONE jsonb
   * parameter (the aliases from each finding's `sources`), so a page costs one round trip and one commit.
   * The alias rows' foreign key is checked at the end of the statement, when the findings are in.
   */
  private async writeRound(db: Db, round: readonly FindingWrite[]): Promise<Map<string, UpsertOutcome>> {
    const now = this.clock.now();
    const rows = round.map(({ finding, rawHash }) => ({
      ...findingRow(finding, now),
      raw_hash: rawHash ?? null,
    }));
    const { rows: upserted } = await sql<{ finding_key: string; inserted: boolean }>`
      with batch as materialized (${recordset(BATCH_COLUMNS, rows)}),
      upserted as (
        insert into findings (${FINDING_COLUMN_LIST})
        select ${FINDING_COLUMN_LIST} from batch
        on conflict (finding_key) do update set ${MERGE_ON_CONFLICT}
        returning finding_key, (xmax = 0) as inserted
      ),
      aliases as (
        insert into finding_sources (vendor, source_uid, finding_key, raw_hash, seen_at)
        select distinct on (alias.s ->> 'vendor', alias.s ->> 'uid')
          alias.s ->> 'vendor', alias.s ->> 'uid', batch.finding_key, batch.raw_hash, batch.updated_at
        from batch cross join lateral jsonb_array_elements(batch.data -> 'sources') with ordinality as alias(s, o)
        -- one row per alias, the last reported winning; rows locked in alias order by every writer
        order by alias.s ->> 'vendor', alias.s ->> 'uid', batch.finding_key desc, alias.o desc
        on conflict (vendor, source_uid) do update set
          finding_key = excluded.finding_key,
          raw_hash = coalesce(excluded.raw_hash, finding_sources.raw_hash),
          seen_at = excluded.seen_at
      )
      select finding_key, inserted from upserted`.execute(db);
    return new Map(upserted.map((row) => [row.finding_key, row.inserted ? 'inserted' : 'merged']));
  }
}

/** The SET clause of the merge (see the class comment); `findings` is the stored row, `excluded` the incoming. */
const MERGE_ON_CONFLICT = sql`
  class = excluded.class,
  severity = excluded.severity,
  severity_id = excluded.severity_id,
  status = excluded.status,
  resource_uid = excluded.resource_uid,
  resource_type = excluded.resource_type,
  account_uid = excluded.account_uid,
  environment = excluded.environment,
  title = excluded.title,
  priority_score = case when excluded.data ? 'priority' then excluded.priority_score else findings.priority_score end,
  priority_label = case when excluded.data ? 'priority' then excluded.priority_label else findings.priority_label end,
  first_seen = least(findings.first_seen, excluded.first_seen),
  last_seen = greatest(findings.last_seen, excluded.last_seen),
  updated_at = excluded.updated_at,
  data = excluded.data || jsonb_build_object(
      'sources', case
        -- one alias on both sides, the same one (the usual re-read): the union is the incoming copy alone
        when jsonb_array_length(findings.data -> 'sources') = 1
          and jsonb_array_length(excluded.data -> 'sources') = 1
          and findings.data #> '{sources,0,vendor}' = excluded.data #> '{sources,0,vendor}'
          and findings.data #> '{sources,0,uid}' = excluded.data #> '{sources,0,uid}'
        then excluded.data -> 'sources'
        else (
          select jsonb_agg(coalesce(incoming.s, stored.s) order by coalesce(stored.o, 1000000 + incoming.o))
          from jsonb_array_elements(findings.data -> 'sources') with ordinality as stored(s, o)
          full join jsonb_array_elements(excluded.data -> 'sources') with ordinality as incoming(s, o)
            on stored.s ->> 'vendor' = incoming.s ->> 'vendor' and stored.s ->> 'uid' = incoming.s ->> 'uid')
        end,
      'first_seen_time', case when findings.first_seen < excluded.first_seen
        then findings.data -> 'first_seen_time' else excluded.data -> 'first_seen_time' end,
      'last_seen_time', case when findings.last_seen > excluded.last_seen
        then findings.data -> 'last_seen_time' else excluded.data -> 'last_seen_time' end)
    || case when excluded.data ? 'priority' or not findings.data ? 'priority' then '{}'::jsonb
       else jsonb_build_object('priority', findings.data -> 'priority') end`;

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
const FINDING_COLUMN_LIST = sql.join(Object.keys(FINDING_COLUMNS).map((name) => sql.id(name)));
/** A batch row: the finding's columns and the hash of the raw record its alias came from. */
const BATCH_COLUMNS = { ...FINDING_COLUMNS, raw_hash: 'text' } as const;

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
