import { ArxError } from '../../core/errors.js';
import { type HttpErrorClass, scrubSnippet } from '../http/errors.js';
import type { ClassifyResponse } from '../http/http-client.js';

/**
 * Wiz's error bodies, translated once (api-contracts §1.7): GraphQL `errors[].extensions.code`, at HTTP 200
 * or 4xx/5xx, and the OAuth endpoint's `{error, error_description}`.
 */
export interface WizGraphQLError {
  message?: string;
  path?: unknown[];
  extensions?: { code?: string };
}

const SCOPE_HINT =
  'the Wiz service account lacks a scope this call needs (e.g. read:issues, read:vulnerabilities, ' +
  'read:cloud_configuration, write:issues): add it under Settings → Service Accounts';

/** GraphQL `extensions.code` → how Arx treats it. */
const GRAPHQL_CODES: Record<string, HttpErrorClass> = {
  UNAUTHENTICATED: {
    code: 'unauthorized',
    fault: 'caller',
    retryable: false,
    hint: 'check WIZ_CLIENT_ID / WIZ_CLIENT_SECRET and that the token URL matches your tenant',
  },
  FORBIDDEN: { code: 'missing_scope', fault: 'caller', retryable: false, hint: SCOPE_HINT },
  UNAUTHORIZED: { code: 'missing_scope', fault: 'caller', retryable: false, hint: SCOPE_HINT },
  RATE_LIMIT_EXCEEDED: { code: 'rate_limited', fault: 'tool', retryable: true },
  BAD_USER_INPUT: { code: 'invalid_request', fault: 'caller', retryable: false },
  GRAPHQL_VALIDATION_FAILED: { code: 'invalid_request', fault: 'caller', retryable: false },
  VALIDATION_INVALID_TYPE_VARIABLE: { code: 'invalid_request', fault: 'caller', retryable: false },
  NOT_FOUND: { code: 'not_found', fault: 'caller', retryable: false },
  INTERNAL_SERVER_ERROR: { code: 'tool_unavailable', fault: 'tool', retryable: true },
};

/** Codes named only by a prefix (Wiz sends several `VALIDATION_*`). */
function classOf(code: string | undefined): HttpErrorClass | undefined {
  if (!code) return undefined;
  return GRAPHQL_CODES[code] ?? (code.startsWith('VALIDATION_') ? GRAPHQL_CODES.BAD_USER_INPUT : undefined);
}

function parse(text: string): Record<string, unknown> | undefined {
  try {
    const body = JSON.parse(text) as unknown;
    return body && typeof body === 'object' ? (body as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The HTTP client's `classify` hook: reads a failed response's body before the generic status table. */
export const classifyWizResponse: ClassifyResponse = ({ status, text }) => {
  const body = parse(text);
  if (!body) return undefined;
  if (typeof body.error === 'string') {
    // OAuth token endpoint: 401 access_denied is a wrong secret, 400 a malformed request (audience, grant).
    const description = typeof body.error_description === 'string' ? body.error_description : body.error;
    const message = `token request refused (${body.error}): ${scrubSnippet(description, 160)}`;
    return status === 401 || body.error === 'access_denied' || body.error === 'invalid_client'
      ? {
          code: 'unauthorized',
          fault: 'caller',
          retryable: false,
          message,
          hint: 'check WIZ_CLIENT_ID and WIZ_CLIENT_SECRET (a service account of this tenant)',
        }
      : { message };
  }
  const first = Array.isArray(body.errors) ? (body.errors[0] as WizGraphQLError | undefined) : undefined;
  if (!first) return undefined;
  const cls = classOf(first.extensions?.code);
  const message = `${first.extensions?.code ?? 'GraphQL error'}: ${scrubSnippet(first.message ?? '', 200)}`;
  // a 5xx stays retryable whatever code it carries; a 429 stays rate_limited
  if (status >= 500 || status === 429) return { message };
  return cls ? { ...cls, message } : { message };
};

/** GraphQL errors in a 200 response: one ArxError naming the first error, its code and its path. */
export function graphqlError(operation: string, errors: readonly WizGraphQLError[]): ArxError {
  const first = errors[0] ?? {};
  const code = first.extensions?.code;
  const cls = classOf(code) ?? { code: 'tool_error', fault: 'tool' as const, retryable: false };
  const where = Array.isArray(first.path) && first.path.length > 0 ? ` at ${first.path.join('.')}` : '';
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
  return new ArxError(
    cls.code,
    `wiz ${operation}: ${code ?? 'GraphQL error'}${where}: ${scrubSnippet(first.message ?? 'no message', 200)}${more}`,
    {
      fault: cls.fault,
      retryable: cls.retryable,
      hint: cls.hint,
      details: { tool: 'wiz', operation, graphqlCode: code, graphql: true },
    },
  );
}

/** A 200 response without the field the query asked for. */
export function missingField(operation: string, field: string, body: unknown): ArxError {
  return new ArxError(
    'malformed_response',
    `wiz ${operation}: the response has no data.${field}: ${scrubSnippet(JSON.stringify(body) ?? '', 120)}`,
    { fault: 'tool', retryable: false, details: { tool: 'wiz', operation } },
  );
}
