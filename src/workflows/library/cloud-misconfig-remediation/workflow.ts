import type { Finding, Severity } from '../../../core/finding/model.js';
import { defineWorkflow, fromEnv, z } from '../../sdk/index.js';
import { label } from '../shared/content.js';
import { postDigests } from '../shared/digest.js';
import { findingTicketUnit } from '../shared/finding-ticket.js';
import { readSource } from '../shared/ingest.js';
import { projectKeyOption } from '../shared/jira.js';
import { NO_DIRECT_REMEDIATION, NO_SCANNER_WRITES, workflowRules } from '../shared/policy.js';
import { priorityMapOption } from '../shared/priorities.js';
import { channelOptions, ownerOptions, teamRouter } from '../shared/routing.js';
import {
  bySeverity,
  findingsInScope,
  fromSources,
  isOpen,
  type Scope,
  severitiesOf,
  severityOption,
  wizSeverities,
} from '../shared/scope.js';
import { syncTickets, type TicketOutcome, type TicketUnit } from '../shared/tickets.js';

/**
 * Cloud Misconfiguration Remediation: open Wiz cloud-configuration findings, grouped by severity and cloud
 * account, each routed to the team that owns the account, become Jira tickets with the severity's
 * priority, on that team's component (and assignee); each team gets one Slack summary with its open
 * findings per severity and per account. Findings are never written back to Wiz and nothing is remediated
 * directly: the shipped policy denies both.
 */
export const NAME = 'cloud-misconfig-remediation';
export const CONFIGURATION_PRODUCT = 'Wiz Cloud Configuration';

export const policy = workflowRules(NAME, [NO_SCANNER_WRITES, NO_DIRECT_REMEDIATION]);

export const options = z.object({
  severities: severityOption('SEVERITIES', ['CRITICAL', 'HIGH', 'MEDIUM']),
  project_key: projectKeyOption(),
  issue_type: fromEnv('JIRA_ISSUE_TYPE', z.string().trim().min(1).default('Task')),
  /** Severity → Jira priority; severities left out keep Highest / High / Medium / Low / Lowest. */
  priority_map: priorityMapOption(),
  labels: z.array(z.string().trim().min(1)).default(['security', 'wiz', 'cloud-misconfiguration']),
  ...ownerOptions(),
  ...channelOptions('SLACK_CLOUD_CHANNEL', '#cloud-security'),
  page_size: z.number().int().min(1).max(1000).default(500),
});
type Options = z.output<typeof options>;

export default defineWorkflow({
  name: NAME,
  description:
    'Open Wiz misconfigurations → grouped by severity and account → owning team’s Jira tickets → one Slack summary per team',
  connectors: ['wiz', 'jira', 'slack'],
  options,
  schedule: '0 6 * * *',
  async run(ctx) {
    const severities = severitiesOf(ctx.options.severities);
    const scope: Scope = {
      classes: ['compliance'],
      severities,
      source: fromSources({ vendor: 'wiz', products: [CONFIGURATION_PRODUCT] }),
    };
    await readSource(ctx, 'wiz', {
      phase: 'reading Wiz misconfigurations',
      kinds: ['issues'],
      filters: { severities: wizSeverities(severities), types: ['CLOUD_CONFIGURATION'] },
      pageSize: ctx.options.page_size,
    });

    const routes = teamRouter(ctx.options);
    const findings = (await findingsInScope(ctx, scope)).sort(bySeverityThenAccount);
    const units = findings.map((finding) => unitFor(finding, routes.routeOf(finding), ctx.options));
    const outcomes = await syncTickets(ctx, units, { project: ctx.options.project_key });

    const posture = postureByTeam(units);
    await postDigests(ctx, outcomes, {
      title: 'Cloud misconfigurations',
      fallbackChannel: ctx.options.default_channel,
      counts: (team) => posture.get(team)?.severities ?? {},
      footer: (team, news) => accountLine(posture.get(team)?.accounts, news),
    });
  },
});

function unitFor(finding: Finding, route: TicketUnit['route'], o: Options): TicketUnit {
  return findingTicketUnit(finding, route, {
    issueType: o.issue_type,
    priority: o.priority_map[finding.severity],
    labels: [...o.labels.map(label), ...accountLabel(finding)],
  });
}

/** Critical first, then by cloud account, so each account's tickets are filed together. */
function bySeverityThenAccount(a: Finding, b: Finding): number {
  return (
    bySeverity(a.severity, b.severity) ||
    (a.resource.account_uid ?? '').localeCompare(b.resource.account_uid ?? '') ||
    a.finding_key.localeCompare(b.finding_key)
  );
}

function accountLabel(finding: Finding): string[] {
  return finding.resource.account_uid ? [label(`cloud-account-${finding.resource.account_uid}`)] : [];
}

interface Posture {
  severities: Partial<Record<Severity, number>>;
  /** Account → open findings per severity. */
  accounts: Map<string, Partial<Record<Severity, number>>>;
}

/** Open findings per team, per severity and per cloud account: what the team's summary counts. */
function postureByTeam(units: readonly TicketUnit[]): Map<string, Posture> {
  const byTeam = new Map<string, Posture>();
  for (const unit of units) {
    const finding = unit.findings[0]!;
    if (!isOpen(finding)) continue;
    const posture: Posture = byTeam.get(unit.route.team) ?? { severities: {}, accounts: new Map() };
    posture.severities[unit.severity] = (posture.severities[unit.severity] ?? 0) + 1;
    const account = finding.resource.account_name ?? finding.resource.account_uid ?? 'unknown account';
    const counts: Partial<Record<Severity, number>> = posture.accounts.get(account) ?? {};
    counts[unit.severity] = (counts[unit.severity] ?? 0) + 1;
    posture.accounts.set(account, counts);
    byTeam.set(unit.route.team, posture);
  }
  return byTeam;
}

function accountLine(
  accounts: Posture['accounts'] | undefined,
  news: readonly TicketOutcome[],
): string | undefined {
  if (!accounts || accounts.size === 0) return undefined;
  const parts = [...accounts.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([account, counts]) => {
      const bySev = (Object.entries(counts) as Array<[Severity, number]>)
        .sort(([a], [b]) => bySeverity(a, b))
        .map(([severity, n]) => `${n} ${severity}`);
      return `${account}: ${bySev.join(', ')}`;
    });
  const changed = news.length;
  return `Open by account: ${parts.join('; ')}. ${changed} ticket change${changed === 1 ? '' : 's'} this run.`;
}
