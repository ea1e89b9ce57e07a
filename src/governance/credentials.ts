import { type ConnectorsConfig, connectorDefaults } from '../config/connectors.js';
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
 * Environment variables read when arx.yaml does not set a field, named as in the workflow READMEs.
 * Connector issues extend this as each connector lands.
 */
export const CREDENTIAL_ENV: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  wiz: {
    client_id: 'WIZ_CLIENT_ID',
    client_secret: 'WIZ_CLIENT_SECRET',
    api_url: 'WIZ_API_URL',
    auth_url: 'WIZ_AUTH_URL',
  },
  qualys: { url: 'QUALYS_URL', username: 'QUALYS_USERNAME', password: 'QUALYS_PASSWORD' },
  jira: {
    url: 'JIRA_URL',
    email: 'JIRA_USER_EMAIL',
    api_token: 'JIRA_API_TOKEN',
    project_key: 'JIRA_PROJECT_KEY',
  },
  slack: { bot_token: 'SLACK_BOT_TOKEN', api_url: 'SLACK_API_URL' },
  pagerduty: {
    api_key: 'PAGERDUTY_API_KEY',
    routing_key: 'PAGERDUTY_ROUTING_KEY',
    from: 'PAGERDUTY_FROM',
    service_id: 'PAGERDUTY_SERVICE_ID',
    api_url: 'PAGERDUTY_API_URL',
    events_url: 'PAGERDUTY_EVENTS_URL',
  },
  servicenow: { url: 'SERVICENOW_URL', username: 'SERVICENOW_USERNAME', password: 'SERVICENOW_PASSWORD' },
  aws: {
    access_key_id: 'AWS_ACCESS_KEY_ID',
    secret_access_key: 'AWS_SECRET_ACCESS_KEY',
    session_token: 'AWS_SESSION_TOKEN',
    region: 'AWS_REGION',
  },
};

/**
 * Resolves credentials from the connectors section of arx.yaml, falling back to the conventional
 * environment variables, at call time (a rotated token in the environment is picked up at the next call).
 * Secret fields are registered with the secret registry before they are returned.
 *
 * @example
 * const broker = new ConfigCredentialBroker(config.connectors);
 * const creds = await broker.resolve({ connector: 'jira', operation: 'jira:issues:create', principal: 'workflow:x' });
 */
export class ConfigCredentialBroker implements CredentialBroker {
  constructor(
    private readonly connectors: ConnectorsConfig,
    private readonly env: NodeJS.ProcessEnv = process.env,
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
    for (const [field, variable] of Object.entries(CREDENTIAL_ENV[request.connector] ?? {})) {
      const value = this.env[variable]?.trim();
      const onlyDefault = out[field] === undefined || out[field] === defaults[field];
      if (value && onlyDefault) out[field] = value;
    }
    for (const [field, value] of Object.entries(out)) if (SECRET_KEY_PATTERN.test(field)) secrets.add(value);
    return Object.freeze(out);
  }
}
