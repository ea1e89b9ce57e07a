import { z } from 'zod';
import { credentialCheck, explainFailure, resolveCredentialFields } from '../kit/credentials.js';
import { createJiraClient } from './client.js';
import { JIRA_CREDENTIAL_FIELDS } from './credential-fields.js';

/** The fields are data, declared once in credential-fields.ts (the sessions read them here). */
export { JIRA_CREDENTIAL_FIELDS };

export const jiraCredentialsSchema = z.object({
  url: z.url(),
  email: z.string().min(1),
  apiToken: z.string().min(1),
  projectKey: z.string().min(1).optional(),
});
export type JiraCredentials = z.infer<typeof jiraCredentialsSchema>;

export function resolveJiraCredentials(
  config?: Record<string, unknown>,
  env: NodeJS.ProcessEnv = process.env,
): JiraCredentials {
  return jiraCredentialsSchema.parse(resolveCredentialFields('jira', JIRA_CREDENTIAL_FIELDS, config, env));
}

const HINTS = {
  connector: 'jira',
  urlVar: 'JIRA_URL',
  secretVars: 'JIRA_USER_EMAIL and JIRA_API_TOKEN',
  scopeHint: 'the token owner needs "Browse projects" and "Create issues" in the project (JIRA_PROJECT_KEY)',
};

/**
 * `arx connectors test jira`: resolves the credentials, then two cheap reads: `GET /myself` (the secret
 * and URL), and the default project if one is set (the token owner's access). Never throws.
 */
export const jiraCredentialCheck = credentialCheck({
  fields: JIRA_CREDENTIAL_FIELDS,
  hints: HINTS,
  resolve: resolveJiraCredentials,
  async read(credentials, runtime) {
    const client = createJiraClient(runtime, credentials);
    const me = await client.myself();
    const who = me.emailAddress ?? me.displayName ?? me.accountId;
    if (credentials.projectKey) {
      try {
        await client.project(credentials.projectKey);
      } catch (err) {
        const check = explainFailure(err, HINTS);
        if (check.problem !== 'wrong_url') return check;
        return {
          ...check,
          problem: 'missing_scope',
          message: `authenticated as ${who}, but project ${credentials.projectKey} does not exist or is not visible to that account: check JIRA_PROJECT_KEY and the account's project permissions`,
        };
      }
    }
    return {
      ok: true,
      identity: who,
      message: `authenticated as ${who}${credentials.projectKey ? `; project ${credentials.projectKey} is visible` : ''}`,
    };
  },
});
