import type { CredentialField } from '../kit/credentials.js';

/**
 * Qualys API user credentials: HTTP Basic on every call (api-contracts §5.1) against the platform's API
 * host. Environment variable names are those of the workflow READMEs.
 */
export const QUALYS_CREDENTIAL_FIELDS: readonly CredentialField[] = [
  {
    name: 'url',
    config: 'url',
    env: 'QUALYS_URL',
    required: true,
    description: 'Qualys API server of your platform (e.g. https://qualysapi.qg2.apps.qualys.com)',
  },
  {
    name: 'username',
    config: 'username',
    env: 'QUALYS_USERNAME',
    required: true,
    description: 'Qualys API user',
    identifies: true,
  },
  {
    name: 'password',
    config: 'password',
    env: 'QUALYS_PASSWORD',
    required: true,
    secret: true,
    description: 'Qualys API user password',
    identifies: true,
  },
];
