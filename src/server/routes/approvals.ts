import { Hono } from 'hono';
import { z } from 'zod';
import type { ApprovalsAccess } from '../../governance/access.js';
import { approvalJson } from '../../governance/records-json.js';
import { APPROVAL_STATUSES } from '../../store/governance-statuses.js';
import { jsonBody, queryParams } from '../validate.js';

const listQuery = z.strictObject({
  status: z.enum([...Object.values(APPROVAL_STATUSES), 'all']).default('pending'),
});
const who = z.string().trim().min(1, 'name who decides, e.g. "alice"');
const approveBody = z.strictObject({ as: who, comment: z.string().optional() });
const denyBody = z.strictObject({ as: who, reason: z.string().optional() });

/**
 * People deciding on escalated calls, with the rules of `arx approvals` (no self-approval, approvers only,
 * N of M, expiry). Every approval is answered as `arx approvals show --json` prints it.
 *
 *   GET  /approvals?status=pending|approved|denied|expired|all   → {approvals: [...]}  (default pending)
 *   GET  /approvals/:id                                          → the approval (404 approval_not_found)
 *   POST /approvals/:id/approve {"as": "carol", "comment"?: "…"} → the approval after the decision
 *   POST /approvals/:id/deny    {"as": "carol", "reason"?: "…"}  → the approval after the decision
 */
export function approvalRoutes(approvals: ApprovalsAccess): Hono {
  return new Hono()
    .get('/approvals', async (c) => {
      const { status } = queryParams(c, listQuery, '?status=pending');
      const list = await approvals.list(status === 'all' ? undefined : status);
      return c.json({ approvals: list.map(approvalJson) });
    })
    .get('/approvals/:id', async (c) => c.json(approvalJson(await approvals.get(c.req.param('id')))))
    .post('/approvals/:id/approve', async (c) => {
      const body = await jsonBody(c, approveBody, '{"as": "carol", "comment": "checked"}');
      const decided = await approvals.approve(c.req.param('id'), { as: body.as, note: body.comment });
      return c.json(approvalJson(decided));
    })
    .post('/approvals/:id/deny', async (c) => {
      const body = await jsonBody(c, denyBody, '{"as": "carol", "reason": "not in prod"}');
      const decided = await approvals.deny(c.req.param('id'), { as: body.as, note: body.reason });
      return c.json(approvalJson(decided));
    });
}
