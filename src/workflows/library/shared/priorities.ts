import type { Priority, Severity } from '../../../core/finding/model.js';
import { z } from '../../sdk/index.js';
import type { JiraPriorityName } from './content.js';

/**
 * Jira priorities, as data: from a finding's severity (the default Jira Cloud scheme, Highest..Lowest) and
 * from Arx's unified priority label (P1..P4, `core/finding/priority.ts`).
 */
export const JIRA_PRIORITY_NAMES = ['Blocker', 'Highest', 'High', 'Medium', 'Low', 'Lowest'] as const;

export const PRIORITY_BY_SEVERITY: Readonly<Record<Severity, JiraPriorityName>> = {
  critical: 'Highest',
  high: 'High',
  medium: 'Medium',
  low: 'Low',
  informational: 'Lowest',
};

export const PRIORITY_BY_LABEL: Readonly<Record<Priority['label'], JiraPriorityName>> = {
  P1: 'Highest',
  P2: 'High',
  P3: 'Medium',
  P4: 'Low',
};

/**
 * A `priority_map` option: severity → Jira priority, any severity left out keeps its default.
 * @example priority_map: priorityMapOption() // arx.yaml: priority_map: { critical: Blocker }
 */
export function priorityMapOption() {
  const name = z.enum(JIRA_PRIORITY_NAMES);
  return z
    .strictObject({
      critical: name.optional(),
      high: name.optional(),
      medium: name.optional(),
      low: name.optional(),
      informational: name.optional(),
    })
    .default({})
    .transform((map) => ({ ...PRIORITY_BY_SEVERITY, ...map }) as Record<Severity, JiraPriorityName>);
}
