import type { Context } from 'hono';

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Reads the request body once, before the emulator sees it, so `rateKey` (Slack: per channel) and
 * `operationOf` (Wiz: the GraphQL field) can look inside. Hono caches the text, so handlers can still call
 * `c.req.json()` / `c.req.parseBody()`. A body that does not parse is `undefined`; the emulator answers it.
 */
export async function readBody(c: Context): Promise<unknown> {
  if (!BODY_METHODS.has(c.req.method)) return undefined;
  const text = await c.req.text().catch(() => '');
  if (!text) return undefined;
  const type = c.req.header('content-type') ?? '';
  if (type.includes('application/x-www-form-urlencoded')) {
    return Object.fromEntries(new URLSearchParams(text));
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
