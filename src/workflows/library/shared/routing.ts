import type { Finding } from '../../../core/finding/model.js';
import { fromEnv, z } from '../../sdk/index.js';

/**
 * Who owns a finding, and where that team is reached: its Jira component and assignee, its Slack channel,
 * its PagerDuty service. The owner is the team `account_owner_map` names for the finding's cloud account,
 * else the team the resource's own tags name (`owner`, `team`), else `default_team`.
 */

/** Team names are free text in maps; trimmed and compared as given. */
const teamName = z.string().trim().min(1);
const channelName = z
  .string()
  .trim()
  .regex(
    /^(#[a-z0-9][a-z0-9._-]*|[CGD][A-Z0-9]{6,})$/,
    'a Slack channel: "#name" or an id such as C0123ABC456',
  );

export const teamSettingsSchema = z.strictObject({
  /** Jira component the team's tickets carry (must exist in the project). */
  component: z.string().trim().min(1).optional(),
  /** Atlassian account id the team's tickets are assigned to (a team lead or triage rota user). */
  assignee: z.string().trim().min(1).optional(),
  /** Slack channel for the team's digest; wins over `team_channel_map`. */
  channel: channelName.optional(),
  /** PagerDuty service the team's pages go to; default the connector's PAGERDUTY_SERVICE_ID. */
  pagerduty_service: z.string().trim().min(1).optional(),
});
export type TeamSettings = z.output<typeof teamSettingsSchema>;

/**
 * Who owns what: the options every library workflow shares (spread into its options schema).
 * @example z.object({ ...ownerOptions(), ...channelOptions('SLACK_CHANNEL', '#security-findings') })
 */
export function ownerOptions() {
  return {
    /** Cloud account id (AWS account, Azure subscription, GCP project) → team. */
    account_owner_map: fromEnv('ACCOUNT_OWNER_MAP', z.record(z.string().trim().min(1), teamName).default({})),
    /** Team → Jira component, assignee, channel, PagerDuty service. */
    teams: z.record(teamName, teamSettingsSchema).default({}),
    /** Owner of findings whose account is not mapped and whose resource names no owner. */
    default_team: z.string().trim().min(1).default('unassigned'),
  };
}

/** Where teams are told: for the workflows that post a Slack digest. */
export function channelOptions(channelVariable: string, defaultChannel: string) {
  return {
    /** Team → Slack channel. */
    team_channel_map: fromEnv('TEAM_CHANNEL_MAP', z.record(teamName, channelName).default({})),
    /** Where a team without a channel of its own gets its digest. */
    default_channel: fromEnv(channelVariable, channelName.default(defaultChannel)),
  };
}

export interface RoutingOptions {
  account_owner_map: Record<string, string>;
  teams: Record<string, TeamSettings>;
  default_team: string;
  team_channel_map?: Record<string, string>;
  default_channel?: string;
}

export interface TeamRoute extends TeamSettings {
  team: string;
  /** The digest's channel, after the team's own, the map, then the default ('' when none applies). */
  channel: string;
}

/**
 * @example
 * const routes = teamRouter(ctx.options);
 * const { team, component, channel } = routes.routeOf(finding);
 */
export function teamRouter(options: RoutingOptions) {
  const routeFor = (team: string): TeamRoute => {
    const settings = options.teams[team] ?? {};
    return {
      ...settings,
      team,
      channel: settings.channel ?? options.team_channel_map?.[team] ?? options.default_channel ?? '',
    };
  };
  return {
    /** The team that owns a finding. */
    teamOf(finding: Pick<Finding, 'resource'>): string {
      const account = finding.resource.account_uid;
      const mapped = account ? options.account_owner_map[account] : undefined;
      return mapped ?? (finding.resource.owner?.trim() || options.default_team);
    },
    routeFor,
    routeOf(finding: Pick<Finding, 'resource'>): TeamRoute {
      return routeFor(this.teamOf(finding));
    },
  };
}
export type TeamRouter = ReturnType<typeof teamRouter>;
