/**
 * `arx run` and `arx runs` as a user runs them: a real process, the real Wiz connector, the sandbox
 * emulators, exit codes. The workflow is a folder of the user's own (test/fixtures/workflows/wiz-census).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { RunSummary } from '../src/engine/summary.js';
import { type Sandbox, startSandbox } from '../src/sandbox/start.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const tsx = join(root, 'node_modules', '.bin', 'tsx');
const CENSUS = './test/fixtures/workflows/wiz-census';
const scratchHomes: string[] = [];
after(() => {
  for (const home of scratchHomes) rmSync(home, { recursive: true, force: true });
});

function arx(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  // each call gets its own ARX_HOME unless the test names one: sandbox runs lock <ARX_HOME>/sandbox
  const home = mkdtempSync(join(tmpdir(), 'arx-run-cli-home-'));
  scratchHomes.push(home);
  const child = spawn(tsx, [join(root, 'src/cli/main.ts'), ...args], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ARX_HOME: home, ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

describe('arx run', { concurrency: true }, () => {
  it('with no credentials runs against the sandbox, says so, and prints the summary as JSON', async () => {
    const { code, stdout, stderr } = await arx(['run', CENSUS, '--findings', '60', '--seed', '3', '--json']);
    assert.equal(code, 0, stderr);
    assert.match(
      stderr,
      /No credentials configured: running against the built-in sandbox \(60 findings, seed 3\)\./,
    );
    const summary = JSON.parse(stdout) as RunSummary;
    assert.equal(summary.status, 'succeeded');
    assert.deepEqual(summary.sandbox, { findings: 60, seed: 3 });
    assert.ok(summary.counts.findingsRead > 0, 'critical issues were read from the Wiz emulator');
    assert.equal(summary.counts.ticketsUpdated, 2);
    assert.equal(summary.effects.performed, 2);
    assert.ok((summary.apiCalls.wiz ?? 0) >= 4, 'token, page(s) and two notes went over HTTP');
  });

  it('ends a sandbox run with a signed audit entry of what it did, verifiable from its kept store', async () => {
    const home = mkdtempSync(join(tmpdir(), 'arx-run-cli-audit-'));
    scratchHomes.push(home);
    const run = await arx(['run', CENSUS, '--findings', '60', '--seed', '3', '--json'], { ARX_HOME: home });
    assert.equal(run.code, 0, run.stderr);
    const { runId } = JSON.parse(run.stdout) as RunSummary;
    const sandboxHome = join(home, 'sandbox');
    const verify = await arx(['audit', 'verify', '--json'], { ARX_HOME: sandboxHome });
    assert.equal(verify.code, 0, verify.stdout + verify.stderr);
    const report = JSON.parse(verify.stdout) as { ok: boolean; entries: number; signedThrough: number };
    assert.equal(report.ok, true);
    assert.equal(
      report.signedThrough,
      report.entries,
      'the checkpoint at the end of the run signs all of it',
    );
    const exported = await arx(['audit', 'export', '--format', 'jsonl'], { ARX_HOME: sandboxHome });
    const entries = exported.stdout
      .trim()
      .split('\n')
      .map(
        (line) => JSON.parse(line) as { action: string; run_id: string | null; payload: { counts?: object } },
      );
    const last = entries.at(-1)!;
    assert.equal(last.action, 'run.succeeded');
    assert.equal(last.run_id, runId);
    assert.ok(last.payload.counts, 'the run entry carries the run summary counts');
    assert.ok(
      entries.filter((e) => e.run_id === runId).length > 1,
      'the operations of the run are audited under its id',
    );
  });

  it('--dry-run writes nothing and prints the plan', async () => {
    const { code, stdout, stderr } = await arx(['run', CENSUS, '--findings', '60', '--dry-run']);
    assert.equal(code, 0, stderr);
    assert.match(stdout, /wiz-census finished in .* \(dry run: nothing was written\)/);
    assert.match(stdout, /writes +2 planned/);
    assert.match(stdout, /Plan \(2 writes\):\n {2}would wiz:issues:comment ×2/);
    assert.match(stdout, /would wiz:issues:comment \S+: critical issue/);
  });

  it('refuses an unknown workflow, naming the fix, with exit code 2', async () => {
    const unknown = await arx(['run', 'wiz-sensus']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /no built-in workflow named "wiz-sensus"/);
    assert.match(unknown.stderr, /path of a workflow folder/);
  });
});

describe('arx run with credentials, then arx runs', () => {
  let sandbox: Sandbox;
  let home: string;
  before(async () => {
    sandbox = await startSandbox({ findings: 60, seed: 5, only: ['wiz'] });
    home = mkdtempSync(join(tmpdir(), 'arx-run-cli-'));
  });
  after(async () => {
    await sandbox.close();
    rmSync(home, { recursive: true, force: true });
  });

  it('uses the configured tool, keeps the run in the store, counts denials; runs list/show read it back', async () => {
    const config = join(home, 'arx.yaml');
    writeFileSync(
      config,
      [
        'governance:',
        '  rules:',
        '    - name: no-wiz-writes',
        '      verdict: deny',
        '      priority: 10',
        '      match: { operation: "wiz:issues:*" }',
        '',
      ].join('\n'),
    );
    const env = { ...sandbox.env, ARX_HOME: home };
    const run = await arx(['run', CENSUS, '--config', config, '--json'], env);
    assert.equal(run.code, 0, run.stderr);
    assert.doesNotMatch(run.stderr, /sandbox/, 'credentials are configured: no built-in sandbox');
    const summary = JSON.parse(run.stdout) as RunSummary;
    assert.equal(summary.sandbox, undefined);
    assert.equal(summary.counts.denied, 2);
    assert.deepEqual(
      summary.denials.map((d) => d.rule),
      ['no-wiz-writes', 'no-wiz-writes'],
    );

    const listed = await arx(['runs', 'list', '--json'], { ARX_HOME: home });
    assert.equal(listed.code, 0, listed.stderr);
    const runs = JSON.parse(listed.stdout) as Array<{ id: string; workflow: string; status: string }>;
    assert.deepEqual(
      runs.map((r) => [r.id, r.workflow, r.status]),
      [[summary.runId, 'wiz-census', 'succeeded']],
    );

    const shown = await arx(['runs', 'show', summary.runId], { ARX_HOME: home });
    assert.equal(shown.code, 0, shown.stderr);
    assert.match(shown.stdout, new RegExp(`run ${summary.runId}: wiz-census, succeeded`));
    assert.match(shown.stdout, /operations denied +2/);
    assert.match(shown.stdout, /Denied \(2\):\n {2}wiz:issues:comment \[\S+\] by no-wiz-writes/);
  });
});
