import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { RunSummary } from '../src/engine/summary.js';
import { runTs } from './support/child-process.js';
import { testStoreDrivers } from './support/stores.js';
import { findingLabel } from './support/ticket-connector.js';
import { startTicketService, type TicketService } from './support/ticket-service.js';

/**
 * Chaos: the workflow runs in a child process that is killed with SIGKILL while it writes — once after the
 * service stored a ticket but before the answer left (the write landed, the run never learned it), once
 * right after an answer (the ledger may or may not have recorded it) — then run to the end. The service's
 * own list must hold every ticket exactly once.
 */
const CHILD = fileURLToPath(new URL('./support/engine-child.ts', import.meta.url));
const COUNT = 6;
const runChild = (env: NodeJS.ProcessEnv, onSpawn?: (child: ChildProcess) => void) =>
  runTs(CHILD, [], env, onSpawn);

function killOn(
  service: TicketService,
  child: () => ChildProcess | undefined,
  create: number,
  when: 'before-answer' | 'after-answer',
) {
  service.onCreate(async (_ticket, count) => {
    if (count !== create) return;
    const target = child();
    if (!target) return;
    const exited = new Promise((resolve) => target.once('exit', resolve));
    if (when === 'after-answer') {
      setImmediate(() => target.kill('SIGKILL'));
      return;
    }
    target.kill('SIGKILL');
    await exited; // the answer is never sent: the ticket exists, the run did not hear back
  });
}

for (const driver of testStoreDrivers()) {
  describe(`engine after kill -9 [${driver}]`, () => {
    it('runs again to the end with no duplicate and no missing ticket', async () => {
      const service = await startTicketService();
      const home = mkdtempSync(join(tmpdir(), 'arx-crash-'));
      const schema = `arx_t_crash_${randomBytes(4).toString('hex')}`;
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        TICKETS_URL: service.url,
        TICKET_COUNT: String(COUNT),
        ...(driver === 'postgres' ? { ARX_TEST_SCHEMA: schema } : { ARX_HOME: home, DATABASE_URL: '' }),
      };
      try {
        let child: ChildProcess | undefined;
        killOn(service, () => child, 2, 'before-answer');
        const first = await runChild(env, (c) => {
          child = c;
        });
        assert.equal(first.signal, 'SIGKILL', `first run should have been killed: ${first.stderr}`);

        killOn(service, () => child, 4, 'after-answer');
        const second = await runChild(env, (c) => {
          child = c;
        });
        assert.equal(second.signal, 'SIGKILL', `second run should have been killed: ${second.stderr}`);

        service.onCreate(undefined);
        const last = await runChild(env);
        assert.equal(last.code, 0, last.stderr);
        const summary = JSON.parse(last.stdout) as RunSummary;
        assert.equal(summary.status, 'succeeded');
        assert.equal(summary.resumed, true);
        assert.equal(summary.attempt, 3, 'one run, resumed twice');

        const tickets = service.tickets();
        for (let i = 0; i < COUNT; i++) {
          const label = findingLabel(`fk_${i}`);
          assert.equal(
            tickets.filter((t) => t.labels.includes(label)).length,
            1,
            `exactly one ticket for fk_${i}`,
          );
        }
        assert.equal(tickets.length, COUNT);
      } finally {
        await service.close();
        rmSync(home, { recursive: true, force: true });
        if (driver === 'postgres') await dropSchema(schema);
      }
    });
  });
}

async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    await client.query(`drop schema if exists "${schema}" cascade`);
  } finally {
    await client.end();
  }
}
