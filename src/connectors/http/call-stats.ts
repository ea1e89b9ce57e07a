/**
 * Calls sent over the wire, per tool and per endpoint: the workflow summary and the benchmarks report API
 * calls per tool. Share one instance between all clients of a run to get one table.
 */
export interface CallStats {
  /** One request sent (every attempt counts: a retried call costs the vendor twice). */
  record(tool: string, endpoint: string): void;
  /** `{ wiz: 12, jira: 3 }` */
  calls(): Record<string, number>;
  /** `{ wiz: { 'graphql.issues': 10, 'oauth.token': 2 } }` */
  byEndpoint(): Record<string, Record<string, number>>;
  reset(): void;
}

export function createCallStats(): CallStats {
  let counts = new Map<string, Map<string, number>>();
  return {
    record(tool, endpoint) {
      let perTool = counts.get(tool);
      if (!perTool) {
        perTool = new Map();
        counts.set(tool, perTool);
      }
      perTool.set(endpoint, (perTool.get(endpoint) ?? 0) + 1);
    },
    calls() {
      const out: Record<string, number> = {};
      for (const [tool, perTool] of counts) out[tool] = [...perTool.values()].reduce((a, b) => a + b, 0);
      return out;
    },
    byEndpoint() {
      const out: Record<string, Record<string, number>> = {};
      for (const [tool, perTool] of counts) out[tool] = Object.fromEntries(perTool);
      return out;
    },
    reset() {
      counts = new Map();
    },
  };
}
