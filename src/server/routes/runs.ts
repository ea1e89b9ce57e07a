import { Hono } from 'hono';
import { z } from 'zod';
import type { ServiceApi } from '../service-api.js';

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
    const body = await c.req.json().catch(() => undefined);
    const parsed = runRequest.safeParse(body);
    if (!parsed.success) {
      return c.json(
        {
          code: 'invalid_request',
          message: 'expected a JSON body like {"workflow": "wiz-finding-distribution"}',
          issues: parsed.error.issues.map((issue) => ({
            path: issue.path.join('.'),
            message: issue.message,
          })),
        },
        400,
      );
    }
    const run = await service.requestRun(parsed.data.workflow, parsed.data.requested_by ?? 'api');
    return c.json({ runId: run.id, workflow: run.workflow, status: run.status }, 202);
  });
}
