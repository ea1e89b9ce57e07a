import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startEmulator } from '../src/sandbox/kit/server.js';
import { DemoTenant } from '../src/sandbox/tenant/tenant.js';
import { WIZ_SANDBOX_CREDENTIALS } from '../src/sandbox/wiz/auth.js';
import { createWizEmulator } from '../src/sandbox/wiz/index.js';
import { runTs, spawnTs } from './support/child-process.js';
import { ESCALATED_OPERATION, pendingApproval, withHomeGate } from './support/home-gate.js';
import { servingOf } from './support/serve-process.js';
import { testStoreDrivers } from './support/stores.js';

/**
 * While `arx serve` holds the embedded store, a person still decides on approvals and pulls the kill switch
 * from another terminal: the governance commands go through serve's API with the token it wrote to
 * `<ARX_HOME>/serve.token`, and print what they print on their own. Real processes, real HTTP.
 */
const CLI = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
const CONFIG = [
  'governance:',
  '  approvals:',
  '    approvers: { groups: { platform: [carol, dave] } }',
  '    rules: [{ operation: "aws:*", required: 1, from: platform }]',
].join('\n');

function arxHome(prefix: string, extraEnv: Record<string, string> = {}) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const home = join(dir, '.arx');
  const config = join(dir, 'arx.yaml');
  writeFileSync(config, CONFIG);
  const env = {
    ...process.env,
    ARX_HOME: home,
    ARX_CONFIG: config,
    DATABASE_URL: '',
    ARX_LOG_LEVEL: 'error',
    ...extraEnv,
  };
  return { dir, home, config, env, arx: (args: string[]) => runTs(CLI, args, env) };
}

describe('governance commands through arx serve', { skip: !testStoreDrivers().includes('pglite') }, () => {
  it('lists and approves, freezes, through the API while serve holds the store; the token goes with serve', async () => {
    const { dir, home, config, env, arx } = arxHome('arx-serve-governance-');
    // an escalated call made before serve starts, left pending: what an approver finds waiting
    const pendingId = await withHomeGate(home, config, [ESCALATED_OPERATION], (gate) =>
      pendingApproval(gate, { kind: 'workflow', id: 'wiz-distribution' }),
    );
    const serve = spawnTs(CLI, ['serve', '--port', '0', '--json'], env);
    try {
      const serving = await servingOf(serve);
      assert.equal(serving.auth.file, join(home, 'serve.token'));
      assert.equal(statSync(serving.auth.file).mode & 0o777, 0o600, 'readable by this user only');
      const token = readFileSync(serving.auth.file, 'utf8').trim();
      assert.ok(token.length >= 32);
      const through = new RegExp(`through arx serve at ${serving.url.replace(/[.[\]]/g, '\\$&')}`);

      const list = await arx(['--json', 'approvals', 'list']);
      assert.equal(list.code, 0, list.stderr);
      assert.match(list.stderr, through);
      assert.equal(list.stderr.trim().split('\n').length, 1, 'said once, in one line');
      const listed = JSON.parse(list.stdout) as { id: string; status: string; approvals: number }[];
      assert.deepEqual(
        listed.map((a) => [a.id, a.status, a.approvals]),
        [[pendingId, 'pending', 0]],
      );

      const approve = await arx(['approvals', 'approve', pendingId, '--as', 'carol', '--note', 'fine']);
      assert.equal(approve.code, 0, approve.stderr);
      assert.match(
        approve.stdout,
        new RegExp(`✔ carol approved ${pendingId}: now approved \\(1/1 approvals\\)`),
      );
      const show = await arx(['--json', 'approvals', 'show', pendingId]);
      assert.equal(show.code, 0, show.stderr);
      const shown = JSON.parse(show.stdout) as {
        status: string;
        decisions: { approver: string; note: string }[];
      };
      assert.equal(shown.status, 'approved');
      assert.deepEqual(
        shown.decisions.map((d) => [d.approver, d.note]),
        [['carol', 'fine']],
      );

      const unknown = await arx(['approvals', 'approve', 'apr_nope', '--as', 'carol']);
      assert.equal(unknown.code, 2, 'a caller mistake, as without serve');
      assert.match(
        unknown.stderr,
        /✖ no approval request "apr_nope"\n {2}list them with: arx approvals list/,
      );

      const freeze = await arx(['freeze', '--as', 'alice', '--reason', 'incident 42']);
      assert.equal(freeze.code, 0, freeze.stderr);
      assert.match(freeze.stdout, /✔ frozen: every write is refused until `arx resume`/);
      const killSwitch = await fetch(`${serving.url}/killswitch`, {
        headers: { authorization: `Bearer ${token}` },
      });
      const { entries } = (await killSwitch.json()) as {
        entries: { kind: string; actor: string; reason: string }[];
      };
      assert.deepEqual(
        entries.map((e) => [e.kind, e.actor, e.reason]),
        [['freeze', 'user:alice', 'incident 42']],
      );

      const verify = await arx(['audit', 'verify']);
      assert.equal(verify.code, 2, 'other commands still need the store itself');
      assert.match(verify.stderr, /in use by "arx serve"/);

      serve.process.kill('SIGTERM');
      const exit = await serve.exited;
      assert.equal(exit.code, 0, exit.stderr);
      assert.ok(!exit.stdout.includes(token) && !exit.stderr.includes(token), 'the token is never printed');
      assert.equal(existsSync(serving.auth.file), false, 'the token file goes with serve');

      const after = await arx(['--json', 'killswitch']);
      assert.equal(after.code, 0, after.stderr);
      assert.doesNotMatch(after.stderr, /through arx serve/, 'the store is free: opened directly');
      assert.deepEqual(
        (JSON.parse(after.stdout) as { kind: string; actor: string }[]).map((e) => [e.kind, e.actor]),
        [['freeze', 'user:alice']],
      );
    } finally {
      if (serve.process.exitCode === null) serve.process.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('connectors test goes through serve’s gate as the operator, audited there', async () => {
    const tenant = new DemoTenant({ seed: 3, findings: 10 });
    const wiz = await startEmulator(createWizEmulator({ seed: 3, tenant, random: Math.random }));
    const { dir, env, arx } = arxHome('arx-serve-connectors-', {
      ARX_USER: 'alice',
      WIZ_CLIENT_ID: WIZ_SANDBOX_CREDENTIALS.clientId,
      WIZ_CLIENT_SECRET: WIZ_SANDBOX_CREDENTIALS.clientSecret,
      WIZ_API_URL: wiz.url,
      WIZ_AUTH_URL: `${wiz.url}/oauth/token`,
    });
    const serve = spawnTs(CLI, ['serve', '--port', '0', '--json'], env);
    try {
      const serving = await servingOf(serve);
      const test = await arx(['--json', 'connectors', 'test', 'wiz']);
      assert.equal(test.code, 0, test.stdout + test.stderr);
      assert.ok(test.stderr.includes(`through arx serve at ${serving.url}`), test.stderr);
      const check = JSON.parse(test.stdout) as { connector: string; ok: boolean };
      assert.deepEqual([check.connector, check.ok], ['wiz', true]);

      const unknown = await arx(['connectors', 'test', 'nope']);
      assert.equal(unknown.code, 2, 'a caller mistake, as without serve');
      assert.match(unknown.stderr, /✖ unknown connector "nope"\n {2}connectors with a credentials check: /);

      serve.process.kill('SIGTERM');
      assert.equal((await serve.exited).code, 0);
      const tail = await arx(['audit', 'tail', '--json', '-n', '1000']);
      assert.equal(tail.code, 0, tail.stderr);
      const audited = tail.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { kind: string; actor: string; action: string })
        .filter((entry) => entry.action === 'wiz:credentials:test');
      assert.deepEqual(
        audited.map((entry) => [entry.kind, entry.actor]),
        [
          ['intent', 'user:alice'],
          ['result', 'user:alice'],
        ],
      );
    } finally {
      if (serve.process.exitCode === null) serve.process.kill('SIGKILL');
      await wiz.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a serve that does not answer: the store_locked error stands, naming the holder', async () => {
    const { dir, home, arx } = arxHome('arx-serve-gone-');
    try {
      mkdirSync(home, { recursive: true });
      // held by a live process (this test's) that advertises a URL nothing listens on
      const holder = {
        pid: process.pid,
        hostname: hostname(),
        command: 'arx serve',
        startedAt: new Date().toISOString(),
        token: 'held-by-test',
        url: 'http://127.0.0.1:9',
      };
      writeFileSync(join(home, 'store.lock'), JSON.stringify(holder));
      writeFileSync(join(home, 'serve.token'), 'stale-token\n', { mode: 0o600 });
      const result = await arx(['freeze', '--as', 'alice']);
      assert.equal(result.code, 2, result.stderr);
      assert.match(result.stderr, new RegExp(`in use by "arx serve" \\(pid ${process.pid}`));
      assert.doesNotMatch(result.stderr, /through arx serve/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
