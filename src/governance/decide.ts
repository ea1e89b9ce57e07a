import type { ConnectorsConfig } from '../config/connectors.js';
import type { GovernanceConfig } from '../config/governance.js';
import type { Operation } from './catalog.js';
import { checkDrift, type DriftCheck, manifestFor } from './drift.js';
import { matchesAnyGlob } from './glob.js';
import type { KillSwitchBlock } from './kill-switch.js';
import { BUILTIN_RULES, evaluatePolicy, type PolicyVerdict } from './policy.js';
import type { Principal } from './principal.js';
import { type ResourceContext, type RiskScore, scoreRisk } from './risk.js';

/**
 * The gate's decision for one call, from facts already gathered (kill switch state, recent call counts), in
 * the order the gate applies them: unknown operation → connector scope → kill switch → drift → risk score →
 * policy verdict → drift response. Pure, so `arx policy test` and `simulate` decide exactly as the gate does.
 */

export interface DecisionSettings {
  governance: GovernanceConfig;
  /** `connectors` of arx.yaml: `enabled: false` and `operations` limits deny before policy is asked. */
  connectors?: ConnectorsConfig | undefined;
}

export interface DecisionFacts {
  operationId: string;
  operation: Operation | undefined;
  principal: Principal;
  resource?: ResourceContext | undefined;
  now: Date;
  /** Calls by this principal within the session-frequency window, before this one. */
  recentCalls: number;
  /** Calls by this principal in the past hour, before this one (drift rate limits). */
  callsLastHour?: number | undefined;
  killSwitch?: KillSwitchBlock | undefined;
  /** For an unknown operation: the catalog id it probably meant. */
  suggestion?: string | undefined;
}

export interface Decision extends PolicyVerdict {
  risk: RiskScore | undefined;
  /** Drift findings that were recorded with this decision (whatever the response). */
  drift: DriftCheck | undefined;
  /** The counts the decision was made with (recorded in the audit intent). */
  recentCalls?: number | undefined;
  callsLastHour?: number | undefined;
}

type ConnectorLimits = { enabled?: boolean; operations?: string[] } | undefined;

/**
 * Decides one call.
 * @example decide(config.governance, { operationId, operation, principal, now, recentCalls: 0 }).verdict // 'allow'
 */
export function decide(settings: DecisionSettings, facts: DecisionFacts): Decision {
  const { governance } = settings;
  const { operation } = facts;
  const manifest = manifestFor(governance.drift, facts.principal);
  const checked =
    manifest && operation ? checkDrift(manifest, operation, facts.callsLastHour ?? 0) : undefined;
  const drift = checked && checked.violations.length > 0 ? checked : undefined;
  const deny = (rule: string, reasons: string[]): Decision => ({
    verdict: 'deny',
    rule,
    reasons,
    score: 0,
    risk: undefined,
    drift,
  });
  if (!operation) {
    const hint = facts.suggestion ? `; did you mean "${facts.suggestion}"?` : '';
    return deny(BUILTIN_RULES.unknownOperation, [
      `operation "${facts.operationId}" is not in the catalog${hint}`,
    ]);
  }
  const limits = (settings.connectors as Record<string, ConnectorLimits> | undefined)?.[operation.connector];
  if (limits?.enabled === false) {
    return deny(BUILTIN_RULES.connectorScope, [`connector ${operation.connector} is disabled in arx.yaml`]);
  }
  if (limits?.operations && !matchesAnyGlob(operation.id, limits.operations)) {
    return deny(BUILTIN_RULES.connectorScope, [
      `${operation.id} is outside connectors.${operation.connector}.operations (${limits.operations.join(', ')})`,
    ]);
  }
  if (facts.killSwitch) return deny(BUILTIN_RULES.killSwitch, [facts.killSwitch.reason]);

  const risk = scoreRisk(
    { operation, recentCalls: facts.recentCalls, resource: facts.resource },
    governance.risk_weights,
  );
  const verdict = evaluatePolicy(governance, { ...facts, operation, risk });
  const decision: Decision = { ...verdict, risk, drift };
  if (!drift || drift.response === 'alert' || verdict.verdict === 'deny') {
    if (drift) decision.reasons = [...decision.reasons, ...driftReasons(drift)];
    return decision;
  }
  if (drift.response === 'escalate') {
    if (verdict.verdict === 'escalate')
      return { ...decision, reasons: [...decision.reasons, ...driftReasons(drift)] };
    return {
      ...decision,
      verdict: 'escalate',
      rule: BUILTIN_RULES.drift,
      reasons: [...driftReasons(drift), ...verdict.reasons],
    };
  }
  // deny and suspend both refuse this call; the gate also suspends the principal for `suspend`
  return {
    ...decision,
    verdict: 'deny',
    rule: BUILTIN_RULES.drift,
    reasons: [...driftReasons(drift), ...verdict.reasons],
  };
}

function driftReasons(drift: DriftCheck): string[] {
  return drift.violations.map((v) => `drift (${drift.response}): ${v.detail}`);
}
