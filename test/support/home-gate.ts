import assert from 'node:assert/strict';
import { loadConfig } from '../../src/config/load.js';
import type { Gate } from '../../src/governance/gate.js';
import { createGovernance } from '../../src/governance/open.js';
import type { Principal } from '../../src/governance/principal.js';
import { openStore } from '../../src/store/open.js';

/**
 * The real gate on the embedded store at `home` (as ARX_HOME names it to a CLI process), configured by the
 * arx.yaml at `configFile`, each of `operations` answered `{ok: true}`; the store is closed after `work`.
 * For seeding a store before the commands under test open it.
 */
export async function withHomeGate<T>(
  home: string,
  configFile: string,
  operations: readonly string[],
  work: (gate: Gate) => Promise<T>,
): Promise<T> {
  const store = await openStore({ home });
  try {
    const config = loadConfig({ file: configFile });
    const { gate } = createGovernance({ db: store.db, clock: store.clock, config, home });
    for (const id of operations) gate.register(id, async () => ({ ok: true }));
    return await work(gate);
  } finally {
    await store.close();
  }
}

export const ESCALATED_OPERATION = 'aws:s3:put-public-access-block';

/** An escalated call (`aws:s3:put-public-access-block` in dev scores 70) left pending: its approval id. */
export async function pendingApproval(gate: Gate, principal: Principal): Promise<string> {
  const out = await gate.execute(
    { principal, resource: { environment: 'dev' } },
    ESCALATED_OPERATION,
    { accountId: '123456789012', bucket: 'bucket-1' },
    { wait: 'return' },
  );
  assert.equal(out.status, 'pending');
  return out.status === 'pending' ? out.approvalId : '';
}
