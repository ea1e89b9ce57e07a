import type { ClassifyResponse, HttpErrorClass } from '../http/index.js';
import { scrubSnippet } from '../http/index.js';

/**
 * PagerDuty's two error shapes, read once: REST `{"error": {"message", "code", "errors": [...]}}` and
 * Events v2 `{"status", "message", "errors": [...]}` (api-contracts §4). REST error codes say more than the
 * HTTP status: a duplicate `incident_key` is a 400 (2001) that means "already exists", not a bad request.
 */
const BY_CODE: Record<number, Partial<HttpErrorClass>> = {
  2006: {
    code: 'unauthorized',
    fault: 'caller',
    retryable: false,
    hint: 'check PAGERDUTY_API_KEY (a REST API key, sent as "Token token=…")',
  },
  2010: {
    code: 'forbidden',
    fault: 'caller',
    retryable: false,
    hint: 'the API key lacks access (read-only key?)',
  },
  2100: { code: 'not_found', fault: 'caller', retryable: false },
  5002: { code: 'service_not_found', fault: 'caller', retryable: false, hint: 'check PAGERDUTY_SERVICE_ID' },
  1001: { code: 'already_resolved', fault: 'caller', retryable: false },
  1002: { code: 'already_acknowledged', fault: 'caller', retryable: false },
  2020: { code: 'rate_limited', fault: 'tool', retryable: true },
};

/** "Open incident with key 'k' already exists" (the exact wording is [unconfirmed]; matched loosely). */
export const DUPLICATE_KEY = /incident with key .* already exists/i;

export const classifyPagerDutyResponse: ClassifyResponse = ({ text }) => {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof body !== 'object' || body === null) return undefined;
  const rest = (body as { error?: { message?: unknown; code?: unknown; errors?: unknown } }).error;
  if (rest && typeof rest === 'object') {
    const errors = Array.isArray(rest.errors) ? rest.errors.map(String) : [];
    const said = [String(rest.message ?? 'error'), ...errors].join(': ');
    if (errors.some((e) => DUPLICATE_KEY.test(e))) {
      return {
        code: 'already_exists',
        fault: 'caller',
        retryable: false,
        message: `PagerDuty said: ${scrubSnippet(said)}`,
      };
    }
    return { ...BY_CODE[Number(rest.code)], message: `PagerDuty said: ${scrubSnippet(said)}` };
  }
  const event = body as { status?: unknown; message?: unknown; errors?: unknown };
  if (typeof event.status === 'string') {
    const errors = Array.isArray(event.errors) ? event.errors.map(String) : [];
    const routing = errors.some((e) => /routing.?key/i.test(e));
    return {
      ...(routing
        ? { hint: 'check PAGERDUTY_ROUTING_KEY (the 32-character Events API v2 integration key)' }
        : {}),
      message: `PagerDuty Events said: ${scrubSnippet([event.status, event.message, ...errors].filter(Boolean).join(': '))}`,
    };
  }
  return undefined;
};
