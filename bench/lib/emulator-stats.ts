import { fetchOnce } from '../naive/http.js';

/**
 * Calls per tool as the emulators counted them (`GET /_sandbox/stats`), not as Arx reports them: the
 * bench's figures come from the far side of the wire, so a client that under-counts cannot flatter itself.
 * Retries and 429s are calls too; only answered-or-abandoned requests are counted, which is every request.
 */
export interface ToolCalls {
  /** Requests per tool (every status). */
  calls: Record<string, number>;
  /** Requests that change something at the tool (ticket filed, message posted, issue edited). */
  writes: Record<string, number>;
  /** Requests answered 429 (rate limited), per tool. */
  rateLimited: Record<string, number>;
  /** Requests per tool and operation (`jira` → `issue.bulkCreate` → n). */
  byOperation: Record<string, Record<string, number>>;
}

/** The tools' write operations as the emulators name them; everything else is a read or a token. */
const WRITE_OPERATIONS: Record<string, RegExp> = {
  wiz: /^(updateIssue|createIssueNote)/,
  jira: /^issue\.(create|bulkCreate|edit|assign|transition)$/,
  slack: /^chat\.(postMessage|update|delete)$/,
  pagerduty: /^(events\.|incidents\.(create|update|merge))/,
  servicenow: /^(POST|PUT|PATCH|DELETE) /,
  qualys: /^$/,
};

interface EmulatorStats {
  requests: Record<string, Record<string, number>>;
  total: number;
}

/** Reads every emulator's counters; tools that saw no request are left out. */
export async function readToolCalls(endpoints: Record<string, string>): Promise<ToolCalls> {
  const result: ToolCalls = { calls: {}, writes: {}, rateLimited: {}, byOperation: {} };
  for (const [tool, url] of Object.entries(endpoints)) {
    const response = await fetchOnce(`${url}/_sandbox/stats`);
    if (!response.ok) throw new Error(`${tool} emulator stats: HTTP ${response.status}`);
    const stats = (await response.json()) as EmulatorStats;
    if (stats.total === 0) continue;
    result.calls[tool] = stats.total;
    result.byOperation[tool] = {};
    for (const [operation, byStatus] of Object.entries(stats.requests)) {
      const count = Object.values(byStatus).reduce((sum, n) => sum + n, 0);
      result.byOperation[tool][operation] = count;
      if (WRITE_OPERATIONS[tool]?.test(operation)) result.writes[tool] = (result.writes[tool] ?? 0) + count;
      const limited = byStatus['429'] ?? 0;
      if (limited > 0) result.rateLimited[tool] = (result.rateLimited[tool] ?? 0) + limited;
    }
  }
  return result;
}

/** Calls made between two readings. */
export function callsBetween(before: ToolCalls, after: ToolCalls): ToolCalls {
  const minus = (a: Record<string, number>, b: Record<string, number>) =>
    Object.fromEntries(
      Object.entries(a)
        .map(([key, n]) => [key, n - (b[key] ?? 0)] as const)
        .filter(([, n]) => n > 0),
    );
  const byOperation: ToolCalls['byOperation'] = {};
  for (const [tool, ops] of Object.entries(after.byOperation)) {
    const made = minus(ops, before.byOperation[tool] ?? {});
    if (Object.keys(made).length > 0) byOperation[tool] = made;
  }
  return {
    calls: minus(after.calls, before.calls),
    writes: minus(after.writes, before.writes),
    rateLimited: minus(after.rateLimited, before.rateLimited),
    byOperation,
  };
}

export function sum(record: Record<string, number>): number {
  return Object.values(record).reduce((total, n) => total + n, 0);
}
