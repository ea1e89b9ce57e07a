import { intBetween, pick, rngAt, uuidFrom } from '../kit/random.js';
import { ACCOUNT_LAYOUT, EMAIL_DOMAIN, FIRST_NAMES, LAST_NAMES, TEAMS } from './catalog.js';
import type { CloudAccount, Team, WizProject } from './types.js';

/** Teams, Wiz projects and cloud accounts: small, built once per tenant from the seed. */
export interface Organisation {
  teams: Team[];
  projects: WizProject[];
  accounts: CloudAccount[];
}

export function buildOrganisation(seed: number): Organisation {
  const teams: Team[] = TEAMS.map((team, i) => {
    const random = rngAt(seed, 'team', i);
    const first = pick(random, FIRST_NAMES);
    const last = pick(random, LAST_NAMES);
    return {
      id: team.id,
      name: team.name,
      slackChannel: `#team-${team.id}`,
      jiraComponent: team.name,
      owner: { name: `${first} ${last}`, email: `${first}.${last}@${EMAIL_DOMAIN}`.toLowerCase() },
      pagerdutyServiceId: `P${digits(random, 6, 36).toUpperCase()}`,
    };
  });
  const projects: WizProject[] = TEAMS.map((team, i) => ({
    id: uuidFrom(rngAt(seed, 'project', i)),
    name: team.name,
    slug: team.id,
    businessUnit: team.businessUnit,
    businessImpact: i % 3 === 0 ? 'HBI' : i % 3 === 1 ? 'MBI' : 'LBI',
  }));
  const accounts: CloudAccount[] = ACCOUNT_LAYOUT.map(([provider, environment, teamId], i) => {
    const random = rngAt(seed, 'account', i);
    const team = teams.find((t) => t.id === teamId)!;
    const project = projects[TEAMS.findIndex((t) => t.id === teamId)]!;
    const externalId =
      provider === 'AWS'
        ? digits(random, 12, 10)
        : provider === 'Azure'
          ? uuidFrom(random)
          : `${teamId}-${environment}-${intBetween(random, 100000, 999999)}`;
    return {
      provider,
      externalId,
      name: `${teamId}-${environment}`,
      environment,
      team: teamId,
      ownerEmail: team.owner.email,
      tags: { env: environment, team: teamId, 'cost-center': `cc-${1000 + i * 7}` },
      projectId: project.id,
    };
  });
  return { teams, projects, accounts };
}

function digits(random: () => number, length: number, radix: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += Math.floor(random() * radix).toString(radix);
  return radix === 10 && out.startsWith('0') ? `1${out.slice(1)}` : out;
}
