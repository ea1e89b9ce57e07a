import type { GovernanceConfig, PolicyRule, RuleMatch, Verdict } from '../config/governance.js';
import type { Operation } from './catalog.js';
import { matchesAnyGlob } from './glob.js';
import { type Principal, principalRef } from './principal.js';
import type { ResourceContext, RiskScore } from './risk.js';
import { describeTimeWindow, inTimeWindow } from './time-window.js';

/**
 * The policy verdict. Evaluation order (each step is tested on its own):
 *   1. an unknown operation is denied;
 *   2. the matching rules with the highest priority decide; among them the strictest verdict wins
 *      (deny > escalate > allow), and among equals the first in the file;
 *   3. a deciding allow rule allows only below its `max_risk` (default `risk_threshold`); at or above it the
 *      call escalates;
 *   4. no rule matches: deny at or above `deny_threshold`, escalate at or above `risk_threshold`, else allow;
 *   5. anything that goes wrong while evaluating denies (fail closed).
 * Every verdict names the rule that decided (a configured rule or one of BUILTIN_RULES) and why.
 */

/** Names of the decisions no configured rule made; they appear in audit records as the deciding rule. */
export const BUILTIN_RULES = Object.freeze({
  unknownOperation: '(unknown-operation)',
  thresholds: '(thresholds)',
  evaluationError: '(evaluation-error)',
  invalidParams: '(invalid-params)',
  killSwitch: '(kill-switch)',
  drift: '(drift)',
  connectorScope: '(connector-scope)',
} as const);

export type PolicySettings = Pick<GovernanceConfig, 'rules' | 'risk_threshold' | 'deny_threshold'>;

export interface PolicyRequest {
  operationId: string;
  /** Undefined when the catalog does not know the id. */
  operation: Pick<Operation, 'id' | 'connector' | 'risk' | 'verb'> | undefined;
  principal: Principal;
  resource?: ResourceContext | undefined;
  risk: RiskScore;
  now: Date;
}

export interface PolicyVerdict {
  verdict: Verdict;
  /** The deciding rule: a configured rule's name or one of BUILTIN_RULES. */
  rule: string;
  reasons: string[];
  score: number;
}

const STRICTNESS: Record<Verdict, number> = { allow: 0, escalate: 1, deny: 2 };

/**
 * Decides one call.
 * @example
 * evaluatePolicy(settings, { operationId: 'jira:issues:create', operation, principal, risk, now })
 * // { verdict: 'allow', rule: 'tickets-ok', reasons: ['rule "tickets-ok" (priority 10) matched: ...', ...], score: 55 }
 */
export function evaluatePolicy(settings: PolicySettings, request: PolicyRequest): PolicyVerdict {
  const score = request.risk.score;
  try {
    const operation = request.operation;
    if (!operation) {
      return {
        verdict: 'deny',
        rule: BUILTIN_RULES.unknownOperation,
        reasons: [`operation "${request.operationId}" is not in the catalog`],
        score,
      };
    }
    const matched = settings.rules
      .map((rule) => ({ rule, why: matchRule(rule.match, { ...request, operation }) }))
      .filter((m): m is { rule: PolicyRule; why: string[] } => m.why !== undefined);
    const decider = pickDecider(matched.map((m) => m.rule));
    if (!decider) return thresholdVerdict(settings, score);

    const why = matched.find((m) => m.rule === decider)!.why;
    const reasons = [`rule "${decider.name}" (priority ${decider.priority}) matched: ${why.join(', ')}`];
    const outranked = matched.filter((m) => m.rule !== decider).map((m) => `"${m.rule.name}"`);
    if (outranked.length > 0) reasons.push(`also matched, outranked: ${outranked.join(', ')}`);
    if (decider.verdict !== 'allow') return { verdict: decider.verdict, rule: decider.name, reasons, score };

    const maxRisk = decider.max_risk ?? settings.risk_threshold;
    if (score >= maxRisk) {
      reasons.push(`risk ${score} is at or above the rule's max_risk ${maxRisk}: escalated for approval`);
      return { verdict: 'escalate', rule: decider.name, reasons, score };
    }
    reasons.push(`risk ${score} is below the rule's max_risk ${maxRisk}`);
    return { verdict: 'allow', rule: decider.name, reasons, score };
  } catch (err) {
    return {
      verdict: 'deny',
      rule: BUILTIN_RULES.evaluationError,
      reasons: [
        `policy evaluation failed, denied (fail closed): ${err instanceof Error ? err.message : String(err)}`,
      ],
      score,
    };
  }
}

/** Highest priority first; at equal priority the stricter verdict; then file order. */
function pickDecider(rules: PolicyRule[]): PolicyRule | undefined {
  let best: PolicyRule | undefined;
  for (const rule of rules) {
    if (
      !best ||
      rule.priority > best.priority ||
      (rule.priority === best.priority && STRICTNESS[rule.verdict] > STRICTNESS[best.verdict])
    ) {
      best = rule;
    }
  }
  return best;
}

function thresholdVerdict(settings: PolicySettings, score: number): PolicyVerdict {
  const rule = BUILTIN_RULES.thresholds;
  if (score >= settings.deny_threshold) {
    return {
      verdict: 'deny',
      rule,
      reasons: [`no rule matched; risk ${score} ≥ deny_threshold ${settings.deny_threshold}`],
      score,
    };
  }
  if (score >= settings.risk_threshold) {
    return {
      verdict: 'escalate',
      rule,
      reasons: [`no rule matched; risk ${score} ≥ risk_threshold ${settings.risk_threshold}`],
      score,
    };
  }
  return {
    verdict: 'allow',
    rule,
    reasons: [`no rule matched; risk ${score} < risk_threshold ${settings.risk_threshold}`],
    score,
  };
}

type MatchRequest = PolicyRequest & { operation: NonNullable<PolicyRequest['operation']> };

/** The reasons a rule matches, or undefined when one of its conditions does not hold. */
function matchRule(match: RuleMatch, request: MatchRequest): string[] | undefined {
  const why: string[] = [];
  const { operation, principal, resource } = request;
  if (match.connector) {
    if (!match.connector.includes(operation.connector as never)) return undefined;
    why.push(`connector ${operation.connector}`);
  }
  if (match.operation) {
    if (!matchesAnyGlob(operation.id, match.operation)) return undefined;
    why.push(`operation ${operation.id} ~ ${match.operation.join('|')}`);
  }
  if (match.principal) {
    const ref = principalRef(principal);
    if (!matchesAnyGlob(principal.id, match.principal) && !matchesAnyGlob(ref, match.principal))
      return undefined;
    why.push(`principal ${ref}`);
  }
  if (match.risk_level) {
    if (!match.risk_level.includes(operation.risk)) return undefined;
    why.push(`risk level ${operation.risk}`);
  }
  if (match.verb) {
    if (!match.verb.includes(operation.verb)) return undefined;
    why.push(`verb ${operation.verb}`);
  }
  if (match.environment) {
    const environment = resource?.environment;
    if (environment === undefined || !match.environment.includes(environment)) return undefined;
    why.push(`environment ${environment}`);
  }
  if (match.time_window) {
    if (!inTimeWindow(request.now, match.time_window)) return undefined;
    why.push(`time within ${describeTimeWindow(match.time_window)}`);
  }
  if (match.resource) {
    for (const [path, allowed] of Object.entries(match.resource)) {
      const value = attributeAt(resource, path);
      if (value === undefined || !allowed.includes(value)) return undefined;
      why.push(`resource ${path}=${value}`);
    }
  }
  if (why.length === 0) why.push('matches every call');
  return why;
}

/** A resource attribute by dotted path (`tags.team`), as text; undefined when absent or not a scalar. */
export function attributeAt(resource: ResourceContext | undefined, path: string): string | undefined {
  let current: unknown = resource;
  for (const key of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  if (typeof current === 'string') return current;
  if (typeof current === 'number' || typeof current === 'boolean') return String(current);
  return undefined;
}
