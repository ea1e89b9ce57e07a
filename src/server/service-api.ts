import type { Health, RunService } from '../engine/scheduler/service.js';
import type { GovernanceAccess } from '../governance/access.js';
import type { RunRecord } from '../store/runs-repo.js';

/** What the server needs from the running service: a narrow seam, so routes are tested with a stub or the real one. */
export interface ServiceApi {
  health(): Promise<Health>;
  requestRun(workflow: string, requestedBy: string): Promise<RunRecord>;
  /** Approvals, the kill switch and connector checks of the service's own gate (the audit trail its runs write to). */
  governance: GovernanceAccess;
}

/** The seam over a run service and the gate its engine calls through. */
export function serviceApi(
  service: Pick<RunService, 'health' | 'requestRun'>,
  governance: GovernanceAccess,
): ServiceApi {
  return {
    health: () => service.health(),
    requestRun: (workflow, requestedBy) => service.requestRun(workflow, requestedBy),
    governance,
  };
}
