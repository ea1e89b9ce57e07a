import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { isArxError } from '../core/errors.js';
import { secrets } from '../core/secrets.js';
import { logger } from '../log/logger.js';

/**
 * The one error handler: an ArxError becomes its status and `{ code, message, hint }` (a caller's mistake is
 * a 4xx, anything else 5xx); an unknown error is logged and answered with a bare 500, never a stack.
 */
export function errorResponse(err: Error, c: Context): Response {
  if (err instanceof HTTPException) return err.getResponse();
  if (isArxError(err)) {
    const status: ContentfulStatusCode =
      err.fault === 'caller' ? (STATUS_BY_CODE[err.code] ?? 400) : err.retryable ? 503 : 500;
    return c.json(
      secrets.scrubValue({ code: err.code, message: err.message, ...(err.hint ? { hint: err.hint } : {}) }),
      status,
    );
  }
  logger().error({ err: secrets.scrub(err.message) }, 'request failed');
  return c.json({ code: 'internal', message: 'internal error' }, 500);
}

const STATUS_BY_CODE: Record<string, ContentfulStatusCode> = {
  workflow_not_registered: 404,
  run_not_found: 404,
  approval_not_found: 404,
  unknown_connector: 404,
  self_approval: 403,
  not_an_approver: 403,
  approval_closed: 409,
  approval_already_decided: 409,
  config_invalid: 422,
};
