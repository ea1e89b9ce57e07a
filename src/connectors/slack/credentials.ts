import { z } from 'zod';
import { credentialCheck, resolveCredentialFields } from '../kit/credentials.js';
import { createSlackClient } from './client.js';
import { SLACK_CREDENTIAL_FIELDS } from './credential-fields.js';

/** The fields are data, declared once in credential-fields.ts (the sessions read them here). */
export { SLACK_CREDENTIAL_FIELDS };

export const slackCredentialsSchema = z.object({
  botToken: z.string().min(1),
  apiUrl: z.url(),
});
export type SlackCredentials = z.infer<typeof slackCredentialsSchema>;

export function resolveSlackCredentials(
  config?: Record<string, unknown>,
  env: NodeJS.ProcessEnv = process.env,
): SlackCredentials {
  return slackCredentialsSchema.parse(resolveCredentialFields('slack', SLACK_CREDENTIAL_FIELDS, config, env));
}

/** What Arx does in Slack: post and edit digests, and read history to reconcile a post after a crash. */
export const SLACK_REQUIRED_SCOPES = ['chat:write', 'channels:history', 'channels:read'] as const;

const HINTS = {
  connector: 'slack',
  urlVar: 'SLACK_API_URL',
  secretVars: 'SLACK_BOT_TOKEN',
  scopeHint: `the bot token needs ${SLACK_REQUIRED_SCOPES.join(', ')}`,
};

/** `arx connectors test slack`: `auth.test` (token and URL), then the token's scopes against what Arx needs. */
export const slackCredentialCheck = credentialCheck({
  fields: SLACK_CREDENTIAL_FIELDS,
  hints: HINTS,
  resolve: resolveSlackCredentials,
  async read(credentials, runtime) {
    const me = await createSlackClient(runtime, credentials).authTest();
    const identity = `${me.team ?? me.teamId ?? '?'} / ${me.user ?? me.userId ?? '?'}`;
    const missing = me.scopes ? SLACK_REQUIRED_SCOPES.filter((s) => !me.scopes!.includes(s)) : [];
    if (missing.length > 0) {
      return {
        ok: false,
        problem: 'missing_scope',
        identity,
        message: `authenticated as ${identity}, but the token lacks ${missing.join(', ')}: add them to the Slack app and reinstall it`,
        details: { needed: missing.join(','), provided: me.scopes?.join(',') },
      };
    }
    return { ok: true, identity, message: `authenticated as ${identity}` };
  },
});
