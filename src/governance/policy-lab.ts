import { z } from 'zod';
import { UsageError } from '../core/errors.js';
import type { AuditEntry } from '../store/audit-repo.js';
import type { OperationCatalog } from './catalog.js';
import { type Decision, type DecisionSettings, decide } from './decide.js';
import { BUILTIN_RULES } from './policy.js';
import { PRINCIPAL_KINDS, type Principal, parsePrincipal, principalRef } from './principal.js';
import type { ResourceContext } from './risk.js';

/**
 * Trying a policy before it governs anything: `arx policy test` decides a list of hypothetical calls, and
 * `arx policy simulate` decides the calls recorded in the audit trail again under a proposed policy and
 * lists what would change. Both use the gate's own `decide`, so what they say is what the gate would do
 * (the kill switch aside: it is state, not policy).
 */

const principalSchema = z.union([
  z.string().min(1),
  z.object({ id: z.string().min(1), kind: z.enum(PRINCIPAL_KINDS) }),
]);

/** One line of an ops file. */
export const policyTestOpSchema = z.object({
  operation: z.string().min(1),
  /** `workflow:wiz-distribution`, `agent:triage`, a bare workflow id, or `{ "id", "kind" }`. */
  principal: principalSchema,
  params: z.record(z.string(), z.unknown()).optional(),
  resource: z
    .looseObject({ environment: z.string().optional(), tags: z.record(z.string(), z.string()).optional() })
    .optional(),
  /** When the call happens (time windows); default: now. */
  at: z.iso.datetime({ offset: true }).optional(),
  /** Calls this principal made recently (session frequency), default 0. */
  recent_calls: z.number().int().min(0).optional(),
  calls_last_hour: z.number().int().min(0).optional(),
});
export type PolicyTestOp = z.infer<typeof policyTestOpSchema>;

export interface PolicyTestResult {
  operation: string;
  verdict: Decision['verdict'];
  rule: string;
  score: number;
  reasons: string[];
}

/** Reads an ops file (JSON Lines; blank lines and `#` comments skipped); errors name the line. */
export function parseOpsJsonl(text: string, file: string): PolicyTestOp[] {
  const ops: PolicyTestOp[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    const trimmed = line.trim();
    if (!trimmed || trimmed.startsWith('#')) return;
    const where = `${file}:${index + 1}`;
    let value: unknown;
    try {
      value = JSON.parse(trimmed);
    } catch (err) {
      throw new UsageError(`${where}: not JSON (${(err as Error).message})`, {
        hint: 'one object per line: {"operation": "jira:issues:create", "principal": "workflow:x", "params": {}, "resource": {"environment": "prod"}}',
      });
    }
    const parsed = policyTestOpSchema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new UsageError(`${where}: ${issue.path.join('.') || '(line)'}: ${issue.message}`);
    }
    ops.push(parsed.data);
  });
  return ops;
}

/**
 * Decides each op as the gate would, in input order.
 * @example testPolicy({ governance }, builtinCatalog(), [{ operation: 'jira:issues:create', principal: 'x' }], now)
 */
export function testPolicy(
  settings: DecisionSettings,
  catalog: OperationCatalog,
  ops: readonly PolicyTestOp[],
  now: Date,
): PolicyTestResult[] {
  return ops.map((op) => {
    const operation = catalog.get(op.operation);
    const principal: Principal =
      typeof op.principal === 'string' ? parsePrincipal(op.principal) : op.principal;
    if (operation && op.params) {
      const parsed = operation.params.safeParse(op.params);
      if (!parsed.success) {
        return {
          operation: op.operation,
          verdict: 'deny',
          rule: BUILTIN_RULES.invalidParams,
          score: 0,
          reasons: parsed.error.issues.map((i) => `params.${i.path.join('.') || '(root)'}: ${i.message}`),
        };
      }
    }
    const decision = decide(settings, {
      operationId: op.operation,
      operation,
      principal,
      resource: op.resource as ResourceContext | undefined,
      now: op.at ? new Date(op.at) : now,
      recentCalls: op.recent_calls ?? 0,
      callsLastHour: op.calls_last_hour,
      suggestion: operation ? undefined : catalog.suggest(op.operation),
    });
    return {
      operation: op.operation,
      verdict: decision.verdict,
      rule: decision.rule,
      score: decision.score,
      reasons: decision.reasons,
    };
  });
}

export interface SimulatedCall {
  seq: number;
  at: string;
  operation: string;
  principal: string;
  before: { verdict: string; rule: string; score: number | null };
  after: PolicyTestResult;
}

export interface SimulationReport {
  /** Intents decided again. */
  replayed: number;
  /** Intents not replayed: kill-switch and invalid-params decisions, reconciles (not policy's to decide). */
  skipped: number;
  changed: SimulatedCall[];
  /** `allow→escalate: 3`, … */
  transitions: Record<string, number>;
}

const NOT_POLICY = new Set<string>([BUILTIN_RULES.killSwitch, BUILTIN_RULES.invalidParams]);

/** Decides recorded intents again under `settings`; lists the calls whose verdict or deciding rule changes. */
export function simulatePolicy(
  settings: DecisionSettings,
  catalog: OperationCatalog,
  intents: readonly AuditEntry[],
): SimulationReport {
  const report: SimulationReport = { replayed: 0, skipped: 0, changed: [], transitions: {} };
  for (const entry of intents) {
    const payload = entry.payload;
    const principal = principalSchema.safeParse(payload.principal);
    if (
      entry.kind !== 'intent' ||
      payload.reconcile ||
      NOT_POLICY.has(String(payload.rule)) ||
      !principal.success
    ) {
      report.skipped++;
      continue;
    }
    report.replayed++;
    const who = typeof principal.data === 'string' ? parsePrincipal(principal.data) : principal.data;
    const [after] = testPolicy(
      settings,
      catalog,
      [
        {
          operation: entry.action,
          principal: who,
          resource: payload.resource as PolicyTestOp['resource'],
          at: entry.at,
          recent_calls: numberOr(payload.recent_calls),
          calls_last_hour: numberOr(payload.calls_last_hour),
        },
      ],
      new Date(entry.at),
    );
    const before = { verdict: entry.verdict ?? '?', rule: String(payload.rule ?? '?'), score: entry.risk };
    if (after!.verdict === before.verdict && after!.rule === before.rule) continue;
    report.changed.push({
      seq: entry.seq,
      at: entry.at,
      operation: entry.action,
      principal: principalRef(who),
      before,
      after: after!,
    });
    const transition = `${before.verdict}→${after!.verdict}`;
    report.transitions[transition] = (report.transitions[transition] ?? 0) + 1;
  }
  return report;
}

function numberOr(value: unknown): number | undefined {
  return typeof value === 'number' ? value : undefined;
}
