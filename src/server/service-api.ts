import type { Health } from '../engine/scheduler/service.js';
import type { RunRecord } from '../store/runs-repo.js';

/** What the server needs from the running service: a narrow seam, so routes are tested with a stub or the real one. */
export interface ServiceApi {
  health(): Promise<Health>;
  requestRun(workflow: string, requestedBy: string): Promise<RunRecord>;
}
