/**
 * `connectors.<name>` in arx.yaml. One entry per tool in CONNECTOR_FIELDS: its endpoint and credential
 * fields (credentials are `secret`), on top of the fields every connector shares. A connector with no
 * credentials runs against the sandbox emulator; the environment variable names follow the workflow READMEs.
 */
import { z } from 'zod';
import { httpUrl, matching, nonEmpty, operationGlob, secret } from './fields.js';

/** Overrides for the connector's rate governor; absent fields keep the connector's own defaults. */
export const rateLimitsSchema = z.strictObject({
  requests_per_second: z.number().positive().optional(),
  requests_per_minute: z.number().int().positive().optional(),
  burst: z.number().int().positive().optional(),
  max_concurrency: z.number().int().positive().optional(),
  max_retries: z.number().int().min(0).max(20).optional(),
});

const commonFields = {
  enabled: z.boolean().default(true),
  /**
   * Operations this deployment may request on the tool (ids or globs such as `jira:issues:*`). Absent: no
   * connector-level restriction; the policy rules still decide every call.
   */
  operations: z.array(operationGlob).optional(),
  rate_limits: rateLimitsSchema.optional(),
};

/** Each tool's own fields. Adding a connector is adding an entry here. */
export const CONNECTOR_FIELDS = {
  wiz: {
    client_id: nonEmpty.optional(),
    client_secret: secret(nonEmpty, 'WIZ_CLIENT_SECRET').optional(),
    // Cognito token URL for commercial tenants; gov tenants use auth.gov.wiz.io
    auth_url: httpUrl.default('https://auth.app.wiz.io/oauth/token'),
    /** Tenant-specific GraphQL endpoint, e.g. https://api.us17.app.wiz.io/graphql */
    api_url: httpUrl.optional(),
  },
  qualys: {
    url: httpUrl.optional(),
    username: nonEmpty.optional(),
    password: secret(nonEmpty, 'QUALYS_PASSWORD').optional(),
  },
  jira: {
    url: httpUrl.optional(),
    email: nonEmpty.optional(),
    api_token: secret(nonEmpty, 'JIRA_API_TOKEN').optional(),
    project_key: matching(
      /^[A-Z][A-Z0-9_]+$/,
      'a Jira project key',
      'upper-case letters and digits, e.g. "SEC"',
    ).optional(),
  },
  slack: {
    bot_token: secret(nonEmpty, 'SLACK_BOT_TOKEN').optional(),
    api_url: httpUrl.default('https://slack.com/api'),
    default_channel: nonEmpty.optional(),
  },
  pagerduty: {
    api_key: secret(nonEmpty, 'PAGERDUTY_API_KEY').optional(),
    routing_key: secret(nonEmpty, 'PagerDuty Events v2 integration key').optional(),
    service_id: nonEmpty.optional(),
    /** Email of a valid PagerDuty user; the REST API requires it on incident creation. */
    from: nonEmpty.optional(),
    api_url: httpUrl.default('https://api.pagerduty.com'),
    events_url: httpUrl.default('https://events.pagerduty.com/v2/enqueue'),
  },
  servicenow: {
    url: httpUrl.optional(),
    username: nonEmpty.optional(),
    password: secret(nonEmpty, 'SERVICENOW_PASSWORD').optional(),
  },
  aws: {
    region: nonEmpty.optional(),
    /** Role Arx assumes for remediation; the ExternalId guards against the confused-deputy problem. */
    role_arn: matching(
      /^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/,
      'an IAM role ARN',
      'arn:aws:iam::<12-digit account>:role/<name>',
    ).optional(),
    external_id: secret(nonEmpty, 'AssumeRole ExternalId').optional(),
    access_key_id: nonEmpty.optional(),
    secret_access_key: secret(nonEmpty, 'AWS_SECRET_ACCESS_KEY').optional(),
    session_token: secret(nonEmpty, 'AWS_SESSION_TOKEN').optional(),
    endpoint_url: httpUrl.optional(),
  },
} as const;

export type ConnectorName = keyof typeof CONNECTOR_FIELDS;
export const CONNECTOR_NAMES = Object.keys(CONNECTOR_FIELDS) as ConnectorName[];

const wiz = z.strictObject({ ...commonFields, ...CONNECTOR_FIELDS.wiz });
const qualys = z.strictObject({ ...commonFields, ...CONNECTOR_FIELDS.qualys });
const jira = z.strictObject({ ...commonFields, ...CONNECTOR_FIELDS.jira });
const slack = z.strictObject({ ...commonFields, ...CONNECTOR_FIELDS.slack });
const pagerduty = z.strictObject({ ...commonFields, ...CONNECTOR_FIELDS.pagerduty });
const servicenow = z.strictObject({ ...commonFields, ...CONNECTOR_FIELDS.servicenow });
const aws = z.strictObject({ ...commonFields, ...CONNECTOR_FIELDS.aws });

export const connectorsSchema = z
  .strictObject({
    wiz: wiz.optional(),
    qualys: qualys.optional(),
    jira: jira.optional(),
    slack: slack.optional(),
    pagerduty: pagerduty.optional(),
    servicenow: servicenow.optional(),
    aws: aws.optional(),
  })
  .prefault({});

export type ConnectorsConfig = z.output<typeof connectorsSchema>;

const defaultsCache = new Map<string, Readonly<Record<string, unknown>>>();

/**
 * The values the schema fills into `connectors.<name>` when arx.yaml leaves them out (public API hosts).
 * Credential resolution treats a value equal to its default as "not set", so the environment can override it.
 */
export function connectorDefaults(name: string): Readonly<Record<string, unknown>> {
  let defaults = defaultsCache.get(name);
  if (!defaults) {
    const parsed = connectorsSchema.safeParse({ [name]: {} });
    defaults = parsed.success ? ((parsed.data as Record<string, Record<string, unknown>>)[name] ?? {}) : {};
    defaultsCache.set(name, defaults);
  }
  return defaults;
}
export type RateLimits = z.output<typeof rateLimitsSchema>;
export type WizConfig = z.output<typeof wiz>;
export type QualysConfig = z.output<typeof qualys>;
export type JiraConfig = z.output<typeof jira>;
export type SlackConfig = z.output<typeof slack>;
export type PagerDutyConfig = z.output<typeof pagerduty>;
export type ServiceNowConfig = z.output<typeof servicenow>;
export type AwsConfig = z.output<typeof aws>;
