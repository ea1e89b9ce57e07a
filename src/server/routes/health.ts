import { Hono } from 'hono';
import type { ServiceApi } from '../service-api.js';

/**
 * `GET /healthz`: 200 when the store answers, the queue runs and (on serve) the scheduler runs; 503
 * otherwise. The body says which part is down and when each schedule last fired.
 */
export function healthRoutes(service: Pick<ServiceApi, 'health'>): Hono {
  return new Hono().get('/healthz', async (c) => {
    const health = await service.health();
    return c.json(health, health.ok ? 200 : 503);
  });
}
