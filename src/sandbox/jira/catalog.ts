/**
 * The fixed shape of the emulated Jira site: statuses, workflow, priorities and issue types, as the default
 * Jira Cloud company-managed software project ships them. Data, not code, so the workflow reads at a glance.
 */

export interface StatusCategory {
  id: number;
  key: 'new' | 'indeterminate' | 'done';
  name: 'To Do' | 'In Progress' | 'Done';
  colorName: string;
}

export interface Status {
  id: string;
  name: string;
  category: StatusCategory;
}

const CATEGORY = {
  new: { id: 2, key: 'new', name: 'To Do', colorName: 'blue-gray' },
  indeterminate: { id: 4, key: 'indeterminate', name: 'In Progress', colorName: 'yellow' },
  done: { id: 3, key: 'done', name: 'Done', colorName: 'green' },
} as const satisfies Record<string, StatusCategory>;

export const STATUSES = {
  toDo: { id: '10000', name: 'To Do', category: CATEGORY.new },
  inProgress: { id: '3', name: 'In Progress', category: CATEGORY.indeterminate },
  done: { id: '10002', name: 'Done', category: CATEGORY.done },
} as const satisfies Record<string, Status>;

export const ALL_STATUSES: readonly Status[] = Object.values(STATUSES);
export const ALL_CATEGORIES: readonly StatusCategory[] = Object.values(CATEGORY);

export interface Transition {
  id: string;
  name: string;
  /** Statuses the transition is offered from; absent means from every status (a global transition). */
  from?: readonly Status[];
  to: Status;
}

/** To Do -> In Progress -> Done, with Done -> To Do as "Reopen". */
export const TRANSITIONS: readonly Transition[] = [
  { id: '11', name: 'To Do', from: [STATUSES.inProgress], to: STATUSES.toDo },
  { id: '21', name: 'In Progress', from: [STATUSES.toDo], to: STATUSES.inProgress },
  { id: '31', name: 'Done', from: [STATUSES.toDo, STATUSES.inProgress], to: STATUSES.done },
  { id: '41', name: 'Reopen', from: [STATUSES.done], to: STATUSES.toDo },
];

export function transitionsFrom(status: Status): Transition[] {
  return TRANSITIONS.filter((t) => !t.from || t.from.some((s) => s.id === status.id));
}

export interface Priority {
  id: string;
  name: string;
  statusColor: string;
  description: string;
}

/**
 * The Cloud default scheme (ids 1-5, which the contract marks [unconfirmed]) plus "Blocker", which many
 * sites keep from older schemes; Arx maps CRITICAL findings to Highest or Blocker depending on the site.
 */
export const DEFAULT_PRIORITIES: readonly Priority[] = [
  {
    id: '10000',
    name: 'Blocker',
    statusColor: '#cc0000',
    description: 'Blocks development and/or testing work.',
  },
  { id: '1', name: 'Highest', statusColor: '#d04437', description: 'This problem will block progress.' },
  {
    id: '2',
    name: 'High',
    statusColor: '#f15C75',
    description: 'Serious problem that could block progress.',
  },
  { id: '3', name: 'Medium', statusColor: '#f79232', description: 'Has the potential to affect progress.' },
  { id: '4', name: 'Low', statusColor: '#707070', description: 'Minor problem or easily worked around.' },
  {
    id: '5',
    name: 'Lowest',
    statusColor: '#999999',
    description: 'Trivial problem with little or no impact.',
  },
];
export const DEFAULT_PRIORITY_NAME = 'Medium';

export interface IssueType {
  id: string;
  name: string;
  subtask: boolean;
  description: string;
}

export const ISSUE_TYPES: readonly IssueType[] = [
  { id: '10004', name: 'Bug', subtask: false, description: 'A problem or error.' },
  { id: '10001', name: 'Task', subtask: false, description: 'A small, distinct piece of work.' },
  { id: '10002', name: 'Story', subtask: false, description: 'A user story.' },
  {
    id: '10003',
    name: 'Epic',
    subtask: false,
    description: 'A big user story that needs to be broken down.',
  },
];

export interface JiraUser {
  accountId: string;
  displayName: string;
  emailAddress: string;
}
