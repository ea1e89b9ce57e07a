/**
 * Reconciliation: after a crash, a write whose ledger entry is still `pending` may or may not have reached
 * the target. Before anything is retried the engine asks the target, through the operation's reconciler:
 * Jira searched by the finding-key label, PagerDuty by dedup_key / incident_key, ServiceNow by
 * correlation_id, Slack history by the message metadata. A reconciler returns what the write would have
 * returned (so the workflow carries on with it), or undefined when the target has nothing.
 *
 * Connectors export a table keyed by write operation id; reconcilers query through `ctx.read`, i.e. through
 * the gate as the run's principal, so a reconciliation is audited like any other read.
 *
 * @example
 * export const jiraReconcilers: ReconcilerTable = {
 *   'jira:issues:create': async (params, { read }) => {
 *     const found = await read<{ issues: Array<{ key: string }> }>('jira:issues:search', {
 *       jql: `project = ${params.project} AND labels = "arx-${params.findingKey}"`,
 *     });
 *     return found.issues[0];
 *   },
 * };
 */
export interface ReconcileContext {
  /** One read operation through the gate, as the run's principal. */
  read<T = unknown>(operationId: string, params: Record<string, unknown>): Promise<T>;
}

// biome-ignore lint/suspicious/noExplicitAny: params were validated by the operation's schema when first sent
export type Reconciler = (params: any, ctx: ReconcileContext) => Promise<unknown | undefined>;

export type ReconcilerTable = Readonly<Record<string, Reconciler>>;

/** Merges connectors' tables; an operation reconciled by two connectors is a wiring mistake. */
export function mergeReconcilers(tables: ReadonlyArray<ReconcilerTable | undefined>): ReconcilerTable {
  const out: Record<string, Reconciler> = {};
  for (const table of tables) {
    for (const [operation, reconciler] of Object.entries(table ?? {})) {
      if (out[operation]) throw new Error(`two reconcilers registered for ${operation}`);
      out[operation] = reconciler;
    }
  }
  return Object.freeze(out);
}
