import { type Selectable, sql } from 'kysely';
import { type Clock, systemClock } from '../core/clock.js';
import type { SinkLinksTable } from './database.js';
import { type Db, toJson } from './repo-support.js';
import type { KnownSink } from './statuses.js';

/** A sink name: one of SINKS, or a newer connector's name. */
export type SinkName = KnownSink | (string & {});

export interface SinkLink {
  findingKey: string;
  sink: SinkName;
  /** Jira issue key, PagerDuty dedup_key or incident id, ServiceNow sys_id, Slack channel:ts. */
  externalId: string;
  url: string | null;
  /** The target's own state as last seen (`Done`, `resolved`, ...). */
  state: string | null;
  data: Record<string, unknown>;
  createdAt: Date;
  updatedAt: Date;
}

export interface NewSinkLink {
  findingKey: string;
  sink: SinkName;
  externalId: string;
  url?: string;
  state?: string;
  data?: Record<string, unknown>;
}

/** Keys per `getMany` query: well under PostgreSQL's 65,535 bind parameters, and one index scan each. */
export const LINKS_PER_QUERY = 1000;

/**
 * Which ticket, incident or message stands for a finding in each sink: at most one per finding and sink.
 * `link` never replaces an existing link, so a second ticket can never silently take the place of the first.
 */
export class SinkLinksRepo {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock = systemClock,
  ) {}

  /**
   * Records each link unless its finding already has one in that sink (never replacing one), in a few
   * statements: a bulk create of 50 tickets is linked at once. Returns how many were new.
   */
  async linkMany(inputs: readonly NewSinkLink[]): Promise<number> {
    const now = this.clock.now();
    let created = 0;
    for (let at = 0; at < inputs.length; at += LINKS_PER_QUERY) {
      const rows = await this.db
        .insertInto('sink_links')
        .values(inputs.slice(at, at + LINKS_PER_QUERY).map((input) => linkRow(input, now)))
        .onConflict((oc) => oc.columns(['finding_key', 'sink']).doNothing())
        .returning('finding_key')
        .execute();
      created += rows.length;
    }
    return created;
  }

  /** Records the link unless one exists; returns the stored link either way. */
  async link(input: NewSinkLink): Promise<{ created: boolean; link: SinkLink }> {
    const now = this.clock.now();
    const row = await this.db
      .insertInto('sink_links')
      .values(linkRow(input, now))
      .onConflict((oc) => oc.columns(['finding_key', 'sink']).doNothing())
      .returningAll()
      .executeTakeFirst();
    if (row) return { created: true, link: toLink(row) };
    return { created: false, link: (await this.get(input.findingKey, input.sink))! };
  }

  async get(findingKey: string, sink: SinkName): Promise<SinkLink | undefined> {
    const row = await this.db
      .selectFrom('sink_links')
      .selectAll()
      .where('finding_key', '=', findingKey)
      .where('sink', '=', sink)
      .executeTakeFirst();
    return row ? toLink(row) : undefined;
  }

  /**
   * The links of many findings in one sink, in queries of up to LINKS_PER_QUERY keys: a run checking 30k
   * findings for their tickets asks the store 30 times, not 30k.
   */
  async getMany(findingKeys: readonly string[], sink: SinkName): Promise<Map<string, SinkLink>> {
    const found = new Map<string, SinkLink>();
    const keys = [...new Set(findingKeys)];
    for (let at = 0; at < keys.length; at += LINKS_PER_QUERY) {
      const rows = await this.db
        .selectFrom('sink_links')
        .selectAll()
        .where('sink', '=', sink)
        .where('finding_key', 'in', keys.slice(at, at + LINKS_PER_QUERY))
        .execute();
      for (const row of rows) found.set(row.finding_key, toLink(row));
    }
    return found;
  }

  /** The link a sink's webhook refers to (it knows its own id, not our finding key). */
  async byExternalId(sink: SinkName, externalId: string): Promise<SinkLink | undefined> {
    const row = await this.db
      .selectFrom('sink_links')
      .selectAll()
      .where('sink', '=', sink)
      .where('external_id', '=', externalId)
      .executeTakeFirst();
    return row ? toLink(row) : undefined;
  }

  async forFinding(findingKey: string): Promise<SinkLink[]> {
    const rows = await this.db
      .selectFrom('sink_links')
      .selectAll()
      .where('finding_key', '=', findingKey)
      .orderBy('sink')
      .execute();
    return rows.map(toLink);
  }

  /** Updates what is known about the linked item; `data` is merged into the stored data. */
  async update(
    findingKey: string,
    sink: SinkName,
    patch: { state?: string; url?: string; data?: Record<string, unknown> },
  ): Promise<SinkLink | undefined> {
    const row = await this.db
      .updateTable('sink_links')
      .set({
        updated_at: this.clock.now(),
        ...(patch.state !== undefined ? { state: patch.state } : {}),
        ...(patch.url !== undefined ? { url: patch.url } : {}),
        ...(patch.data ? { data: sql<string>`data || ${toJson(patch.data)}::jsonb` } : {}),
      })
      .where('finding_key', '=', findingKey)
      .where('sink', '=', sink)
      .returningAll()
      .executeTakeFirst();
    return row ? toLink(row) : undefined;
  }
}

function toLink(row: Selectable<SinkLinksTable>): SinkLink {
  return {
    findingKey: row.finding_key,
    sink: row.sink,
    externalId: row.external_id,
    url: row.url,
    state: row.state,
    data: row.data,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function linkRow(input: NewSinkLink, now: Date) {
  return {
    finding_key: input.findingKey,
    sink: input.sink,
    external_id: input.externalId,
    url: input.url ?? null,
    state: input.state ?? null,
    data: toJson(input.data ?? {}),
    created_at: now,
    updated_at: now,
  };
}
