/**
 * The counters every run summary reports, in the order people read them. Workflows add to them through
 * `ctx.summary.add()` or an operation's `count` option; the engine adds `denied`, `escalated` and `errors`
 * itself. Any other name is kept as an extra counter of the workflow's own.
 *
 * @example
 * ctx.summary.add('findingsRead', page.items.length);
 * await ctx.op('jira:issues:transition', params, { count: 'ticketsClosed' });
 */
export const SUMMARY_COUNTERS = [
  'findingsRead',
  'ticketsCreated',
  'ticketsUpdated',
  'ticketsClosed',
  'ticketsReopened',
  'messages',
  'pages',
  'denied',
  'escalated',
  'errors',
] as const;
export type SummaryCounter = (typeof SUMMARY_COUNTERS)[number];

/** How each counter reads in the human summary. @example COUNTER_LABELS.ticketsCreated // 'tickets created' */
export const COUNTER_LABELS: Readonly<Record<SummaryCounter, string>> = {
  findingsRead: 'findings read',
  ticketsCreated: 'tickets created',
  ticketsUpdated: 'tickets updated',
  ticketsClosed: 'tickets closed',
  ticketsReopened: 'tickets reopened',
  messages: 'messages sent',
  pages: 'pages sent',
  denied: 'operations denied',
  escalated: 'operations escalated',
  errors: 'targets failed',
};

export type Counts = Record<SummaryCounter, number>;

/** All counters at zero. @example zeroCounts().pages // 0 */
export function zeroCounts(): Counts {
  return Object.fromEntries(SUMMARY_COUNTERS.map((name) => [name, 0])) as Counts;
}

/** @example isSummaryCounter('messages') // true; isSummaryCounter('teamsNotified') // false */
export function isSummaryCounter(name: string): name is SummaryCounter {
  return (SUMMARY_COUNTERS as readonly string[]).includes(name);
}
