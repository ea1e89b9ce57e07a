import { parseDuration } from '../config/duration.js';
import type { RiskWeights } from '../config/governance.js';
import { riskWeightsSchema } from '../config/governance.js';
import type { Operation } from './catalog.js';

/**
 * The risk score: 0–100, deterministic, and explained. It is the sum of four factors — what kind of change
 * (verb), on which tool (connector sensitivity), how busy this principal has been (session frequency), and
 * what it touches (target sensitivity: environment and tags) — capped at 100. Every score carries its parts,
 * so an auditor can see why a call was allowed or escalated.
 */

export type RiskFactorName = 'verb' | 'connector' | 'frequency' | 'target';

export interface RiskFactor {
  factor: RiskFactorName;
  points: number;
  /** Human-readable why, e.g. `write`, `aws`, `73 calls in 1h`, `environment prod +20, tag data=pii +15`. */
  detail: string;
}

export interface RiskScore {
  score: number;
  factors: RiskFactor[];
}

/** What the resource acted on looks like to policy: its environment, tags and any other attributes. */
export interface ResourceContext {
  environment?: string;
  tags?: Record<string, string>;
  [attribute: string]: unknown;
}

export interface RiskInput {
  operation: Pick<Operation, 'verb' | 'connector' | 'id'>;
  /** Calls this principal made within the session-frequency window (counted from the audit trail). */
  recentCalls: number;
  resource?: ResourceContext | undefined;
}

export const DEFAULT_RISK_WEIGHTS: RiskWeights = riskWeightsSchema.parse({});

/** The window over which `recentCalls` must be counted, in milliseconds. */
export function frequencyWindowMs(weights: RiskWeights): number {
  return parseDuration(weights.session_frequency.window);
}

/**
 * Calls in the window past which the frequency factor stops growing (its cap is reached): counting further
 * changes no score, so the gate counts up to here.
 */
export function frequencySaturation(weights: RiskWeights): number {
  const { free_calls, points_per_call, cap } = weights.session_frequency;
  return free_calls + (points_per_call > 0 ? Math.ceil(cap / points_per_call) : 0);
}

/**
 * Scores one call.
 * @example
 * scoreRisk({ operation: { id: 'jira:issues:create', verb: 'write', connector: 'jira' }, recentCalls: 0,
 *   resource: { environment: 'prod' } }) // { score: 55, factors: [...] }
 */
export function scoreRisk(input: RiskInput, weights: RiskWeights = DEFAULT_RISK_WEIGHTS): RiskScore {
  const factors: RiskFactor[] = [
    { factor: 'verb', points: weights.verbs[input.operation.verb], detail: input.operation.verb },
    connectorFactor(input.operation.connector, weights),
    frequencyFactor(input.recentCalls, weights),
    targetFactor(input.resource, weights),
  ];
  const total = factors.reduce((sum, f) => sum + f.points, 0);
  return { score: Math.max(0, Math.min(100, Math.round(total))), factors };
}

function connectorFactor(connector: string, weights: RiskWeights): RiskFactor {
  return { factor: 'connector', points: weights.connector_sensitivity[connector] ?? 0, detail: connector };
}

function frequencyFactor(recentCalls: number, weights: RiskWeights): RiskFactor {
  const { window, points_per_call, cap, free_calls } = weights.session_frequency;
  const counted = Math.max(0, recentCalls - free_calls);
  const points = Math.min(cap, Math.round(counted * points_per_call));
  // the gate stops counting at the saturation point, so a count there means "at least"
  const atLeast = recentCalls >= frequencySaturation(weights) ? '≥' : '';
  return { factor: 'frequency', points, detail: `${atLeast}${recentCalls} calls in ${window}` };
}

function targetFactor(resource: ResourceContext | undefined, weights: RiskWeights): RiskFactor {
  const parts: string[] = [];
  let points = 0;
  const environment = resource?.environment;
  if (environment !== undefined) {
    const envPoints = weights.target_sensitivity.environments[environment] ?? 0;
    points += envPoints;
    parts.push(`environment ${environment} +${envPoints}`);
  }
  for (const [selector, tagPoints] of Object.entries(weights.target_sensitivity.tags)) {
    const [key, value] = splitSelector(selector);
    if (resource?.tags?.[key] === value) {
      points += tagPoints;
      parts.push(`tag ${selector} +${tagPoints}`);
    }
  }
  return { factor: 'target', points, detail: parts.length > 0 ? parts.join(', ') : 'no environment or tags' };
}

function splitSelector(selector: string): [string, string] {
  const at = selector.indexOf('=');
  return [selector.slice(0, at), selector.slice(at + 1)];
}
