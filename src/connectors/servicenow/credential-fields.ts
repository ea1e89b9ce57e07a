import type { CredentialField } from '../kit/credentials.js';

/** ServiceNow: the instance URL and an integration user, sent as HTTP Basic (api-contracts §6). */
export const SERVICENOW_CREDENTIAL_FIELDS: readonly CredentialField[] = [
  {
    name: 'url',
    config: 'url',
    env: 'SERVICENOW_URL',
    required: true,
    description: 'ServiceNow instance URL (https://<instance>.service-now.com)',
  },
  {
    name: 'username',
    config: 'username',
    env: 'SERVICENOW_USERNAME',
    required: true,
    description: 'ServiceNow integration user',
    identifies: true,
  },
  {
    name: 'password',
    config: 'password',
    env: 'SERVICENOW_PASSWORD',
    required: true,
    secret: true,
    description: 'ServiceNow password',
    identifies: true,
  },
];
