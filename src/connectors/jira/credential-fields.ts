import type { CredentialField } from '../kit/credentials.js';

/**
 * Jira Cloud credentials: the site URL, the Atlassian account email and an API token, sent as HTTP Basic
 * (`base64(email:token)`, api-contracts §2.1). Environment names follow the workflow READMEs.
 */
export const JIRA_CREDENTIAL_FIELDS: readonly CredentialField[] = [
  {
    name: 'url',
    config: 'url',
    env: 'JIRA_URL',
    required: true,
    description: 'Jira site URL (https://<site>.atlassian.net)',
  },
  {
    name: 'email',
    config: 'email',
    env: 'JIRA_USER_EMAIL',
    required: true,
    description: 'email of the Atlassian account that owns the API token',
  },
  {
    name: 'apiToken',
    config: 'api_token',
    env: 'JIRA_API_TOKEN',
    required: true,
    secret: true,
    description: 'Jira API token',
    identifies: true,
  },
  {
    name: 'projectKey',
    config: 'project_key',
    env: 'JIRA_PROJECT_KEY',
    description: 'default project for new issues',
  },
];
