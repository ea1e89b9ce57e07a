import { ErrorCode } from '@slack/web-api';
import { ArxError, type Fault, isArxError } from '../../core/errors.js';
import { scrubSnippet } from '../http/index.js';

/**
 * Slack answers method errors with HTTP 200 and `{ok: false, error}` (api-contracts §3.2); the official
 * client raises them as platform errors, and wraps what our fetch (the seam) threw as request errors.
 * Both are translated here, once: the seam's ArxError comes back as it was, Slack's error strings by table.
 */
interface SlackErrorClass {
  code: string;
  fault: Fault;
  retryable: boolean;
  hint?: string;
}

const AUTH: SlackErrorClass = {
  code: 'unauthorized',
  fault: 'caller',
  retryable: false,
  hint: 'check SLACK_BOT_TOKEN (a bot token, xoxb-…, of an installed app)',
};
const BAD_REQUEST: SlackErrorClass = { code: 'invalid_request', fault: 'caller', retryable: false };
const TOOL_DOWN: SlackErrorClass = { code: 'tool_unavailable', fault: 'tool', retryable: true };

export const SLACK_ERRORS: Record<string, SlackErrorClass> = {
  not_authed: AUTH,
  invalid_auth: AUTH,
  account_inactive: AUTH,
  token_revoked: AUTH,
  token_expired: AUTH,
  missing_scope: {
    code: 'missing_scope',
    fault: 'caller',
    retryable: false,
    hint: 'add the scope to the Slack app (OAuth & Permissions) and reinstall it',
  },
  channel_not_found: {
    code: 'channel_not_found',
    fault: 'caller',
    retryable: false,
    hint: 'check the channel id or name; the bot must be invited to private channels',
  },
  not_in_channel: {
    code: 'not_in_channel',
    fault: 'caller',
    retryable: false,
    hint: 'invite the bot to the channel (/invite @<bot>) or grant chat:write.public',
  },
  is_archived: {
    code: 'channel_archived',
    fault: 'caller',
    retryable: false,
    hint: 'the channel is archived',
  },
  message_not_found: { code: 'message_not_found', fault: 'caller', retryable: false },
  cant_update_message: {
    code: 'cant_update_message',
    fault: 'caller',
    retryable: false,
    hint: 'a bot can only edit messages it posted itself',
  },
  msg_too_long: BAD_REQUEST,
  no_text: BAD_REQUEST,
  invalid_blocks: BAD_REQUEST,
  invalid_blocks_format: BAD_REQUEST,
  invalid_metadata_format: BAD_REQUEST,
  invalid_metadata_schema: BAD_REQUEST,
  invalid_cursor: BAD_REQUEST,
  too_many_attachments: BAD_REQUEST,
  ratelimited: { code: 'rate_limited', fault: 'tool', retryable: true },
  rate_limited: { code: 'rate_limited', fault: 'tool', retryable: true },
  internal_error: TOOL_DOWN,
  fatal_error: TOOL_DOWN,
  service_unavailable: TOOL_DOWN,
  request_timeout: TOOL_DOWN,
};

/** The error of a Slack call, as an ArxError (the seam's own errors pass through unchanged). */
export function slackError(err: unknown, method: string): ArxError {
  if (isArxError(err)) return err;
  const coded = err as { code?: string; original?: unknown; data?: Record<string, unknown> };
  if (coded.code === ErrorCode.RequestError && isArxError(coded.original)) return coded.original;
  if (coded.code === ErrorCode.PlatformError && coded.data) {
    const error = String(coded.data.error ?? 'unknown_error');
    const cls = SLACK_ERRORS[error] ?? { code: 'slack_error', fault: 'caller', retryable: false };
    const needed = typeof coded.data.needed === 'string' ? coded.data.needed : undefined;
    const messages = (coded.data.response_metadata as { messages?: unknown } | undefined)?.messages;
    const detail = [
      needed ? `needs ${needed}` : undefined,
      Array.isArray(messages) ? scrubSnippet(messages.join('; '), 300) : undefined,
    ].filter(Boolean);
    return new ArxError(
      cls.code,
      `slack ${method}: ${error}${detail.length ? ` (${detail.join('; ')})` : ''}`,
      {
        fault: cls.fault,
        retryable: cls.retryable,
        ...(cls.hint || needed ? { hint: needed ? `the token needs scope ${needed}` : cls.hint } : {}),
        details: {
          tool: 'slack',
          endpoint: method,
          slackError: error,
          ...(needed ? { needed, provided: coded.data.provided } : {}),
        },
      },
    );
  }
  const message = err instanceof Error ? err.message : String(err);
  return new ArxError('slack_client_error', `slack ${method}: ${scrubSnippet(message)}`, {
    fault: 'arx',
    cause: err,
  });
}
