import { Hono } from 'hono';
import { errorResponse } from './on-error.js';
import { healthRoutes } from './routes/health.js';
import { runRoutes } from './routes/runs.js';
import type { ServiceApi } from './service-api.js';

/**
 * The HTTP face of `arx serve`: health for load balancers and operators, and manual run requests (which
 * become queue jobs like scheduled fires). Routes are one file per area; errors go through one handler.
 *
 * @example
 * const app = createApp(service);
 * const res = await app.request('/healthz');
 */
export function createApp(service: ServiceApi): Hono {
  const app = new Hono();
  app.route('/', healthRoutes(service));
  app.route('/', runRoutes(service));
  app.notFound((c) => c.json({ code: 'not_found', message: `no route ${c.req.method} ${c.req.path}` }, 404));
  app.onError(errorResponse);
  return app;
}
