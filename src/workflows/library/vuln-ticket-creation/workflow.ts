import type { Finding, Priority } from '../../../core/finding/model.js';
import { defineWorkflow, fromEnv, z } from '../../sdk/index.js';
import { findingDetails, label, priorityLines, teamFields, ticketSummary } from '../shared/content.js';
import { fullReadOption, readVulnerabilitiesInScope } from '../shared/ingest.js';
import { projectKeyOption } from '../shared/jira.js';
import { NO_SCANNER_WRITES, workflowRules } from '../shared/policy.js';
import { PRIORITY_BY_LABEL } from '../shared/priorities.js';
import { ownerOptions, teamRouter } from '../shared/routing.js';
import { maxSeverity, severityOption } from '../shared/scope.js';
import { syncTickets, type TicketUnit } from '../shared/tickets.js';
import { groupSameAsset, primaryOf, unifiedPriority } from '../shared/vuln-groups.js';

/**
 * Vulnerability Ticket Creation: critical and high vulnerabilities from Wiz and Qualys, deduplicated by
 * CVE and asset across the two scanners, each scored once with Arx's unified priority (severity, KEV and
 * EPSS exploitability, asset exposure and criticality), become Jira tickets in priority order: the Jira
 * priority from the score's label (P1 → Highest … P4 → Low), every factor of the score in the description.
 */
export const NAME = 'vuln-ticket-creation';
export const policy = workflowRules(NAME, [NO_SCANNER_WRITES]);

export const options = z.object({
  severities: severityOption('SEVERITIES', ['CRITICAL', 'HIGH']),
  /** Read Qualys VMDR detections too (set false for a Wiz-only estate). */
  qualys_enabled: fromEnv('QUALYS_ENABLED', z.boolean().default(true)),
  /** Hours between full reads (Wiz shows a vulnerability that comes back only to a full read). */
  full_read_every_hours: fullReadOption(),
  project_key: projectKeyOption(),
  issue_type: fromEnv('JIRA_ISSUE_TYPE', z.string().trim().min(1).default('Bug')),
  labels: z.array(z.string().trim().min(1)).default(['security', 'vulnerability']),
  ...ownerOptions(),
});
type Options = z.output<typeof options>;

export default defineWorkflow({
  name: NAME,
  description:
    'Critical/high vulnerabilities from Wiz and Qualys → deduplicated by CVE and asset → unified priority → Jira tickets',
  connectors: ['wiz', 'qualys', 'jira'],
  options,
  schedule: '30 */6 * * *',
  async run(ctx) {
    const groups = groupSameAsset(await readVulnerabilitiesInScope(ctx, ctx.options));
    const routes = teamRouter(ctx.options);
    const units = groups
      .map((group) => unitFor(group, ctx.options, routes, unifiedPriority(group, ctx.clock)))
      .sort((a, b) => b.priority.score - a.priority.score || a.key.localeCompare(b.key));
    ctx.summary.add(
      'duplicatesMerged',
      groups.reduce((n, g) => n + g.length - 1, 0),
    );
    await syncTickets(ctx, units, { project: ctx.options.project_key });
  },
});

function unitFor(
  group: Finding[],
  o: Options,
  routes: ReturnType<typeof teamRouter>,
  priority: Priority,
): TicketUnit & { priority: Priority } {
  const primary = primaryOf(group);
  const others = group.filter((f) => f !== primary);
  const route = routes.routeOf(primary);
  const seenBy = [...new Set(group.flatMap((f) => f.sources.map((s) => s.vendor)))].sort();
  return {
    key: primary.finding_key,
    findings: group,
    route,
    severity: maxSeverity(group.map((f) => f.severity)),
    priority,
    draft: () => ({
      summary: ticketSummary({ ...primary, sources: group.flatMap((f) => f.sources) }),
      issueType: o.issue_type,
      description: [
        `Priority ${priority.label} (score ${Math.round(priority.score)} of 100), from:`,
        ...priorityLines(priority.factors).map((line) => `• ${line}`),
        others.length
          ? `Seen by ${seenBy.join(' and ')}: ${group.length} reports merged into this ticket.`
          : '',
      ]
        .filter(Boolean)
        .join('\n'),
      details: {
        ...findingDetails(primary, others),
        priority: { label: priority.label, score: priority.score },
      },
      priority: PRIORITY_BY_LABEL[priority.label],
      labels: [
        ...o.labels.map(label),
        label(`priority-${priority.label}`),
        ...seenBy.map((v) => label(`seen-by-${v}`)),
      ],
      ...teamFields(route),
    }),
  };
}
