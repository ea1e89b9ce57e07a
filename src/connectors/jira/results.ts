/** What each Jira operation returns. Workflows import these as types only. */

export interface IssueRef {
  key: string;
  id: string;
  /** The issue's page for people (`<site>/browse/SEC-412`). */
  url: string;
  status?: string;
}

export interface CreateIssueResult extends IssueRef {
  /**
   * True when this call filed the issue (also when a lost response was recovered by reconciling); false
   * when the finding already had an issue (found by its label) and that one is returned.
   */
  created: boolean;
}

export interface BulkItemResult {
  /** Position in the request's `issues`. */
  index: number;
  findingKey: string;
  outcome: 'created' | 'existing' | 'failed';
  key?: string;
  id?: string;
  url?: string;
  error?: { message: string; fields?: Record<string, string>; retryable: boolean };
}

export interface BulkCreateResult {
  results: BulkItemResult[];
  created: number;
  existing: number;
  failed: number;
}

/** One page, in the `{ items, next }` shape every paged read returns; pass `next` as `after` for the next page. */
export interface SearchResult {
  items: Array<{ id: string; key: string; url: string; fields: Record<string, unknown> }>;
  /** Pass as `after` for the next page; absent on the last page. */
  next?: string;
}

/** One page of `jira:issues:by-finding`: an item per finding label an issue carries, oldest issue first. */
export interface ByFindingResult {
  items: Array<IssueRef & { findingKey: string }>;
  /** Pass as `after` for the next page; absent on the last page. */
  next?: string;
}

export interface UpdateResult {
  key: string;
  updated: true;
}

export interface TransitionResult {
  key: string;
  status: string;
  /** False when the issue was already in the target status. */
  changed: boolean;
}

export interface CommentResult {
  key: string;
  commentId: string;
}
