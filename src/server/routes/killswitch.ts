import { Hono } from 'hono';
import { z } from 'zod';
import type { KillSwitchAccess } from '../../governance/access.js';
import { parsePrincipal, principalRef } from '../../governance/principal.js';
import { killSwitchEntryJson } from '../../governance/records-json.js';
import { jsonBody } from '../validate.js';

const as = z.string().trim().min(1, 'name who pulls the switch, e.g. "alice"');
const principal = z.string().trim().min(1, 'kind:id (workflow:wiz-finding-distribution) or a workflow id');
const reason = z.string().optional();
const freezeBody = z.strictObject({ as, reason });
const suspendBody = z.strictObject({ principal, as, reason });
const resumeBody = z.strictObject({ as, principal: principal.optional(), reason });

/**
 * The kill switch, as `arx freeze|suspend|resume|killswitch` work it; every change is audited by the kill
 * switch itself, with actor `user:<as>`. `changed` is false when there was nothing to change.
 *
 *   GET  /killswitch                                              → {entries: [{kind, principal, reason, actor, at}]}
 *   POST /killswitch/freeze  {"as": "alice", "reason"?}           → {frozen: true, changed}
 *   POST /killswitch/suspend {"principal": "agent:triage", "as", "reason"?} → {suspended: "agent:triage", changed}
 *   POST /killswitch/resume  {"as", "principal"?, "reason"?}      → {resumed: "writes" | "<principal>", changed}
 */
export function killSwitchRoutes(killSwitch: KillSwitchAccess): Hono {
  return new Hono()
    .get('/killswitch', async (c) =>
      c.json({ entries: (await killSwitch.status()).map(killSwitchEntryJson) }),
    )
    .post('/killswitch/freeze', async (c) => {
      const body = await jsonBody(c, freezeBody, '{"as": "alice", "reason": "incident 42"}');
      return c.json({ frozen: true, changed: await killSwitch.freeze(body) });
    })
    .post('/killswitch/suspend', async (c) => {
      const body = await jsonBody(c, suspendBody, '{"principal": "agent:triage", "as": "alice"}');
      const target = parsePrincipal(body.principal);
      const changed = await killSwitch.suspend(target, body);
      return c.json({ suspended: principalRef(target), changed });
    })
    .post('/killswitch/resume', async (c) => {
      const body = await jsonBody(c, resumeBody, '{"as": "alice"}');
      const target = body.principal === undefined ? undefined : parsePrincipal(body.principal);
      const changed = await killSwitch.resume(target, body);
      return c.json({ resumed: target ? principalRef(target) : 'writes', changed });
    });
}
