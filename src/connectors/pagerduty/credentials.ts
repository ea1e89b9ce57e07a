import { z } from 'zod';
import { ArxError } from '../../core/errors.js';
import { credentialCheck, resolveCredentialFields } from '../kit/credentials.js';
import { createPagerDutyClient } from './client.js';
import { PAGERDUTY_CREDENTIAL_FIELDS } from './credential-fields.js';

/** The fields are data, declared once in credential-fields.ts (the sessions read them here). */
export { PAGERDUTY_CREDENTIAL_FIELDS };

export const pagerDutyCredentialsSchema = z.object({
  apiKey: z.string().min(1).optional(),
  routingKey: z.string().min(1).optional(),
  serviceId: z.string().min(1).optional(),
  from: z.string().min(1).optional(),
  apiUrl: z.url(),
  eventsUrl: z.url(),
});
export type PagerDutyCredentials = z.infer<typeof pagerDutyCredentialsSchema>;

export function resolvePagerDutyCredentials(
  config?: Record<string, unknown>,
  env: NodeJS.ProcessEnv = process.env,
): PagerDutyCredentials {
  return pagerDutyCredentialsSchema.parse(
    resolveCredentialFields('pagerduty', PAGERDUTY_CREDENTIAL_FIELDS, config, env),
  );
}

type Needed = 'apiKey' | 'routingKey' | 'from' | 'serviceId';
const NEEDED: Record<Needed, string> = {
  apiKey: 'PAGERDUTY_API_KEY (connectors.pagerduty.api_key)',
  routingKey: 'PAGERDUTY_ROUTING_KEY (connectors.pagerduty.routing_key)',
  from: 'PAGERDUTY_FROM (connectors.pagerduty.from), the email of a PagerDuty user',
  serviceId: 'PAGERDUTY_SERVICE_ID (connectors.pagerduty.service_id) or the serviceId param',
};

/** The credential value an operation needs, or an error naming the setting. */
export function need<K extends Needed>(credentials: PagerDutyCredentials, key: K, what: string): string {
  const value = credentials[key];
  if (!value) {
    throw new ArxError('credentials_missing', `pagerduty: ${what} needs ${NEEDED[key]}`, {
      fault: 'caller',
      hint: 'set it in the environment or arx.yaml, then run: arx connectors test pagerduty',
    });
  }
  return value;
}

const HINTS = {
  connector: 'pagerduty',
  urlVar: 'PAGERDUTY_API_URL',
  secretVars: 'PAGERDUTY_API_KEY',
  scopeHint: 'use a full-access REST API key (read-only keys cannot open or resolve incidents)',
};

/**
 * `arx connectors test pagerduty`: with a REST key, reads the default service (or the abilities when no
 * service is set). The routing key cannot be checked without sending an event, so it is only reported.
 */
export const pagerDutyCredentialCheck = credentialCheck({
  fields: PAGERDUTY_CREDENTIAL_FIELDS,
  hints: HINTS,
  resolve: resolvePagerDutyCredentials,
  async read(credentials, runtime) {
    const routing = credentials.routingKey
      ? '; routing key set (not verifiable without sending an event)'
      : '';
    if (!credentials.apiKey) {
      if (credentials.routingKey) {
        return {
          ok: true,
          message: `Events API only${routing}; set PAGERDUTY_API_KEY to open and resolve incidents over REST`,
        };
      }
      return {
        ok: false,
        problem: 'missing_config',
        message: `set ${NEEDED.apiKey} and/or ${NEEDED.routingKey}`,
      };
    }
    const client = createPagerDutyClient(runtime, credentials);
    await client.abilities();
    const writes = credentials.from ? '' : '; set PAGERDUTY_FROM for writes';
    if (!credentials.serviceId) {
      return {
        ok: true,
        message: `REST key works; set PAGERDUTY_SERVICE_ID for a default service${writes}${routing}`,
      };
    }
    try {
      const service = await client.service(credentials.serviceId);
      return {
        ok: true,
        identity: service.name,
        message: `REST key works; service ${credentials.serviceId} (${service.name}) is visible${writes}${routing}`,
      };
    } catch (err) {
      if ((err as { code?: string }).code !== 'not_found') throw err;
      return {
        ok: false,
        problem: 'missing_scope',
        message: `the REST key works, but service ${credentials.serviceId} does not exist or is not visible to it: check PAGERDUTY_SERVICE_ID`,
      };
    }
  },
});
