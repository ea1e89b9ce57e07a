import { z } from 'zod';
import { RETRY_NONE } from '../http/retry.js';
import { credentialCheck, resolveCredentialFields } from '../kit/credentials.js';
import { QualysClient } from './client.js';
import { QUALYS_CREDENTIAL_FIELDS } from './credential-fields.js';

export const qualysCredentialsSchema = z.object({
  url: z.url(),
  username: z.string().min(1),
  password: z.string().min(1),
});
export type QualysCredentials = z.infer<typeof qualysCredentialsSchema>;

/** Credentials from `connectors.qualys` (or the broker's per-call copy), falling back to the environment. */
export function resolveQualysCredentials(
  config: Record<string, unknown> | undefined,
  env: NodeJS.ProcessEnv = process.env,
): QualysCredentials {
  return qualysCredentialsSchema.parse(
    resolveCredentialFields('qualys', QUALYS_CREDENTIAL_FIELDS, config, env),
  );
}

const HINTS = {
  connector: 'qualys',
  urlVar: 'QUALYS_URL (the API server of your platform, qualysapi.…)',
  secretVars: 'QUALYS_USERNAME and QUALYS_PASSWORD',
  scopeHint: 'the user needs API access and a role that can list host detections',
};

/** One host of the detection list: proves user, password, API access and the URL in one call. */
export const qualysCredentialCheck = credentialCheck({
  fields: QUALYS_CREDENTIAL_FIELDS,
  hints: HINTS,
  resolve: resolveQualysCredentials,
  async read(credentials, runtime) {
    // interactive: one attempt, so a wrong URL is reported in seconds rather than after backoff
    const client = new QualysClient(credentials, { ...runtime, retry: RETRY_NONE });
    const { hosts } = await client.probe();
    return {
      ok: true,
      identity: client.username,
      message: `authenticated as ${client.username}; host detection list answered (${hosts ? 'hosts visible' : 'no hosts visible'})`,
    };
  },
});
