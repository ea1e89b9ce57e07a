import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';

/**
 * Every route but `GET /healthz` needs `Authorization: Bearer <token>`, the token `arx serve` wrote to
 * `<ARX_HOME>/serve.token` when it started; anything else is a 401 `{code: 'unauthorized', message}`. The
 * tokens are compared as SHA-256 digests in constant time, so neither their content nor their length leaks.
 */
export function requireBearer(token: string): MiddlewareHandler {
  const expected = digest(token);
  return async (c, next) => {
    if ((c.req.method === 'GET' || c.req.method === 'HEAD') && c.req.path === '/healthz') return next();
    const presented = /^Bearer +(\S+) *$/i.exec(c.req.header('authorization') ?? '')?.[1];
    if (presented !== undefined && timingSafeEqual(digest(presented), expected)) return next();
    const message =
      presented === undefined
        ? 'send Authorization: Bearer <token>; arx serve writes the token to serve.token in ARX_HOME'
        : 'that bearer token is not the one this arx serve uses (read serve.token in ARX_HOME again)';
    return c.json({ code: 'unauthorized', message }, 401, { 'WWW-Authenticate': 'Bearer' });
  };
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}
