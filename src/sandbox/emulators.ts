import { jiraEmulatorForTenant } from './jira/index.js';
import type { EmulatorControl, EmulatorDefinition, FaultSpec, SandboxContext } from './kit/types.js';
import { pagerDutyEmulatorForTenant } from './pagerduty/index.js';
import { qualysEmulatorForTenant } from './qualys/index.js';
import { serviceNowEmulatorForTenant } from './servicenow/index.js';
import { slackEmulatorForTenant } from './slack/index.js';
import type { DemoTenant } from './tenant/tenant.js';
import { wizEmulatorForTenant } from './wiz/index.js';

/** What `startSandbox` hands each factory: the shared tenant, the emulator's seeded dice and its faults. */
export type SandboxFactoryContext = SandboxContext & { tenant: DemoTenant; faults?: FaultSpec };

export interface SandboxEmulator {
  name: string;
  create(ctx: SandboxFactoryContext): EmulatorDefinition & EmulatorControl;
}

/**
 * Every emulator `arx sandbox up` starts, in port order (`--port-base P` gives the first P, the next P+1...).
 * Sources first, then sinks, so the ports stay stable as sinks are added.
 */
export const SANDBOX_EMULATORS: readonly SandboxEmulator[] = [
  { name: 'wiz', create: wizEmulatorForTenant },
  { name: 'qualys', create: qualysEmulatorForTenant },
  { name: 'jira', create: jiraEmulatorForTenant },
  { name: 'slack', create: slackEmulatorForTenant },
  { name: 'pagerduty', create: pagerDutyEmulatorForTenant },
  { name: 'servicenow', create: serviceNowEmulatorForTenant },
];
