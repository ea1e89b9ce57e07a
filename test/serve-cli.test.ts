import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runTs, spawnTs } from './support/child-process.js';
import { servingOf } from './support/serve-process.js';
import { testStoreDrivers } from './support/stores.js';

/**
 * `arx serve` and `arx worker` as a user starts them: serve owns the embedded store (another command is
 * told who holds it), answers /healthz, and stops cleanly on SIGTERM; a worker refuses the embedded store
 * and says why.
 */
const CLI = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));

describe('arx serve and arx worker (commands)', { skip: !testStoreDrivers().includes('pglite') }, () => {
  it('serve holds the store, answers /healthz, and stops on SIGTERM with exit 0', async () => {
    const home = mkdtempSync(join(tmpdir(), 'arx-serve-'));
    const env = { ...process.env, ARX_HOME: join(home, '.arx'), DATABASE_URL: '', ARX_LOG_LEVEL: 'error' };
    const serve = spawnTs(CLI, ['serve', '--port', '0', '--json'], env);
    try {
      const serving = await servingOf(serve);
      assert.equal(serving.pid, serve.process.pid);
      assert.deepEqual(serving.schedules, []);

      const res = await fetch(`${serving.url}/healthz`);
      assert.equal(res.status, 200);
      const health = (await res.json()) as { ok: boolean; store: { driver: string }; queue: { ok: boolean } };
      assert.equal(health.ok, true);
      assert.equal(health.store.driver, 'pglite');

      const other = await runTs(CLI, ['register'], env);
      assert.equal(other.code, 2, 'another command cannot open the store serve owns');
      assert.match(other.stderr, new RegExp(`in use by "arx serve" \\(pid ${serve.process.pid}`));

      serve.process.kill('SIGTERM');
      const exit = await serve.exited;
      assert.equal(exit.code, 0, exit.stderr);
      assert.match(exit.stdout, /"event":"stopped"/);
      const after = await runTs(CLI, ['register', '--json'], env);
      assert.equal(after.code, 0, `the store is free again: ${after.stderr}`);
    } finally {
      if (serve.process.exitCode === null) serve.process.kill('SIGKILL');
      rmSync(home, { recursive: true, force: true });
    }
  });

  it('worker refuses the embedded store and points to serve --concurrency', async () => {
    const home = mkdtempSync(join(tmpdir(), 'arx-worker-'));
    try {
      const exit = await runTs(CLI, ['worker'], {
        ...process.env,
        ARX_HOME: join(home, '.arx'),
        DATABASE_URL: '',
      });
      assert.equal(exit.code, 2);
      assert.match(exit.stderr, /arx worker needs PostgreSQL/);
      assert.match(exit.stderr, /arx serve --concurrency/);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});
