import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { describe, it } from 'node:test';
import { UsageError } from '../core/errors.js';
import { SANDBOX_EMULATORS } from './emulators.js';
import { startSandbox } from './start.js';

/** The variables the issue promises. */
const REQUIRED_ENV = [
  'WIZ_API_URL',
  'WIZ_AUTH_URL',
  'WIZ_CLIENT_ID',
  'WIZ_CLIENT_SECRET',
  'JIRA_URL',
  'JIRA_USER_EMAIL',
  'JIRA_API_TOKEN',
  'JIRA_PROJECT_KEY',
  'SLACK_BOT_TOKEN',
  'SLACK_API_URL',
  'PAGERDUTY_API_KEY',
  'PAGERDUTY_SERVICE_ID',
  'PAGERDUTY_ROUTING_KEY',
  'PAGERDUTY_API_URL',
  'PAGERDUTY_EVENTS_URL',
  'QUALYS_URL',
  'QUALYS_USERNAME',
  'QUALYS_PASSWORD',
  'SERVICENOW_URL',
  'SERVICENOW_USERNAME',
  'SERVICENOW_PASSWORD',
];

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('startSandbox', () => {
  it('starts every emulator on loopback and collects their environment', async () => {
    const sandbox = await startSandbox({ findings: 20, seed: 4 });
    try {
      assert.deepEqual(
        Object.keys(sandbox.endpoints),
        SANDBOX_EMULATORS.map((e) => e.name),
      );
      for (const name of REQUIRED_ENV) assert.ok(sandbox.env[name], `${name} is set`);
      for (const url of Object.values(sandbox.endpoints)) {
        const stats = await fetch(`${url}/_sandbox/stats`);
        assert.equal(stats.status, 200);
      }
      assert.equal(
        sandbox.tenant.jiraBaseUrl,
        sandbox.endpoints.jira,
        'Wiz serviceTickets point at the Jira emulator',
      );
    } finally {
      await sandbox.close();
    }
  });

  it('assigns consecutive ports from --port-base and refuses a port in use', async () => {
    const base = await freePort();
    const sandbox = await startSandbox({ findings: 10, portBase: base, only: ['wiz', 'qualys'] });
    try {
      assert.deepEqual(
        sandbox.emulators.map((e) => e.port),
        [base, base + 1],
      );
      await assert.rejects(
        startSandbox({ findings: 10, portBase: base, only: ['wiz'] }),
        (err: unknown) => err instanceof UsageError && /already in use/.test(err.message),
      );
    } finally {
      await sandbox.close();
    }
  });

  it('applies --faults per emulator and refuses unknown emulators', async () => {
    const sandbox = await startSandbox({
      findings: 10,
      faults: 'wiz:errors=1;*:latency=1',
      only: ['wiz', 'qualys'],
    });
    try {
      const [wiz, qualys] = sandbox.emulators;
      assert.deepEqual(wiz!.faults(), { latencyMs: 1, errorRate: 1 });
      assert.deepEqual(qualys!.faults(), { latencyMs: 1 });
      assert.equal((await fetch(sandbox.env.WIZ_AUTH_URL!, { method: 'POST' })).status, 503);
    } finally {
      await sandbox.close();
    }
    await assert.rejects(startSandbox({ findings: 10, faults: 'wizz:errors=1' }), /unknown emulator "wizz"/);
    await assert.rejects(startSandbox({ findings: 9 }), UsageError);
  });
});
