import type { CredentialField } from '../kit/credentials.js';

/**
 * Wiz service-account credentials: OAuth client credentials exchanged for a bearer token (api-contracts
 * §1.1). Environment variable names are those of the workflow READMEs, plus `WIZ_AUTH_URL` for gov
 * tenants and the sandbox.
 */
export const WIZ_DEFAULT_AUTH_URL = 'https://auth.app.wiz.io/oauth/token';

export const WIZ_CREDENTIAL_FIELDS: readonly CredentialField[] = [
  {
    name: 'clientId',
    config: 'client_id',
    env: 'WIZ_CLIENT_ID',
    required: true,
    description: 'Wiz service account client id',
    identifies: true,
  },
  {
    name: 'clientSecret',
    config: 'client_secret',
    env: 'WIZ_CLIENT_SECRET',
    required: true,
    secret: true,
    description: 'Wiz service account client secret',
    identifies: true,
  },
  {
    name: 'apiUrl',
    config: 'api_url',
    env: 'WIZ_API_URL',
    required: true,
    description: 'Wiz API endpoint of your tenant (https://api.<dc>.app.wiz.io/graphql)',
  },
  {
    name: 'authUrl',
    config: 'auth_url',
    env: 'WIZ_AUTH_URL',
    default: WIZ_DEFAULT_AUTH_URL,
    description: 'Wiz OAuth token URL (gov tenants: https://auth.gov.wiz.io/oauth/token)',
  },
];
