import type { ArxConfig } from '../../../config/schema.js';
import { type PolicyRule, policyRuleSchema } from '../../../config/schema.js';

/**
 * Policy the library workflows ship with. Each rule is scoped to its workflow's principal
 * (`workflow:<name>`), so adding every workflow's rules to the gate changes nothing for anyone else. They
 * apply with no arx.yaml at all; arx.yaml overrides one by defining a rule of the same name (e.g. to turn a
 * deny into an escalate), and its own higher-priority rules win as usual.
 */

/** Rules outrank ordinary arx.yaml rules (priority 0–100 in the examples): a shipped deny is a guarantee. */
export const SHIPPED_RULE_PRIORITY = 1000;

export interface ShippedRule {
  name: string;
  description: string;
  verdict: 'deny' | 'escalate' | 'allow';
  operations: readonly string[];
}

/**
 * The rules of one workflow, scoped to it.
 * @example workflowRules('cloud-misconfig-remediation', [{ name: 'no-wiz-writeback', verdict: 'deny', ... }])
 */
export function workflowRules(workflow: string, rules: readonly ShippedRule[]): PolicyRule[] {
  return rules.map((rule) =>
    policyRuleSchema.parse({
      name: `${workflow}.${rule.name}`,
      description: rule.description,
      priority: SHIPPED_RULE_PRIORITY,
      verdict: rule.verdict,
      match: { principal: `workflow:${workflow}`, operation: [...rule.operations] },
    }),
  );
}

/** Findings are the scanner's record: no library workflow edits, closes or annotates them. */
export const NO_SCANNER_WRITES: ShippedRule = {
  name: 'no-scanner-writes',
  description: 'Findings are the scanner’s record: this workflow never edits, resolves or annotates them.',
  verdict: 'deny',
  operations: ['wiz:issues:*'],
};

/** Direct remediation (changing cloud resources) is out of scope for a ticketing workflow. */
export const NO_DIRECT_REMEDIATION: ShippedRule = {
  name: 'no-direct-remediation',
  description: 'Fixes go through the owning team’s ticket; this workflow never changes cloud resources.',
  verdict: 'deny',
  operations: ['aws:*'],
};

/**
 * `config` with the shipped rules added, except those arx.yaml already defines by name.
 * @example const governed = withShippedRules(config, builtinPolicyRules());
 */
export function withShippedRules(config: ArxConfig, rules: readonly PolicyRule[]): ArxConfig {
  const defined = new Set(config.governance.rules.map((rule) => rule.name));
  const added = rules.filter((rule) => !defined.has(rule.name));
  if (added.length === 0) return config;
  return { ...config, governance: { ...config.governance, rules: [...config.governance.rules, ...added] } };
}
