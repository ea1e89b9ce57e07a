import { clientCache } from '../kit/client-cache.js';
import { credentialsFrom, type HandlerContext, withSignal } from '../kit/handler.js';
import type { ConnectorRuntime } from '../kit/runtime.js';
import { createSlackHttp, SlackClient } from './client.js';
import { SLACK_CREDENTIAL_FIELDS, type SlackCredentials, slackCredentialsSchema } from './credentials.js';

/** A handler's Slack client for one call: the shared seam client of its credentials, bound to its signal. */
export function slackSessions(runtime: ConnectorRuntime): (ctx: HandlerContext) => SlackClient {
  const clients = clientCache((credentials: SlackCredentials) => createSlackHttp(runtime, credentials));
  return (ctx) => {
    const credentials = credentialsFrom(
      'slack',
      SLACK_CREDENTIAL_FIELDS,
      slackCredentialsSchema,
      ctx.credentials as Record<string, unknown>,
    );
    return new SlackClient(withSignal(clients(credentials), ctx.signal), credentials, ctx.log);
  };
}
