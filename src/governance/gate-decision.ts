import type { Logger } from '../log/logger.js';
import { recordDriftEvents } from '../store/drift-repo.js';
import type { Operation } from './catalog.js';
import { type Decision, decide } from './decide.js';
import { manifestFor } from './drift.js';
import type { GateContext, GateOptions } from './gate-types.js';
import type { KillSwitch } from './kill-switch.js';
import { type Principal, principalRef } from './principal.js';
import type { RecentCalls } from './recent-calls.js';
import { frequencySaturation, frequencyWindowMs } from './risk.js';

/** The gate's I/O around `decide`: reading the facts from the store, and acting on drift. */

const HOUR_MS = 3_600_000;

type Deps = Pick<GateOptions, 'db' | 'clock' | 'governance' | 'connectors' | 'catalog'> & {
  killSwitch: KillSwitch;
  recentCalls: RecentCalls;
};

/** Reads the kill switch and the principal's recent call counts (each only as far as it matters), then decides. */
export async function gatherAndDecide(
  deps: Deps,
  context: GateContext,
  operationId: string,
  operation: Operation | undefined,
): Promise<Decision> {
  const { clock, governance, connectors } = deps;
  const now = clock.now();
  const ref = principalRef(context.principal);
  const killSwitch = operation ? await deps.killSwitch.check(context.principal, operation.verb) : undefined;
  const hourlyLimit = manifestFor(governance.drift, context.principal)?.max_calls_per_hour;
  const callsLastHour =
    hourlyLimit !== undefined ? await deps.recentCalls.count(ref, HOUR_MS, hourlyLimit) : undefined;
  const weights = governance.risk_weights;
  const recentCalls = await deps.recentCalls.count(
    ref,
    frequencyWindowMs(weights),
    frequencySaturation(weights),
  );
  const decision = decide(
    { governance, connectors },
    {
      operationId,
      operation,
      principal: context.principal,
      resource: context.resource,
      now,
      recentCalls,
      callsLastHour,
      killSwitch,
      suggestion: operation ? undefined : deps.catalog.suggest(operationId),
    },
  );
  return { ...decision, recentCalls, callsLastHour };
}

/** Records drift events; a `suspend` response also stops the principal until someone resumes it. */
export async function respondToDrift(
  deps: Pick<Deps, 'db' | 'clock' | 'killSwitch'> & { log: Logger },
  principal: Principal,
  operationId: string,
  decision: Decision,
): Promise<void> {
  const drift = decision.drift!;
  const at = deps.clock.now();
  const ref = principalRef(principal);
  await recordDriftEvents(
    deps.db,
    drift.violations.map((v) => ({
      at,
      principal: ref,
      operation: operationId,
      violation: v.violation,
      detail: v.detail,
      response: drift.response,
    })),
  );
  deps.log.warn(
    { principal: ref, operation: operationId, drift: drift.violations, response: drift.response },
    'drift detected',
  );
  if (drift.response === 'suspend') {
    await deps.killSwitch.suspend(principal, {
      actor: 'arx',
      reason: `drift: ${drift.violations.map((v) => v.detail).join('; ')}`,
    });
  }
}
