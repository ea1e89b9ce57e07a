import type { CredentialField } from '../kit/credentials.js';

/**
 * A Slack bot token (`xoxb-…`), sent as `Authorization: Bearer` (api-contracts §3.1), and the Web API base
 * URL (the sandbox prints `SLACK_API_URL`).
 */
export const SLACK_DEFAULT_API_URL = 'https://slack.com/api';

export const SLACK_CREDENTIAL_FIELDS: readonly CredentialField[] = [
  {
    name: 'botToken',
    config: 'bot_token',
    env: 'SLACK_BOT_TOKEN',
    required: true,
    secret: true,
    description: 'Slack bot token (xoxb-…)',
    identifies: true,
  },
  {
    name: 'apiUrl',
    config: 'api_url',
    env: 'SLACK_API_URL',
    default: SLACK_DEFAULT_API_URL,
    description: 'Slack Web API base URL',
  },
];
