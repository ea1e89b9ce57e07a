import { ArxError } from '../../core/errors.js';
import { clientCache } from '../kit/client-cache.js';
import { credentialsFrom, type HandlerContext, withSignal } from '../kit/handler.js';
import type { ConnectorRuntime } from '../kit/runtime.js';
import { createJiraHttp, JiraClient } from './client.js';
import { JIRA_CREDENTIAL_FIELDS, type JiraCredentials, jiraCredentialsSchema } from './credentials.js';

/**
 * A handler's view of Jira for one call: the broker's credentials read into typed ones, and a client bound
 * to the call's abort signal over the seam client shared by every call with those credentials.
 */
export interface JiraSession {
  credentials: JiraCredentials;
  client: JiraClient;
}

export function jiraSessions(runtime: ConnectorRuntime): (ctx: HandlerContext) => JiraSession {
  const clients = clientCache((credentials: JiraCredentials) => createJiraHttp(runtime, credentials));
  return (ctx) => {
    const credentials = credentialsFrom(
      'jira',
      JIRA_CREDENTIAL_FIELDS,
      jiraCredentialsSchema,
      ctx.credentials as Record<string, unknown>,
    );
    return {
      credentials,
      client: new JiraClient(withSignal(clients(credentials), ctx.signal), credentials.url),
    };
  };
}

/** The params' project, else the connector's JIRA_PROJECT_KEY. */
export function projectOf(params: { project?: string | undefined }, session: JiraSession): string {
  const project = params.project ?? session.credentials.projectKey;
  if (!project) {
    throw new ArxError('project_missing', 'no Jira project: pass `project` or set JIRA_PROJECT_KEY', {
      fault: 'caller',
      hint: 'set JIRA_PROJECT_KEY (or connectors.jira.project_key in arx.yaml)',
    });
  }
  return project;
}
