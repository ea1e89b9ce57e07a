import type { Severity } from '../../core/finding/model.js';

/**
 * Finding severity → ServiceNow impact and urgency (which the instance's priority lookup turns into ITIL
 * priority 1–5 with the default matrix: 1/1 → 1 Critical, 2/1 → 2 High, 2/2 → 3 Moderate, 3/2 → 4 Low,
 * 3/3 → 5 Planning). Data, so a site can read and change the mapping in one place.
 */
export const IMPACT_URGENCY_BY_SEVERITY: Record<
  Severity,
  { impact: '1' | '2' | '3'; urgency: '1' | '2' | '3' }
> = {
  critical: { impact: '1', urgency: '1' },
  high: { impact: '2', urgency: '1' },
  medium: { impact: '2', urgency: '2' },
  low: { impact: '3', urgency: '2' },
  informational: { impact: '3', urgency: '3' },
};
