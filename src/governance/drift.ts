import type { DriftManifest, DriftResponse } from '../config/governance.js';
import type { DriftViolation } from '../store/governance-statuses.js';
import type { Operation } from './catalog.js';
import { matchesAnyGlob, matchesGlob } from './glob.js';
import { type Principal, principalRef } from './principal.js';

/**
 * Drift: each automation declares what it is expected to do (systems, operation globs, a call rate) and
 * anything outside that is a drift event, answered as configured — alert (record and carry on), escalate
 * (a person approves this call), deny, or suspend (deny and stop the principal until resumed).
 */

export interface DriftFinding {
  violation: DriftViolation;
  detail: string;
}

export interface DriftCheck {
  /** The manifest's `principal` pattern. */
  manifest: string;
  response: DriftResponse;
  violations: DriftFinding[];
}

/** The manifest that covers a principal: the first whose `principal` glob matches its id or `kind:id`. */
export function manifestFor(
  manifests: readonly DriftManifest[],
  principal: Principal,
): DriftManifest | undefined {
  const ref = principalRef(principal);
  return manifests.find((m) => matchesGlob(ref, m.principal) || matchesGlob(principal.id, m.principal));
}

/**
 * Checks one call against the principal's manifest. `callsLastHour` counts the principal's calls in the past
 * hour before this one. Undefined when no manifest covers the principal (nothing declared, nothing to drift from).
 * @example checkDrift(manifest, op, 12) // { manifest: 'workflow:wiz-*', response: 'alert', violations: [] }
 */
export function checkDrift(
  manifest: DriftManifest,
  operation: Pick<Operation, 'id' | 'connector'>,
  callsLastHour: number,
): DriftCheck {
  const violations: DriftFinding[] = [];
  if (!(manifest.systems as readonly string[]).includes(operation.connector)) {
    violations.push({
      violation: 'system',
      detail: `${operation.connector} is not among the declared systems (${manifest.systems.join(', ')})`,
    });
  }
  if (!matchesAnyGlob(operation.id, manifest.operations)) {
    violations.push({
      violation: 'operation',
      detail: `${operation.id} is not among the declared operations (${manifest.operations.join(', ')})`,
    });
  }
  if (manifest.max_calls_per_hour !== undefined && callsLastHour >= manifest.max_calls_per_hour) {
    violations.push({
      violation: 'rate',
      detail: `${callsLastHour + 1} calls in the past hour exceed the declared ${manifest.max_calls_per_hour}`,
    });
  }
  return { manifest: manifest.principal, response: manifest.response, violations };
}
