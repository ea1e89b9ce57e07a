import type { ConnectorsConfig } from '../config/connectors.js';
import { CREDENTIAL_ENV } from '../governance/credentials.js';

/**
 * Which of a workflow's connectors have credentials, from arx.yaml or the environment variables of the
 * workflow READMEs. None configured means a first run: `arx run` starts the sandbox. Some but not all is a
 * half-finished set-up: the run refuses and names what is missing rather than mixing real tools and
 * emulators.
 */

/** The fields whose presence means "the user configured this connector" (URLs and regions alone do not). */
export const CREDENTIAL_MARKERS: Readonly<Record<string, readonly string[]>> = {
  wiz: ['client_id', 'client_secret'],
  qualys: ['username', 'password'],
  jira: ['api_token'],
  slack: ['bot_token'],
  pagerduty: ['api_key', 'routing_key'],
  servicenow: ['username', 'password'],
  aws: ['access_key_id', 'role_arn'],
};

export interface CredentialStatus {
  configured: string[];
  /** Connectors without credentials, with the variables that would configure them. */
  missing: Array<{ connector: string; variables: string[] }>;
}

/**
 * @example
 * const status = credentialStatus(workflow.connectors, config.connectors, process.env);
 * if (status.configured.length === 0) startTheSandbox();
 */
export function credentialStatus(
  connectors: readonly string[],
  config: ConnectorsConfig,
  env: NodeJS.ProcessEnv,
): CredentialStatus {
  const status: CredentialStatus = { configured: [], missing: [] };
  for (const connector of new Set(connectors)) {
    const markers = CREDENTIAL_MARKERS[connector];
    if (!markers) continue; // a connector Arx has no credential convention for: nothing to check
    const section = (config as Record<string, Record<string, unknown> | undefined>)[connector] ?? {};
    const variables = CREDENTIAL_ENV[connector] ?? {};
    const present = markers.some((field) => {
      const fromFile = section[field];
      const variable = variables[field];
      return (typeof fromFile === 'string' && fromFile !== '') || Boolean(variable && env[variable]?.trim());
    });
    if (present) status.configured.push(connector);
    else {
      status.missing.push({
        connector,
        variables: markers.map((field) => variables[field]).filter((v): v is string => Boolean(v)),
      });
    }
  }
  return status;
}
