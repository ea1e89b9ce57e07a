import { defineWorkflow, fromEnv, z } from '../../sdk/index.js';
import { label } from '../shared/content.js';
import { postDigests } from '../shared/digest.js';
import { findingTicketUnit } from '../shared/finding-ticket.js';
import { readSource } from '../shared/ingest.js';
import { projectKeyOption } from '../shared/jira.js';
import { NO_SCANNER_WRITES, workflowRules } from '../shared/policy.js';
import { PRIORITY_BY_SEVERITY } from '../shared/priorities.js';
import { channelOptions, ownerOptions, teamRouter } from '../shared/routing.js';
import {
  findingsInScope,
  fromSources,
  type Scope,
  severitiesOf,
  severityOption,
  wizSeverities,
} from '../shared/scope.js';
import { syncTickets } from '../shared/tickets.js';

/**
 * Wiz Finding Distribution: critical and high Wiz issues (since this workflow last read them) become Jira
 * tickets for the owning team, unless a ticket already exists (found by the finding-key label, or named in
 * the issue's Wiz `serviceTickets`); each team gets one Slack digest per run with the ticket links. Tickets
 * it filed are closed when Wiz resolves the issue and reopened when it comes back.
 */
export const NAME = 'wiz-finding-distribution';
/** Every feed of Wiz issues (a cloud-configuration issue carries the configuration product). */
export const WIZ_ISSUE_PRODUCTS = ['Wiz Issues', 'Wiz Threat Detection', 'Wiz Cloud Configuration'];
export const policy = workflowRules(NAME, [NO_SCANNER_WRITES]);

export const options = z.object({
  severities: severityOption('SEVERITIES', ['CRITICAL', 'HIGH']),
  project_key: projectKeyOption(),
  issue_type: fromEnv('JIRA_ISSUE_TYPE', z.string().trim().min(1).default('Bug')),
  labels: z.array(z.string().trim().min(1)).default(['security', 'wiz']),
  ...ownerOptions(),
  ...channelOptions('SLACK_CHANNEL', '#security-findings'),
  /** Wiz issues per page (Wiz allows up to 1000; 500 is what its own integrations use). */
  page_size: z.number().int().min(1).max(1000).default(500),
});

export default defineWorkflow({
  name: NAME,
  description:
    'Critical and high Wiz findings → deduplicated Jira tickets per owning team → one Slack digest per team',
  connectors: ['wiz', 'jira', 'slack'],
  options,
  schedule: '0 */4 * * *',
  async run(ctx) {
    const severities = severitiesOf(ctx.options.severities);
    const scope: Scope = {
      classes: ['compliance', 'detection'],
      severities,
      source: fromSources({ vendor: 'wiz', products: WIZ_ISSUE_PRODUCTS }),
    };
    await readSource(ctx, 'wiz', {
      phase: 'reading Wiz issues',
      kinds: ['issues'],
      filters: { severities: wizSeverities(severities) },
      pageSize: ctx.options.page_size,
    });

    const routes = teamRouter(ctx.options);
    const o = ctx.options;
    const units = (await findingsInScope(ctx, scope)).map((finding) =>
      findingTicketUnit(finding, routes.routeOf(finding), {
        issueType: o.issue_type,
        priority: PRIORITY_BY_SEVERITY[finding.severity],
        labels: o.labels.map(label),
      }),
    );
    const outcomes = await syncTickets(ctx, units, { project: ctx.options.project_key });
    await postDigests(ctx, outcomes, { title: 'Wiz findings', fallbackChannel: ctx.options.default_channel });
  },
});
