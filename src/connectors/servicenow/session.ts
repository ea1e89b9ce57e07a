import { clientCache } from '../kit/client-cache.js';
import { credentialsFrom, type HandlerContext, withSignal } from '../kit/handler.js';
import type { ConnectorRuntime } from '../kit/runtime.js';
import { createServiceNowHttp, ServiceNowClient } from './client.js';
import {
  SERVICENOW_CREDENTIAL_FIELDS,
  type ServiceNowCredentials,
  serviceNowCredentialsSchema,
} from './credentials.js';

/** A handler's ServiceNow client for one call: the seam client of its credentials, bound to its signal. */
export function serviceNowSessions(runtime: ConnectorRuntime): (ctx: HandlerContext) => ServiceNowClient {
  const clients = clientCache((credentials: ServiceNowCredentials) =>
    createServiceNowHttp(runtime, credentials),
  );
  return (ctx) => {
    const credentials = credentialsFrom(
      'servicenow',
      SERVICENOW_CREDENTIAL_FIELDS,
      serviceNowCredentialsSchema,
      ctx.credentials as Record<string, unknown>,
    );
    return new ServiceNowClient(withSignal(clients(credentials), ctx.signal), credentials.url);
  };
}
