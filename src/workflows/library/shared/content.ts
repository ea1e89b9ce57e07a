import type { FindingDetails } from '../../../connectors/jira/adf.js';
import { compact } from '../../../core/compact.js';
import type { Finding, PriorityFactor, Severity } from '../../../core/finding/model.js';
import type { TeamRoute } from './routing.js';

/**
 * What a ticket says about its findings, built from the normalised finding alone (pure): a summary line a
 * person can triage from, and the structured facts the Jira connector renders as the description
 * (resource, severity, remediation, CVE data, source ids and links).
 */

/** The Jira create fields a workflow decides (the connector adds the finding label and property). */
export interface TicketDraft {
  summary: string;
  issueType?: string;
  description?: string;
  details?: TicketDetails;
  priority?: JiraPriorityName;
  labels?: string[];
  components?: string[];
  assignee?: string;
}

export type JiraPriorityName = 'Blocker' | 'Highest' | 'High' | 'Medium' | 'Low' | 'Lowest';

/** The Jira connector's `details`, as workflows fill them (the connector adds the finding key itself). */
export type TicketDetails = Omit<FindingDetails, 'findingKey'>;

const SUMMARY_MAX = 255;
const SOURCE_NAME: Record<string, string> = { wiz: 'Wiz', qualys: 'Qualys' };

export function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** `[Wiz][CRITICAL] S3 bucket allows public read: prod-uploads` (at most 255 characters). */
export function ticketSummary(finding: Finding, severity: Severity = finding.severity): string {
  const vendors = [...new Set(finding.sources.map((s) => SOURCE_NAME[s.vendor] ?? s.vendor))];
  const where = finding.resource.name ?? finding.resource.hostname ?? finding.resource.uid;
  return clip(`[${vendors.join('+')}][${severity.toUpperCase()}] ${finding.title}: ${where}`, SUMMARY_MAX);
}

/** The facts of one finding, merged with the sources of the other findings that stand for the same thing. */
export function findingDetails(finding: Finding, also: readonly Finding[] = []): TicketDetails {
  const r = finding.resource;
  const v = finding.vulnerability;
  const packageFix = v?.packages.find((p) => p.fixed_version)?.fixed_version;
  const sources = [finding, ...also].flatMap((f) =>
    f.sources.map((s) => ({ vendor: s.vendor, id: s.uid, ...(s.url ? { url: s.url } : {}) })),
  );
  return compact({
    summary: finding.desc ? clip(firstParagraph(finding.desc), 600) : undefined,
    severity: finding.severity,
    priority: finding.priority ? { label: finding.priority.label, score: finding.priority.score } : undefined,
    resource: compact({
      uid: r.uid,
      type: r.type,
      name: r.name,
      region: r.region,
      account: r.account_name ? `${r.account_name} (${r.account_uid ?? '?'})` : r.account_uid,
      environment: r.environment,
    }),
    vulnerability: v
      ? compact({
          cve: v.cve_uid,
          cvss: v.cvss_score,
          epss: v.epss_score === undefined ? undefined : Math.round(v.epss_score * 1000) / 1000,
          kev: v.kev ? true : undefined,
          fixedVersion: packageFix,
        })
      : undefined,
    control: finding.compliance
      ? compact({ id: finding.compliance.control, name: finding.compliance.control_name })
      : undefined,
    remediation: finding.remediation?.desc,
    sources: uniqueBy(sources, (s) => `${s.vendor}:${s.id}`),
    links: uniqueBy(
      [finding, ...also].flatMap((f) => f.sources.filter((s) => s.url).map((s) => s.url!)),
      (url) => url,
    )
      .filter((url) => /^https?:\/\//.test(url))
      .map((href, i) => ({ text: i === 0 ? 'Open at the source' : `Source ${i + 1}`, href })),
  });
}

/** Why a finding got its priority, one line per factor: what auditors and engineers ask first. */
export function priorityLines(factors: readonly PriorityFactor[]): string[] {
  return factors
    .filter((f) => f.points !== 0)
    .map((f) => `${f.points > 0 ? '+' : ''}${f.points} ${f.name}: ${f.reason}`);
}

/**
 * `wiz-issue-<id>` for each Wiz issue behind a finding (the label Wiz's own Jira integration uses), so a
 * ticket is found from the issue and the other way round. Wiz issue records are the ones with an issue link.
 */
export function sourceLabels(finding: Pick<Finding, 'sources'>): string[] {
  return finding.sources
    .filter((s) => s.vendor === 'wiz' && s.url?.includes('/issues#'))
    .map((s) => label(`wiz-issue-${s.uid}`));
}

/** Jira labels: no spaces, at most 255 characters. */
export function label(text: string): string {
  return clip(text.trim().replace(/\s+/g, '-'), 255);
}

function firstParagraph(text: string): string {
  return text.split(/\n\s*\n/)[0]!.trim();
}

export function uniqueBy<T>(items: readonly T[], key: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const k = key(item);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Component and assignee of the team, as the Jira create fields want them. */
export function teamFields(route: TeamRoute): Pick<TicketDraft, 'components' | 'assignee'> {
  return compact({
    components: route.component ? [route.component] : undefined,
    assignee: route.assignee,
  });
}
