import { z } from 'zod';
import { RETRY_NONE } from '../http/retry.js';
import {
  type CredentialCheck,
  type CredentialField,
  explainFailure,
  resolveCredentialFields,
} from '../kit/credentials.js';
import type { ConnectorRuntime } from '../kit/runtime.js';
import type { ConnectorCredentialCheck } from '../registry.js';
import { QualysClient } from './client.js';

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
  },
  {
    name: 'password',
    config: 'password',
    env: 'QUALYS_PASSWORD',
    required: true,
    secret: true,
    description: 'Qualys API user password',
  },
];

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
export async function testQualysCredentials(client: QualysClient): Promise<CredentialCheck> {
  try {
    const { hosts } = await client.probe();
    return {
      connector: 'qualys',
      ok: true,
      identity: client.username,
      message: `authenticated as ${client.username}; host detection list answered (${hosts ? 'hosts visible' : 'no hosts visible'})`,
    };
  } catch (err) {
    return explainFailure(err, HINTS);
  }
}

export const qualysCredentialCheck: ConnectorCredentialCheck = {
  fields: QUALYS_CREDENTIAL_FIELDS,
  async test(config, runtime: ConnectorRuntime, env = process.env) {
    let credentials: QualysCredentials;
    try {
      credentials = resolveQualysCredentials(config, env);
    } catch (err) {
      return explainFailure(err, HINTS);
    }
    // interactive: one attempt, so a wrong URL is reported in seconds rather than after backoff
    return testQualysCredentials(new QualysClient(credentials, { ...runtime, retry: RETRY_NONE }));
  },
};
