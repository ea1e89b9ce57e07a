import type { ConnectorsConfig } from '../config/connectors.js';
import { CREDENTIAL_FIELDS } from '../connectors/credential-fields.js';

/**
 * Which of a workflow's connectors have credentials, from arx.yaml or the environment variables of the
 * workflow READMEs. None configured means a first run: `arx run` starts the sandbox. Some but not all is a
 * half-finished set-up: the run refuses and names what is missing rather than mixing real tools and
 * emulators.
 */

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
    // the fields that say "the user configured this connector" (URLs and regions alone do not)
    const markers = (CREDENTIAL_FIELDS[connector] ?? []).filter((field) => field.identifies);
    if (markers.length === 0) continue; // a connector Arx has no credential convention for: nothing to check
    const section = (config as Record<string, Record<string, unknown> | undefined>)[connector] ?? {};
    const present = markers.some((field) => {
      const fromFile = section[field.config];
      return (
        (typeof fromFile === 'string' && fromFile !== '') || Boolean(field.env && env[field.env]?.trim())
      );
    });
    if (present) status.configured.push(connector);
    else {
      status.missing.push({
        connector,
        variables: markers.map((field) => field.env).filter((v): v is string => Boolean(v)),
      });
    }
  }
  return status;
}
