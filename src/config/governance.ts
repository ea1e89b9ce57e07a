/**
 * `governance` in arx.yaml: how the gate scores risk, which rules decide allow / escalate / deny, who
 * approves escalations, what each principal is expected to do (drift) and how the audit trail checkpoints.
 * Every default here is what Arx runs with when arx.yaml says nothing.
 */
import { z } from 'zod';
import { RISK_LEVELS, VERBS, type Verb } from '../governance/catalog.js';
import { CONNECTOR_NAMES } from './connectors.js';
import {
  clockTime,
  duration,
  matching,
  nonEmpty,
  oneOrMany,
  operationGlob,
  points,
  timeZone,
} from './fields.js';

export const VERDICTS = ['allow', 'escalate', 'deny'] as const;
export type Verdict = (typeof VERDICTS)[number];

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export const DRIFT_RESPONSES = ['alert', 'escalate', 'deny', 'suspend'] as const;
export type DriftResponse = (typeof DRIFT_RESPONSES)[number];

// Verb classes and risk levels are the operation catalog's; the config weighs and matches them.
export { RISK_LEVELS, type RiskLevel, VERBS, type Verb } from '../governance/catalog.js';

/*
 * Default weights. A score is the sum of the parts, capped at 100; with the default thresholds
 * (escalate at 70, deny at 90):
 *   wiz findings read                  5 + 10                 = 15  allow
 *   jira issue create                  30 + 5                 = 35  allow
 *   destructive change in prod on AWS  60 + 25 + 20           = 105 → 100  deny unless a rule says otherwise
 *   destructive change in dev on jira  60 + 5 + 0             = 65  allow, but close to review
 * Session frequency adds up to `cap` points for bursts by one principal, so a runaway loop escalates itself.
 */
export const DEFAULT_VERB_WEIGHTS: Record<Verb, number> = {
  read: 5,
  write: 30,
  destructive: 60,
  containment: 45,
};
export const DEFAULT_CONNECTOR_SENSITIVITY: Record<string, number> = {
  wiz: 10, // holds the map of every weakness in the estate
  qualys: 5,
  jira: 5,
  slack: 5,
  pagerduty: 15, // a page wakes a person up
  servicenow: 10,
  aws: 25, // changes real infrastructure
};
export const DEFAULT_ENVIRONMENT_POINTS: Record<string, number> = {
  prod: 20,
  production: 20,
  staging: 10,
  dev: 0,
};
export const DEFAULT_TAG_POINTS: Record<string, number> = { 'data=pii': 15, 'data=sensitive': 10 };

const tagKey = matching(/^[^=\s]+=[^=]*$/, 'a tag selector', '"key=value", e.g. "data=pii"');

export const riskWeightsSchema = z.strictObject({
  verbs: z
    .strictObject({
      read: points.default(DEFAULT_VERB_WEIGHTS.read),
      write: points.default(DEFAULT_VERB_WEIGHTS.write),
      destructive: points.default(DEFAULT_VERB_WEIGHTS.destructive),
      containment: points.default(DEFAULT_VERB_WEIGHTS.containment),
    })
    .prefault({}),
  /** Points per connector; a connector not listed adds 0. Listing one replaces the whole default map. */
  connector_sensitivity: z.record(z.string(), points).default(() => ({ ...DEFAULT_CONNECTOR_SENSITIVITY })),
  session_frequency: z
    .strictObject({
      /** Calls by the same principal within this sliding window count. */
      window: duration.default('1h'),
      /** Calls in the window that add nothing: the volume of an ordinary run. */
      free_calls: z.number().int().min(0).default(60),
      points_per_call: z.number().min(0).max(100).default(1),
      cap: points.default(20),
    })
    .prefault({}),
  target_sensitivity: z
    .strictObject({
      environments: z.record(z.string(), points).default(() => ({ ...DEFAULT_ENVIRONMENT_POINTS })),
      tags: z.record(tagKey, points).default(() => ({ ...DEFAULT_TAG_POINTS })),
    })
    .prefault({}),
});

export const timeWindowSchema = z.strictObject({
  days: z.array(z.enum(WEEKDAYS)).min(1).optional(),
  start: clockTime,
  end: clockTime,
  /** Defaults to UTC. A window whose end is before its start wraps past midnight (22:00–06:00). */
  timezone: timeZone.optional(),
});

export const ruleMatchSchema = z.strictObject({
  connector: oneOrMany(z.enum(CONNECTOR_NAMES), 'connector name').optional(),
  operation: oneOrMany(operationGlob, 'operation glob').optional(),
  principal: oneOrMany(nonEmpty, 'principal glob').optional(),
  risk_level: oneOrMany(z.enum(RISK_LEVELS), 'risk level').optional(),
  /** The operation's verb class (`destructive`, `containment`): one rule for every tool's deletes. */
  verb: oneOrMany(z.enum(VERBS), 'verb class').optional(),
  environment: oneOrMany(nonEmpty, 'environment').optional(),
  time_window: timeWindowSchema.optional(),
  /** Resource attributes by dotted path (`tags.team`, `account`); each value one string or a list. */
  resource: z.record(nonEmpty, oneOrMany(z.string(), 'value')).optional(),
});

export const policyRuleSchema = z.strictObject({
  name: matching(
    /^[A-Za-z0-9][A-Za-z0-9_.-]*$/,
    'a rule name',
    'letters, digits, "-", "_" and "." (the name appears in audit records)',
  ),
  description: z.string().optional(),
  /** The highest priority matching rule decides; among equals the strictest verdict (deny > escalate > allow). */
  priority: z.number().int().default(0),
  verdict: z.enum(VERDICTS),
  /** Allow rules only: allows while the risk score is below this (default risk_threshold); at or above, escalates. */
  max_risk: points.optional(),
  match: ruleMatchSchema.prefault({}),
});

export const approvalRuleSchema = z.strictObject({
  operation: operationGlob,
  required: z.number().int().min(1).max(10).default(1),
  /** A group name from approvers.groups, or user ids. */
  from: oneOrMany(nonEmpty, 'group or user'),
});

export const approvalsSchema = z.strictObject({
  expiry: duration.default('1h'),
  approvers: z
    .strictObject({
      groups: z.record(nonEmpty, z.array(nonEmpty).min(1, 'a group needs at least one user')).default({}),
    })
    .prefault({}),
  rules: z.array(approvalRuleSchema).default([]),
});

export const driftManifestSchema = z.strictObject({
  principal: nonEmpty,
  systems: z.array(z.enum(CONNECTOR_NAMES)).min(1),
  operations: z.array(operationGlob).min(1),
  max_calls_per_hour: z.number().int().positive().optional(),
  response: z.enum(DRIFT_RESPONSES).default('alert'),
});

export const auditSchema = z.strictObject({
  checkpoint_every_entries: z.number().int().min(1).default(1000),
  checkpoint_every_minutes: z.number().int().min(1).default(10),
  /** Ed25519 PEM private key for signed checkpoints; without it Arx creates one in ARX_HOME/keys/. */
  signing_key_path: nonEmpty.optional(),
});

export const DEFAULT_RISK_THRESHOLD = 70;
export const DEFAULT_DENY_THRESHOLD = 90;

export const governanceSchema = z
  .strictObject({
    /** Scores at or above this escalate for approval when no rule decides. */
    risk_threshold: points.default(DEFAULT_RISK_THRESHOLD),
    /** Scores at or above this are denied when no rule decides. */
    deny_threshold: points.default(DEFAULT_DENY_THRESHOLD),
    risk_weights: riskWeightsSchema.prefault({}),
    rules: z.array(policyRuleSchema).default([]),
    approvals: approvalsSchema.prefault({}),
    drift: z.array(driftManifestSchema).default([]),
    audit: auditSchema.prefault({}),
  })
  .prefault({});

export type GovernanceConfig = z.output<typeof governanceSchema>;
export type RiskWeights = z.output<typeof riskWeightsSchema>;
export type TimeWindow = z.output<typeof timeWindowSchema>;
export type RuleMatch = z.output<typeof ruleMatchSchema>;
export type PolicyRule = z.output<typeof policyRuleSchema>;
export type ApprovalRule = z.output<typeof approvalRuleSchema>;
export type ApprovalsConfig = z.output<typeof approvalsSchema>;
export type DriftManifest = z.output<typeof driftManifestSchema>;
export type AuditConfig = z.output<typeof auditSchema>;
