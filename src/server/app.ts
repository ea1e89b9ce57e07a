import { Hono } from 'hono';
import { requireBearer } from './auth.js';
import { errorResponse } from './on-error.js';
import { approvalRoutes } from './routes/approvals.js';
import { connectorRoutes } from './routes/connectors.js';
import { healthRoutes } from './routes/health.js';
import { killSwitchRoutes } from './routes/killswitch.js';
import { runRoutes } from './routes/runs.js';
import type { ServiceApi } from './service-api.js';

/**
 * The HTTP face of `arx serve`: health for load balancers and operators (open), and behind the bearer
 * `token`: manual run requests (which become queue jobs like scheduled fires), approvals, the kill
 * switch and connector credential checks. Routes are one file per area; errors go through one handler.
 *
 * @example
 * const app = createApp(serviceApi(service, gateAccess(gate)), { token });
 * const res = await app.request('/killswitch', { headers: { authorization: `Bearer ${token}` } });
 */
export function createApp(service: ServiceApi, options: { token: string }): Hono {
  const app = new Hono();
  app.use('*', requireBearer(options.token));
  app.route('/', healthRoutes(service));
  app.route('/', runRoutes(service));
  app.route('/', approvalRoutes(service.governance.approvals));
  app.route('/', killSwitchRoutes(service.governance.killSwitch));
  app.route('/', connectorRoutes(service.governance.connectors));
  app.notFound((c) => c.json({ code: 'not_found', message: `no route ${c.req.method} ${c.req.path}` }, 404));
  app.onError(errorResponse);
  return app;
}
