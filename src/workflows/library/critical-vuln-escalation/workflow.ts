import { compact } from '../../../core/compact.js';
import type { Finding } from '../../../core/finding/model.js';
import { defineWorkflow, fromEnv, z } from '../../sdk/index.js';
import { clip, findingDetails, label, uniqueBy } from '../shared/content.js';
import { fullReadOption, readVulnerabilitiesInScope } from '../shared/ingest.js';
import { projectKeyOption } from '../shared/jira.js';
import { type IncidentDraft, incidentOf, syncPages } from '../shared/pages.js';
import { NO_SCANNER_WRITES, workflowRules } from '../shared/policy.js';
import { ownerOptions, type TeamRoute, teamRouter } from '../shared/routing.js';
import { isOpen, severityOption } from '../shared/scope.js';
import { syncTickets, type TicketUnit } from '../shared/tickets.js';
import { byCve, groupSameAsset, primaryOf, unifiedPriority } from '../shared/vuln-groups.js';

/**
 * Critical Vulnerability Escalation: critical vulnerabilities from Wiz (and Qualys when `qualys_enabled`),
 * deduplicated by CVE and asset across the scanners, page on-call once per CVE (one PagerDuty P1 incident,
 * `incident_key` = the CVE's key) and get one Jira Blocker ticket per CVE with the remediation, the CVE data
 * (CVSS, EPSS, CISA KEV), every affected asset and the incident link. When every asset is fixed the incident
 * is resolved and the ticket closed; if the CVE comes back, on-call is paged again and the ticket reopened.
 */
export const NAME = 'critical-vuln-escalation';
export const policy = workflowRules(NAME, [NO_SCANNER_WRITES]);

export const options = z.object({
  severities: severityOption('SEVERITIES', ['CRITICAL']),
  /** Escalate only CVEs with at least this CVSS base score (0: every CVE of the severities). */
  min_cvss: fromEnv('MIN_CVSS', z.number().min(0).max(10).default(0)),
  /** Read Qualys VMDR detections too, to corroborate Wiz and catch hosts Wiz does not see. */
  qualys_enabled: fromEnv('QUALYS_ENABLED', z.boolean().default(false)),
  /** Hours between full reads (Wiz shows a vulnerability that comes back only to a full read). */
  full_read_every_hours: fullReadOption(),
  project_key: projectKeyOption(),
  issue_type: fromEnv('JIRA_ISSUE_TYPE', z.string().trim().min(1).default('Bug')),
  labels: z.array(z.string().trim().min(1)).default(['security', 'vulnerability', 'critical-cve']),
  /** A PagerDuty priority id (account-specific, e.g. P53ZZH5) for the P1 incidents. */
  pagerduty_priority_id: z.string().trim().min(1).optional(),
  ...ownerOptions(),
});
type Options = z.output<typeof options>;

/** Affected assets listed in a ticket or incident before "and N more". */
const MAX_ASSETS_LISTED = 25;

export default defineWorkflow({
  name: NAME,
  description:
    'Critical CVEs from Wiz (+ Qualys) → deduplicated by CVE and asset → one PagerDuty P1 per CVE → Jira Blocker with CVE data',
  connectors: ['wiz', 'pagerduty', 'jira'],
  options,
  schedule: '0 */2 * * *',
  async run(ctx) {
    const findings = (await readVulnerabilitiesInScope(ctx, ctx.options)).filter(
      (f) => (f.vulnerability?.cvss_score ?? 10) >= ctx.options.min_cvss,
    );
    const routes = teamRouter(ctx.options);
    const units = [...byCve(findings).entries()].map(([cve, group]) =>
      cveUnit(cve, group, ctx.options, routes, ctx.clock),
    );
    const merged = findings.length - units.reduce((n, u) => n + u.assets.length, 0);
    ctx.summary.add('duplicatesMerged', merged);

    const pages = await syncPages(ctx, units, (unit) => incidentDraft(unit as CveUnit, ctx.options));
    await syncTickets(
      ctx,
      units.map((unit) => withIncidentLink(unit, incidentOf(pages, unit.key))),
      { project: ctx.options.project_key },
    );
  },
});

interface CveUnit extends TicketUnit {
  cve: string;
  /** One entry per affected asset (Wiz and Qualys reports of one host merged). */
  assets: Finding[][];
  routes: TeamRoute[];
}

function cveUnit(
  cve: string,
  group: Finding[],
  o: Options,
  routes: ReturnType<typeof teamRouter>,
  clock: { now(): Date },
): CveUnit {
  const assets = groupSameAsset(group);
  const open = assets.filter((asset) => asset.some(isOpen));
  const teamRoutes = uniqueBy(
    (open.length ? open : assets).map((asset) => routes.routeOf(primaryOf(asset))),
    (r) => r.team,
  ).sort((a, b) => a.team.localeCompare(b.team));
  const lead = primaryOf(group);
  const priority = unifiedPriority(group, clock);
  const only = teamRoutes.length === 1 ? teamRoutes[0] : undefined;
  const unit: CveUnit = {
    key: cveKey(cve),
    cve,
    findings: group,
    assets,
    routes: teamRoutes,
    route: only ?? { team: 'multiple teams', channel: '' },
    severity: 'critical',
    draft: () => {
      const v = lead.vulnerability;
      const details = findingDetails(
        lead,
        group.filter((f) => f !== lead),
      );
      return compact({
        summary: clip(
          `[CRITICAL] ${cve}${packageOf(lead)}: ${plural(open.length || assets.length, 'asset')} affected`,
          255,
        ),
        issueType: o.issue_type,
        description: assetLines(open.length ? open : assets).join('\n'),
        details: compact({
          ...details,
          resource: undefined,
          summary: v?.title ?? details.summary,
          priority: { label: priority.label, score: priority.score },
        }),
        priority: 'Blocker' as const,
        labels: [...o.labels.map(label), label(cve)],
        components: uniqueBy(
          teamRoutes.flatMap((r) => (r.component ? [r.component] : [])),
          (c) => c,
        ),
        assignee: only?.assignee,
      });
    },
  };
  return unit;
}

/** Group keys name the CVE: one ticket and one incident per CVE, whatever hosts come and go. */
export function cveKey(cve: string): string {
  return `cve-${cve}`;
}

function incidentDraft(unit: CveUnit, o: Options): IncidentDraft {
  const lead = primaryOf(unit.findings);
  const v = lead.vulnerability;
  const facts = [
    v?.cvss_score === undefined ? undefined : `CVSS ${v.cvss_score}`,
    v?.epss_score === undefined ? undefined : `EPSS ${Math.round(v.epss_score * 1000) / 1000}`,
    v?.kev ? 'in CISA KEV' : undefined,
  ].filter(Boolean);
  const open = unit.assets.filter((asset) => asset.some(isOpen));
  return compact({
    title: clip(
      `[P1] ${unit.cve}${packageOf(lead)} on ${plural(open.length || unit.assets.length, 'asset')}${facts.length ? ` (${facts.join(', ')})` : ''}`,
      1024,
    ),
    details: [
      v?.title ?? lead.title,
      '',
      ...assetLines(open.length ? open : unit.assets),
      '',
      lead.remediation?.desc ? `Remediation: ${lead.remediation.desc}` : '',
      `Teams: ${unit.routes.map((r) => r.team).join(', ') || 'unknown'}. Raised by Arx workflow ${NAME}.`,
    ].join('\n'),
    serviceId: unit.routes.length === 1 ? unit.routes[0]!.pagerduty_service : undefined,
    priorityId: o.pagerduty_priority_id,
  });
}

function withIncidentLink(unit: CveUnit, incident: { id: string; url: string } | undefined): CveUnit {
  if (!incident?.url) return unit;
  return {
    ...unit,
    draft: () => {
      const draft = unit.draft();
      const links = [
        { text: `PagerDuty incident ${incident.id}`, href: incident.url },
        ...(draft.details?.links ?? []),
      ];
      return { ...draft, details: { ...draft.details, links } };
    },
  };
}

function assetLines(assets: Finding[][]): string[] {
  const lines = assets.slice(0, MAX_ASSETS_LISTED).map((asset) => {
    const f = primaryOf(asset);
    const r = f.resource;
    const seenBy = [...new Set(asset.flatMap((a) => a.sources.map((s) => s.vendor)))].sort().join('+');
    const where = [r.account_name ?? r.account_uid, r.region, r.environment].filter(Boolean).join(', ');
    return `• ${r.name ?? r.hostname ?? r.uid}${r.ip ? ` ${r.ip}` : ''}${where ? ` (${where})` : ''}, seen by ${seenBy}`;
  });
  const more = assets.length - MAX_ASSETS_LISTED;
  return [`Affected assets (${assets.length}):`, ...lines, ...(more > 0 ? [`…and ${more} more`] : [])];
}

function packageOf(finding: Finding): string {
  const pkg = finding.vulnerability?.packages[0];
  return pkg ? ` in ${pkg.name}` : '';
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
