import type { SandboxTenantView } from '../../../sandbox/tenant/types.js';

/**
 * The library workflows' options for the built-in sandbox's demo tenant, as a user's arx.yaml would set
 * them for their own estate: which team owns each cloud account, each team's Slack channel, Jira component
 * and PagerDuty service, and a default channel that exists in the sandbox workspace. `arx run` applies them
 * under anything arx.yaml sets when it runs against the sandbox, so the first run routes like a real one.
 * (A type-only view of the tenant: production code never imports the sandbox.)
 *
 * @example const options = sandboxWorkflowOptions(sandbox.tenant)['wiz-finding-distribution'];
 */
export const SANDBOX_DEFAULT_CHANNEL = '#sec-alerts';

export function sandboxWorkflowOptions(tenant: SandboxTenantView): Record<string, Record<string, unknown>> {
  const teams = tenant.teams();
  const owners = {
    account_owner_map: tenant.accountOwners(),
    teams: Object.fromEntries(
      teams.map((team) => [
        team.id,
        { component: team.jiraComponent, pagerduty_service: team.pagerdutyServiceId },
      ]),
    ),
  };
  const channels = {
    team_channel_map: Object.fromEntries(teams.map((team) => [team.id, team.slackChannel])),
    default_channel: SANDBOX_DEFAULT_CHANNEL,
  };
  return {
    'wiz-finding-distribution': { ...owners, ...channels },
    'cloud-misconfig-remediation': { ...owners, ...channels },
    'critical-vuln-escalation': { ...owners, qualys_enabled: true },
    'vuln-ticket-creation': owners,
  };
}
