import { ArxError, ConfigError, type ConfigIssue, isArxError } from '../../core/errors.js';
import { secrets } from '../../core/secrets.js';
import type { ConnectorCredentialCheck } from '../registry.js';
import type { ConnectorRuntime } from './runtime.js';

/**
 * Connector credentials declared as data: where each value comes from (`connectors.<tool>.<config>` in
 * arx.yaml, else the environment variable the workflow READMEs name), whether it is secret, and whether the
 * connector can work without it. The credential broker resolves them at call time; `test()` explains a
 * failure in the user's terms (bad secret, wrong URL, missing scope) rather than as an HTTP status.
 */
export interface CredentialField {
  /** Property of the resolved credentials object (`apiToken`). */
  name: string;
  /** Key under `connectors.<tool>` in arx.yaml (`api_token`). */
  config: string;
  /** Environment variable (`JIRA_API_TOKEN`); absent for a setting only arx.yaml holds (AWS `role_arn`). */
  env?: string;
  description: string;
  secret?: boolean;
  required?: boolean;
  /** Used when neither arx.yaml nor the environment sets the field (public API hosts). */
  default?: string;
  /**
   * Its presence means the user configured this connector (a secret, an account, a role to assume): `arx
   * run` then uses the real tool rather than the sandbox. URLs and regions do not identify a connector.
   */
  identifies?: true;
}

export type ResolvedFields = Record<string, string | undefined>;

/**
 * Reads every field: an explicit arx.yaml value, else the environment, else the default. A config value
 * equal to the field's default counts as unset, because the config schema fills defaults in and an
 * environment override (the sandbox's `SLACK_API_URL`) must still win over it.
 */
export function resolveCredentialFields(
  tool: string,
  fields: readonly CredentialField[],
  config: Record<string, unknown> | undefined,
  env: NodeJS.ProcessEnv = process.env,
): ResolvedFields {
  const out: ResolvedFields = {};
  const issues: ConfigIssue[] = [];
  for (const field of fields) {
    const fromConfig = stringValue(config?.[field.config]);
    const fromEnv = field.env === undefined ? undefined : stringValue(env[field.env]);
    const explicit = fromConfig !== undefined && fromConfig !== field.default ? fromConfig : undefined;
    const value = explicit ?? fromEnv ?? fromConfig ?? field.default;
    if (value === undefined && field.required) {
      issues.push({
        path: `connectors.${tool}.${field.config}`,
        message: `${field.description} is not set`,
        allowed: `set ${field.env ? `${field.env} in the environment or ` : ''}connectors.${tool}.${field.config} in arx.yaml`,
      });
    }
    if (field.secret) secrets.add(value);
    out[field.name] = value;
  }
  if (issues.length > 0) throw new ConfigError(undefined, issues);
  return out;
}

function stringValue(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

/** What a credential check found wrong, in the terms a user can act on. */
export const CREDENTIAL_PROBLEMS = [
  'missing_config',
  'bad_secret',
  'wrong_url',
  'unreachable',
  'missing_scope',
  'rate_limited',
  'tool_error',
  /** The gate refused the check (a policy rule, the kill switch) or holds it for an approver. */
  'denied',
] as const;
export type CredentialProblem = (typeof CREDENTIAL_PROBLEMS)[number];

export interface CredentialCheck {
  connector: string;
  ok: boolean;
  /** One line: what works, or what is wrong and how to fix it. */
  message: string;
  problem?: CredentialProblem;
  /** Who the credential authenticates as (`arx-bot@acme.com`, `Arx Sandbox / arx`), when it works. */
  identity?: string;
  details?: Record<string, unknown>;
}

/** Names the settings a failure points at, so the message says which variable to fix. */
export interface CredentialHints {
  connector: string;
  /** The environment variable of the base URL (`JIRA_URL`). */
  urlVar: string;
  /** The variables of the secret(s) (`JIRA_USER_EMAIL and JIRA_API_TOKEN`). */
  secretVars: string;
  /** What a missing permission usually means for this tool. */
  scopeHint?: string;
}

/** ArxError code → the problem a user sees; the seam's codes are the same for every tool. */
const PROBLEM_BY_CODE: Record<string, CredentialProblem> = {
  unauthorized: 'bad_secret',
  forbidden: 'missing_scope',
  missing_scope: 'missing_scope',
  not_found: 'wrong_url',
  invalid_base_url: 'wrong_url',
  url_outside_base: 'wrong_url',
  network_error: 'unreachable',
  timeout: 'unreachable',
  circuit_open: 'unreachable',
  rate_limited: 'rate_limited',
};

/** Turns the error of a failed `test()` call into a one-line explanation. */
export function explainFailure(err: unknown, hints: CredentialHints): CredentialCheck {
  if (err instanceof ConfigError) {
    return {
      connector: hints.connector,
      ok: false,
      problem: 'missing_config',
      message: err.issues.map((issue) => `${issue.message}: ${issue.allowed ?? issue.path}`).join('; '),
    };
  }
  const arx = isArxError(err) ? err : undefined;
  const htmlPage = arx?.code === 'malformed_response' && arx.retryable === false;
  const problem: CredentialProblem = htmlPage
    ? 'wrong_url'
    : ((arx && PROBLEM_BY_CODE[arx.code]) ?? 'tool_error');
  const why = arx ? arx.message : String(err);
  const fix: Record<CredentialProblem, string> = {
    missing_config: '',
    bad_secret: `the credentials were rejected: check ${hints.secretVars}`,
    wrong_url: `nothing that looks like the API answers there: check ${hints.urlVar}`,
    unreachable: `cannot reach the API: check ${hints.urlVar} and the network`,
    missing_scope: `the credential lacks a permission: ${hints.scopeHint ?? 'grant the scopes Arx needs'}`,
    rate_limited: 'the API is rate limiting this credential: try again shortly',
    tool_error: 'the API failed; try again, and check its status page',
    denied: 'the gate refused the check',
  };
  return {
    connector: hints.connector,
    ok: false,
    problem,
    message: `${fix[problem]} (${why})`,
    ...(arx?.details ? { details: pickSafe(arx.details) } : {}),
  };
}

function pickSafe(details: Record<string, unknown>): Record<string, unknown> {
  const { status, endpoint, networkCode, needed, provided } = details;
  return Object.fromEntries(
    Object.entries({ status, endpoint, networkCode, needed, provided }).filter(([, v]) => v !== undefined),
  );
}

/** A check that failed before any call: a credentials object that cannot be used at all. */
export function invalidCredentials(connector: string, message: string): ArxError {
  return new ArxError('credentials_invalid', `${connector}: ${message}`, { fault: 'caller' });
}

/** What a connector's cheap read found; the check adds the connector's name. */
export type CredentialReadOutcome = Omit<CredentialCheck, 'connector'>;

export interface CredentialCheckSpec<C> {
  fields: readonly CredentialField[];
  /** Names the settings a failure points at; `hints.connector` names the check. */
  hints: CredentialHints;
  /** Resolves (and validates) the credentials from arx.yaml and the environment; throws a ConfigError. */
  resolve(config: Record<string, unknown> | undefined, env: NodeJS.ProcessEnv): C;
  /** Builds the tool's client and makes the cheapest read that proves URL, secret and scope. */
  read(credentials: C, runtime: ConnectorRuntime): Promise<CredentialReadOutcome>;
}

/**
 * `arx connectors test <tool>` for every connector: resolve the credentials, make the tool's cheap read,
 * and explain any failure with the tool's hints. Never throws.
 */
export function credentialCheck<C>(spec: CredentialCheckSpec<C>): ConnectorCredentialCheck {
  return {
    fields: spec.fields,
    async test(config, runtime, env = process.env) {
      try {
        const outcome = await spec.read(spec.resolve(config, env), runtime);
        return { connector: spec.hints.connector, ...outcome };
      } catch (err) {
        return explainFailure(err, spec.hints);
      }
    },
  };
}
