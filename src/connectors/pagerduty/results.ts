/** What each PagerDuty operation returns. Workflows import these as types only. */

export interface IncidentRef {
  id: string;
  number: number;
  title: string;
  status: 'triggered' | 'acknowledged' | 'resolved';
  urgency: 'high' | 'low';
  incidentKey: string;
  serviceId?: string;
  /** The incident's page for people. */
  url?: string;
  createdAt?: string;
}

export interface CreateIncidentResult extends IncidentRef {
  /** False when an open incident with this key already existed and is returned instead. */
  created: boolean;
}

export interface ResolveResult {
  incidents: Array<{ id: string; status: 'resolved'; changed: boolean }>;
}

export interface EventResult {
  dedupKey: string;
  status: string;
  message: string;
}

/** One page, in the `{ items, next }` shape every paged read returns; pass `next` as `after` for the next page. */
export interface ListResult {
  items: IncidentRef[];
  next?: string;
}
