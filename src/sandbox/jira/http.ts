import type { Context } from 'hono';

/** Jira's wire conventions shared by every route: error bodies, JSON request bodies, the site URL. */

export function jiraError(
  c: Context,
  status: 400 | 403 | 404 | 405 | 409 | 410 | 413,
  errorMessages: string[],
  errors: Record<string, string> = {},
  reason?: string,
): Response {
  if (reason) c.header('X-Sandbox-Reason', reason);
  return c.json({ errorMessages, errors }, status);
}

export const ISSUE_NOT_FOUND = 'Issue does not exist or you do not have permission to see it.';

/** The site's base URL as the caller reached it, so `self` links work on any port. */
export function siteUrl(c: Context): string {
  return new URL(c.req.url).origin;
}

const FORM_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'];

/**
 * Reads a JSON body the way Jira does: form-like content types trip Jira's XSRF check (403), other
 * non-JSON types are 415, and JSON that does not parse is a 400 with the parser's complaint.
 */
export async function readJson(
  c: Context,
): Promise<{ body: Record<string, unknown> } | { response: Response }> {
  const type = (c.req.header('content-type') ?? '').toLowerCase();
  if (FORM_TYPES.some((t) => type.startsWith(t))) {
    return { response: c.text('XSRF check failed', 403) };
  }
  if (!type.startsWith('application/json')) {
    return { response: c.body(null, 415) };
  }
  const text = await c.req.text();
  if (text.trim() === '') {
    return { response: jiraError(c, 400, ['No content to map due to end-of-input']) };
  }
  try {
    const body = JSON.parse(text) as unknown;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      return { response: jiraError(c, 400, ['Request body must be a JSON object.']) };
    }
    return { body: body as Record<string, unknown> };
  } catch (err) {
    return {
      response: jiraError(c, 400, [`Unexpected character in JSON request body: ${(err as Error).message}`]),
    };
  }
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
