import { Hono } from 'hono';
import { z } from 'zod';
import type { ConnectorsAccess } from '../../governance/access.js';
import { jsonBody } from '../validate.js';

const testBody = z.strictObject({ as: z.string().trim().min(1, 'name who runs the check, e.g. "alice"') });

/**
 * A connector's credential check, as `arx connectors test` runs it: `<tool>:credentials:test` through the
 * service's gate as `user:<as>` (decided by policy, audited). A refusal is a failed check, not an error.
 *
 *   POST /connectors/:name/test {"as": "alice"} → the check: {connector, ok, message, problem?, identity?, details?}
 *                                                 (404 unknown_connector)
 */
export function connectorRoutes(connectors: ConnectorsAccess): Hono {
  return new Hono().post('/connectors/:name/test', async (c) => {
    const body = await jsonBody(c, testBody, '{"as": "alice"}');
    return c.json(await connectors.test(c.req.param('name'), body.as));
  });
}
