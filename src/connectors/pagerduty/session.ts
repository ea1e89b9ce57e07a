import { clientCache } from '../kit/client-cache.js';
import { credentialsFrom, type HandlerContext, withSignal } from '../kit/handler.js';
import type { ConnectorRuntime } from '../kit/runtime.js';
import { createPagerDutyHttp, PagerDutyClient } from './client.js';
import {
  PAGERDUTY_CREDENTIAL_FIELDS,
  type PagerDutyCredentials,
  pagerDutyCredentialsSchema,
} from './credentials.js';

export interface PagerDutySession {
  credentials: PagerDutyCredentials;
  client: PagerDutyClient;
}

/** A handler's PagerDuty client for one call: the seam clients of its credentials, bound to its signal. */
export function pagerDutySessions(runtime: ConnectorRuntime): (ctx: HandlerContext) => PagerDutySession {
  const clients = clientCache((credentials: PagerDutyCredentials) =>
    createPagerDutyHttp(runtime, credentials),
  );
  return (ctx) => {
    const credentials = credentialsFrom(
      'pagerduty',
      PAGERDUTY_CREDENTIAL_FIELDS,
      pagerDutyCredentialsSchema,
      ctx.credentials as Record<string, unknown>,
    );
    const { rest, events } = clients(credentials);
    return {
      credentials,
      client: new PagerDutyClient(withSignal(rest, ctx.signal), withSignal(events, ctx.signal), credentials),
    };
  };
}
