import { arxConfigSchema } from '../../src/config/schema.js';
import { TestClock } from '../../src/core/clock.js';
import { generateSigner } from '../../src/governance/audit/keys.js';
import { ConfigCredentialBroker } from '../../src/governance/credentials.js';
import type { HandlerContext } from '../../src/governance/gate.js';
import { createGovernance } from '../../src/governance/open.js';
import type { Store } from '../../src/store/open.js';
import type { OpenTestStore } from './stores.js';

/**
 * A gate on a fresh test store with a test connector: one handler per operation that records each call and
 * answers with a made-up id. It is a connector written for tests, not a mock of Arx code: everything between
 * the caller and the handler is the real gate, policy, store and audit trail.
 */
export const TEST_SECRET = 'test-jira-token-value';

export interface TestCall {
  operation: string;
  params: Record<string, unknown>;
  credentials: unknown;
  idempotencyKey: string;
}

const signer = generateSigner();

export const HANDLED_OPERATIONS = [
  'wiz:findings:read',
  'wiz:issues:update',
  'jira:issues:create',
  'jira:issues:search',
  'slack:chat:write',
  'aws:s3:put-public-access-block',
  'aws:ec2:revoke-security-group-ingress',
];

/** A TestClock whose `sleep` parks until the test calls `wake()`, so a blocked caller can be observed. */
export class ManualClock extends TestClock {
  private waiters: Array<() => void> = [];
  private sleepers: Array<() => void> = [];

  override async sleep(ms: number): Promise<void> {
    for (const notify of this.sleepers.splice(0)) notify();
    await new Promise<void>((resolve) => this.waiters.push(resolve));
    this.tick(ms);
  }

  /** Resolves once some caller is asleep. */
  asleep(): Promise<void> {
    return new Promise((resolve) => this.sleepers.push(resolve));
  }

  wake(): void {
    for (const resolve of this.waiters.splice(0)) resolve();
  }
}

export interface TestGateOptions {
  governance?: Record<string, unknown>;
  connectors?: Record<string, unknown>;
  clock?: TestClock;
  store?: Store;
}

export async function openTestGate(openTestStore: OpenTestStore, options: TestGateOptions = {}) {
  const clock = options.clock ?? new TestClock('2026-03-02T12:00:00Z'); // a Monday, noon UTC
  const store = options.store ?? (await openTestStore({ clock }));
  const config = arxConfigSchema.parse({
    governance: options.governance ?? {},
    connectors: options.connectors ?? {},
  });
  const broker = new ConfigCredentialBroker(config.connectors, {
    JIRA_API_TOKEN: TEST_SECRET,
    JIRA_URL: 'http://jira.test',
  });
  const governance = createGovernance({ db: store.db, clock, config, home: '/nonexistent', signer, broker });
  const calls: TestCall[] = [];
  for (const id of HANDLED_OPERATIONS) {
    governance.gate.register(id, async (params: Record<string, unknown>, ctx: HandlerContext) => {
      calls.push({ operation: id, params, credentials: ctx.credentials, idempotencyKey: ctx.idempotencyKey });
      // a test connector's way to fail: a flag where the schema is loose, a summary where it is strict
      if (params.fail || params.summary === 'fail') throw new Error(`tool failed; token was ${TEST_SECRET}`);
      return { id: `${id}#${calls.length}` };
    });
  }
  return { ...governance, store, clock, calls, signer };
}

export const workflow = { kind: 'workflow' as const, id: 'wiz-distribution' };
export const jiraParams = (findingKey = 'fk_1') => ({ project: 'SEC', summary: 'Public bucket', findingKey });
export const bucketParams = { accountId: '123456789012', bucket: 'prod-customer-uploads' };
