import type { Severity } from '../../core/finding/model.js';

/**
 * Finding severity → Jira priority name, as data. The default Jira Cloud scheme is Highest..Lowest; many
 * sites keep "Blocker" from older schemes, and the critical-vulnerability workflow files blockers, so a
 * critical finding maps to Blocker when the caller asks for it and to Highest otherwise.
 */
export const JIRA_PRIORITIES = ['Blocker', 'Highest', 'High', 'Medium', 'Low', 'Lowest'] as const;
export type JiraPriority = (typeof JIRA_PRIORITIES)[number];

export const PRIORITY_BY_SEVERITY: Record<Severity, Exclude<JiraPriority, 'Blocker'>> = {
  critical: 'Highest',
  high: 'High',
  medium: 'Medium',
  low: 'Low',
  informational: 'Lowest',
};

/**
 * @example priorityForSeverity('critical', { blocker: true }) // 'Blocker'
 */
export function priorityForSeverity(severity: Severity, options: { blocker?: boolean } = {}): JiraPriority {
  if (severity === 'critical' && options.blocker) return 'Blocker';
  return PRIORITY_BY_SEVERITY[severity];
}
