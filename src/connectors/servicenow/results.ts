/** What each ServiceNow operation returns. Workflows import these as types only. */

export interface IncidentRef {
  sysId: string;
  number: string;
  state: string;
  /** The incident's form for people. */
  url: string;
}

export interface CreateIncidentResult extends IncidentRef {
  /** False when the finding already had an active incident (by correlation_id) and that one is returned. */
  created: boolean;
}

/** One page, in the `{ items, next }` shape every paged read returns; pass `next` as `after` for the next page. */
export interface ReadResult {
  items: Array<Record<string, string>>;
  next?: string;
  total?: number;
}
