import { z } from 'zod';
import { RETRY_NONE } from '../http/retry.js';
import { credentialCheck, resolveCredentialFields } from '../kit/credentials.js';
import { WizClient } from './client.js';
import { WIZ_CREDENTIAL_FIELDS, WIZ_DEFAULT_AUTH_URL } from './credential-fields.js';

/** Legacy Auth0 token hosts expect the old audience (api-contracts §1.1). */
const LEGACY_AUTH_HOSTS = ['auth.wiz.io', 'auth0.gov.wiz.io'];

export function audienceFor(authUrl: string): string {
  try {
    return LEGACY_AUTH_HOSTS.includes(new URL(authUrl).hostname) ? 'beyond-api' : 'wiz-api';
  } catch {
    return 'wiz-api';
  }
}

/** Users paste the endpoint with or without `/graphql` (the READMEs show `https://api.wiz.io`). */
export function graphqlUrl(apiUrl: string): string {
  const trimmed = apiUrl.replace(/\/+$/, '');
  return /\/graphql$/i.test(trimmed) ? trimmed : `${trimmed}/graphql`;
}

export const wizCredentialsSchema = z.object({
  clientId: z.string().min(1),
  clientSecret: z.string().min(1),
  authUrl: z.url(),
  apiUrl: z.url(),
  /** `wiz-api` for Cognito token URLs, `beyond-api` for the legacy Auth0 ones. */
  audience: z.string().min(1),
});
export type WizCredentials = z.infer<typeof wizCredentialsSchema>;

/**
 * Credentials from `connectors.wiz` of arx.yaml (or the broker's per-call copy of it), falling back to the
 * environment. Throws a ConfigError naming each missing variable.
 */
export function resolveWizCredentials(
  config: Record<string, unknown> | undefined,
  env: NodeJS.ProcessEnv = process.env,
): WizCredentials {
  const fields = resolveCredentialFields('wiz', WIZ_CREDENTIAL_FIELDS, config, env);
  const authUrl = fields.authUrl ?? WIZ_DEFAULT_AUTH_URL;
  return wizCredentialsSchema.parse({
    ...fields,
    apiUrl: graphqlUrl(fields.apiUrl ?? ''),
    authUrl,
    audience: audienceFor(authUrl),
  });
}

const HINTS = {
  connector: 'wiz',
  urlVar: 'WIZ_API_URL (and WIZ_AUTH_URL for gov tenants)',
  secretVars: 'WIZ_CLIENT_ID and WIZ_CLIENT_SECRET',
  scopeHint: 'give the service account read:issues, read:vulnerabilities and read:cloud_configuration',
};

/** Token first (proves id, secret and token URL), then one count query (proves endpoint and scope). */
export const wizCredentialCheck = credentialCheck({
  fields: WIZ_CREDENTIAL_FIELDS,
  hints: HINTS,
  resolve: resolveWizCredentials,
  async read(credentials, runtime) {
    // interactive: one attempt, so a wrong URL is reported in seconds rather than after backoff
    const client = new WizClient(credentials, { ...runtime, retry: RETRY_NONE });
    await client.accessToken();
    const { issues } = await client.probe();
    return {
      ok: true,
      identity: client.clientId,
      message: `token issued and the API answered${issues === undefined ? '' : `: ${issues} issues visible`}`,
    };
  },
});
