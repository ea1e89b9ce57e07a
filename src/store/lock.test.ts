import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { acquireStoreLock, LOCK_FILE, lockPath, readStoreLock } from './lock.js';

const LOCK_MODULE = pathToFileURL(new URL('./lock.ts', import.meta.url).pathname).href;
const homes: string[] = [];
after(() => {
  for (const home of homes) rmSync(home, { recursive: true, force: true });
});

function tempHome(): string {
  const home = mkdtempSync(join(tmpdir(), 'arx-lock-'));
  homes.push(home);
  return home;
}

/**
 * A second `arx`-like process: runs `body` (TypeScript, with `acquireStoreLock` in scope) under tsx. It
 * prints one JSON line; then it stays alive until its stdin closes, so the test decides when it ends.
 */
function child(body: string): { proc: ChildProcess; firstLine: Promise<Record<string, unknown>> } {
  const script = join(tempHome(), 'child.mts');
  writeFileSync(
    script,
    `import { acquireStoreLock } from ${JSON.stringify(LOCK_MODULE)};
     try { ${body} } catch (err) {
       console.log(JSON.stringify({ error: { code: err.code, fault: err.fault, message: err.message } }));
     }
     process.stdin.resume();
     process.stdin.on('end', () => process.exit(0));\n`,
  );
  const proc = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['pipe', 'pipe', 'inherit'] });
  const firstLine = new Promise<Record<string, unknown>>((resolve, reject) => {
    const lines = createInterface({ input: proc.stdout! });
    lines.once('line', (line) => resolve(JSON.parse(line) as Record<string, unknown>));
    proc.once('exit', (code) => reject(new Error(`child exited (${code}) before reporting`)));
  });
  return { proc, firstLine };
}

function exited(proc: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (proc.exitCode !== null || proc.signalCode !== null) resolve();
    else proc.once('exit', () => resolve());
  });
}

/** The pid of a process that has certainly ended. */
async function deadPid(): Promise<number> {
  const proc = spawn(process.execPath, ['-e', '0']);
  await exited(proc);
  return proc.pid!;
}

function writeLock(home: string, holder: Record<string, unknown>): void {
  writeFileSync(
    join(home, LOCK_FILE),
    JSON.stringify({ token: 'old', startedAt: new Date().toISOString(), ...holder }),
  );
}

describe('embedded store lock', () => {
  it('records who holds the store and removes the file on release', () => {
    const home = tempHome();
    const lock = acquireStoreLock(home, { command: 'arx serve' });
    const holder = JSON.parse(readFileSync(lockPath(home), 'utf8'));
    assert.equal(holder.pid, process.pid);
    assert.equal(holder.hostname, hostname());
    assert.equal(holder.command, 'arx serve');
    assert.ok(!Number.isNaN(Date.parse(holder.startedAt)));
    lock.advertise('http://127.0.0.1:7400');
    assert.equal(readStoreLock(home)?.url, 'http://127.0.0.1:7400');
    lock.release();
    assert.equal(existsSync(lockPath(home)), false);
    acquireStoreLock(home, { command: 'again' }).release();
  });

  it('refuses a second open in the same process', () => {
    const home = tempHome();
    const lock = acquireStoreLock(home, { command: 'arx serve' });
    try {
      assert.throws(() => acquireStoreLock(home, { command: 'arx run x' }), /already open in this process/);
    } finally {
      lock.release();
    }
  });

  it('stops a second process with a message naming the holder and the way out', async () => {
    const home = tempHome();
    const lock = acquireStoreLock(home, { command: 'arx serve', displayPath: './.arx' });
    lock.advertise('http://127.0.0.1:7400');
    const { proc, firstLine } = child(
      `acquireStoreLock(${JSON.stringify(home)}, { command: 'arx run wiz', displayPath: './.arx' });
       console.log(JSON.stringify({ acquired: true }));`,
    );
    try {
      const report = (await firstLine) as { error?: { code: string; fault: string; message: string } };
      assert.equal(report.error?.code, 'store_locked');
      assert.equal(report.error?.fault, 'caller');
      assert.match(
        report.error!.message,
        new RegExp(
          `^The embedded store at \\./\\.arx is in use by "arx serve" \\(pid ${process.pid}, since \\d\\d:\\d\\d\\)\\. ` +
            'Stop that process, or point this command at PostgreSQL with DATABASE_URL\\.$',
        ),
      );
      assert.equal(readStoreLock(home)?.pid, process.pid, 'the loser does not disturb the holder');
    } finally {
      proc.stdin!.end();
      await exited(proc);
      lock.release();
    }
  });

  it('takes over the lock of a process killed with SIGKILL', async () => {
    const home = tempHome();
    const { proc, firstLine } = child(
      `const lock = acquireStoreLock(${JSON.stringify(home)}, { command: 'arx run doomed' });
       console.log(JSON.stringify({ pid: lock.holder.pid }));`,
    );
    const { pid } = (await firstLine) as { pid: number };
    assert.throws(() => acquireStoreLock(home, { command: 'arx serve' }), { code: 'store_locked' });
    proc.kill('SIGKILL');
    await exited(proc);
    assert.equal(readStoreLock(home)?.pid, pid, 'kill -9 leaves the lock file behind');

    const lock = acquireStoreLock(home, { command: 'arx serve' });
    assert.equal(readStoreLock(home)?.pid, process.pid);
    lock.release();
  });

  it('lets exactly one of several processes take over a stale lock', async () => {
    const home = tempHome();
    writeLock(home, { pid: await deadPid(), hostname: hostname(), command: 'arx run crashed' });
    const takers = Array.from({ length: 4 }, () =>
      child(
        `acquireStoreLock(${JSON.stringify(home)}, { command: 'taker' });
         console.log(JSON.stringify({ acquired: true }));`,
      ),
    );
    try {
      const reports = await Promise.all(takers.map((taker) => taker.firstLine));
      assert.equal(reports.filter((report) => report.acquired).length, 1, JSON.stringify(reports));
      for (const report of reports.filter((r) => !r.acquired)) {
        assert.equal((report.error as { code: string }).code, 'store_locked');
      }
    } finally {
      for (const taker of takers) taker.proc.stdin!.end();
      await Promise.all(takers.map((taker) => exited(taker.proc)));
    }
  });

  it('releases the lock when the holder exits without closing', async () => {
    const home = tempHome();
    const { proc, firstLine } = child(
      `acquireStoreLock(${JSON.stringify(home)}, { command: 'arx run short' });
       console.log(JSON.stringify({ acquired: true }));`,
    );
    assert.equal((await firstLine).acquired, true);
    assert.equal(existsSync(lockPath(home)), true);
    proc.stdin!.end();
    await exited(proc);
    assert.equal(existsSync(lockPath(home)), false);
  });

  it('never takes a lock held on another host, and says how to clear it', () => {
    const home = tempHome();
    writeLock(home, { pid: 1, hostname: 'build-7.example', command: 'arx serve' });
    assert.throws(
      () => acquireStoreLock(home, { command: 'arx run x', displayPath: './.arx' }),
      (err: Error & { code?: string }) => {
        assert.equal(err.code, 'store_locked');
        assert.match(err.message, /pid 1 on host build-7\.example/);
        assert.match(err.message, new RegExp(`delete ${lockPath(home).replaceAll('.', '\\.')}`));
        return true;
      },
    );
  });

  it('treats a live pid that now belongs to another process as stale', {
    skip: !existsSync('/proc/self/stat'),
  }, () => {
    const home = tempHome();
    // Our parent is alive, but it is not the process that wrote this lock: its start time differs.
    writeLock(home, { pid: process.ppid, hostname: hostname(), command: 'arx serve', processStart: '1:1' });
    acquireStoreLock(home, { command: 'arx run x' }).release();
  });

  it('explains a store directory that cannot be created', () => {
    const file = join(tempHome(), 'not-a-dir');
    writeFileSync(file, '');
    assert.throws(() => acquireStoreLock(join(file, 'home'), { command: 'x', displayPath: './x' }), {
      code: 'store_home_invalid',
      message: 'The store directory ./x cannot be used: part of the path is a file, not a directory.',
    });
  });

  it('waits on an unreadable lock while it is fresh and clears it once old', () => {
    const home = tempHome();
    writeFileSync(join(home, LOCK_FILE), '{"pid": 12');
    assert.throws(() => acquireStoreLock(home, { command: 'x' }), /unreadable lock file/);
    const old = new Date(Date.now() - 60_000);
    utimesSync(join(home, LOCK_FILE), old, old);
    acquireStoreLock(home, { command: 'x' }).release();
  });
});
