import { type ConnectorsConfig, connectorDefaults } from '../config/connectors.js';
import { CREDENTIAL_FIELDS } from '../connectors/credential-fields.js';
import type { CredentialField } from '../connectors/kit/credentials.js';
import { ArxError } from '../core/errors.js';
import { SECRET_KEY_PATTERN, secrets } from '../core/secrets.js';

/**
 * Per-call credential resolution. The gate asks the broker for a connector's credentials right before the
 * handler runs and hands them to the handler only: a workflow or agent never holds a tool credential.
 */
export type Credentials = Readonly<Record<string, string>>;

export interface CredentialRequest {
  connector: string;
  operation: string;
  /** `kind:id` of the principal the call is made for (for brokers that scope by caller). */
  principal: string;
}

export interface CredentialBroker {
  resolve(request: CredentialRequest): Promise<Credentials>;
}

/**
 * Resolves credentials from the connectors section of arx.yaml, falling back to the environment variables
 * the connectors declare (`fields`, by default every connector's catalog), at call time (a rotated token in
 * the environment is picked up at the next call). The keys are arx.yaml's (`api_token`): the handler reads
 * them with its connector's resolver. Secret fields are registered with the secret registry before they
 * are returned.
 *
 * @example
 * const broker = new ConfigCredentialBroker(config.connectors);
 * const creds = await broker.resolve({ connector: 'jira', operation: 'jira:issues:create', principal: 'workflow:x' });
 */
export class ConfigCredentialBroker implements CredentialBroker {
  constructor(
    private readonly connectors: ConnectorsConfig,
    private readonly env: NodeJS.ProcessEnv = process.env,
    private readonly fields: Readonly<Record<string, readonly CredentialField[]>> = CREDENTIAL_FIELDS,
  ) {}

  async resolve(request: CredentialRequest): Promise<Credentials> {
    const configured = (this.connectors as Record<string, Record<string, unknown> | undefined>)[
      request.connector
    ];
    if (configured?.enabled === false) {
      throw new ArxError('connector_disabled', `connector ${request.connector} is disabled in arx.yaml`, {
        fault: 'caller',
        hint: `set connectors.${request.connector}.enabled: true`,
      });
    }
    // arx.yaml wins over the environment, except where it only holds the schema's default (a public API
    // host): there the environment's value (the sandbox's URL, a gov-cloud host) must still apply.
    const defaults = connectorDefaults(request.connector);
    const out: Record<string, string> = {};
    for (const [field, value] of Object.entries(configured ?? {})) {
      if (typeof value === 'string' && value !== '') out[field] = value;
    }
    const declared = this.fields[request.connector] ?? [];
    for (const { config: field, env: variable } of declared) {
      const value = variable === undefined ? undefined : this.env[variable]?.trim();
      const onlyDefault = out[field] === undefined || out[field] === defaults[field];
      if (value && onlyDefault) out[field] = value;
    }
    // a field the connector declares secret (AWS external_id) is one even when its name does not say so
    const secretFields = new Set(declared.filter((field) => field.secret).map((field) => field.config));
    for (const [field, value] of Object.entries(out)) {
      if (secretFields.has(field) || SECRET_KEY_PATTERN.test(field)) secrets.add(value);
    }
    return Object.freeze(out);
  }
}
