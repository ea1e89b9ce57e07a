import { z } from 'zod';
import { type CredentialField, credentialCheck, resolveCredentialFields } from '../kit/credentials.js';
import { createServiceNowClient } from './client.js';

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
  },
  {
    name: 'password',
    config: 'password',
    env: 'SERVICENOW_PASSWORD',
    required: true,
    secret: true,
    description: 'ServiceNow password',
  },
];

export const serviceNowCredentialsSchema = z.object({
  url: z.url(),
  username: z.string().min(1),
  password: z.string().min(1),
});
export type ServiceNowCredentials = z.infer<typeof serviceNowCredentialsSchema>;

export function resolveServiceNowCredentials(
  config?: Record<string, unknown>,
  env: NodeJS.ProcessEnv = process.env,
): ServiceNowCredentials {
  return serviceNowCredentialsSchema.parse(
    resolveCredentialFields('servicenow', SERVICENOW_CREDENTIAL_FIELDS, config, env),
  );
}

const HINTS = {
  connector: 'servicenow',
  urlVar: 'SERVICENOW_URL',
  secretVars: 'SERVICENOW_USERNAME and SERVICENOW_PASSWORD',
  scopeHint: 'the integration user needs the itil role (read and write on the incident table)',
};

/** `arx connectors test servicenow`: reads one incident id (the cheapest call that proves URL, login and role). */
export const serviceNowCredentialCheck = credentialCheck({
  fields: SERVICENOW_CREDENTIAL_FIELDS,
  hints: HINTS,
  resolve: resolveServiceNowCredentials,
  async read(credentials, runtime) {
    await createServiceNowClient(runtime, credentials).listIncidents({
      query: '',
      fields: ['sys_id'],
      limit: 1,
      offset: 0,
    });
    return {
      ok: true,
      identity: credentials.username,
      message: `authenticated as ${credentials.username}; the incident table is readable`,
    };
  },
});
