import { Hono } from 'hono';
import { z } from 'zod';
import type { ServiceApi } from '../service-api.js';
import { jsonBody } from '../validate.js';

const runRequest = z.strictObject({
  workflow: z.string().min(1, 'name the registered workflow to run'),
  requested_by: z.string().min(1).optional(),
});

/**
 * `POST /runs {"workflow": "wiz-finding-distribution"}`: a manual run of a registered workflow, queued like
 * a scheduled fire; answers 202 with the run id (follow it with `arx runs show <id>`).
 */
export function runRoutes(service: Pick<ServiceApi, 'requestRun'>): Hono {
  return new Hono().post('/runs', async (c) => {
    const body = await jsonBody(c, runRequest, '{"workflow": "wiz-finding-distribution"}');
    const run = await service.requestRun(body.workflow, body.requested_by ?? 'api');
    return c.json({ runId: run.id, workflow: run.workflow, status: run.status }, 202);
  });
}
