import { z } from 'zod';
import { credentialCheck, resolveCredentialFields } from '../kit/credentials.js';
import { createServiceNowClient } from './client.js';
import { SERVICENOW_CREDENTIAL_FIELDS } from './credential-fields.js';

/** The fields are data, declared once in credential-fields.ts (the sessions read them here). */
export { SERVICENOW_CREDENTIAL_FIELDS };

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
