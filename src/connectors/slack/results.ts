import type { SlackMessage } from './client.js';

/** What each Slack operation returns. Workflows import these as types only. */

/** Where a message lives; keep it (sink_links) to update the message in place later. */
export interface PostResult {
  channel: string;
  ts: string;
}

/** One page, in the `{ items, next }` shape every paged read returns; pass `next` as `after` for the next page. */
export interface HistoryResult {
  items: SlackMessage[];
  next?: string;
}
