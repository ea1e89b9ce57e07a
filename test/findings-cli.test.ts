/**
 * `arx findings import|list|show` and `arx connectors test` as a user runs them: a real process, an
 * embedded store in a temporary ARX_HOME, the fixture payloads of the normalisers, and the Wiz emulator
 * for the credential check (a gate call, decided by policy and audited). Children run asynchronously so the in-process emulator can answer them.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type RunningEmulator, startEmulator } from '../src/sandbox/kit/server.js';
import { DemoTenant } from '../src/sandbox/tenant/tenant.js';
import { WIZ_SANDBOX_CREDENTIALS } from '../src/sandbox/wiz/auth.js';
import { createWizEmulator } from '../src/sandbox/wiz/index.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const tsx = join(root, 'node_modules', '.bin', 'tsx');
const fixture = (path: string) => join(root, 'src/connectors', path);
const home = mkdtempSync(join(tmpdir(), 'arx-findings-cli-'));

function arx(args: string[], env: Record<string, string> = {}) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(tsx, [join(root, 'src/cli/main.ts'), ...args], {
      cwd: home,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        ARX_HOME: join(home, '.arx'),
        ...env,
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const json = (text: string) => JSON.parse(text) as Record<string, unknown> & Array<Record<string, unknown>>;

describe('arx findings', () => {
  it('imports a saved Wiz response: summary, the quarantined record with its reason; again: merged', async () => {
    const first = await arx([
      'findings',
      'import',
      '--source',
      'wiz',
      fixture('wiz/fixtures/issues-page.json'),
      '--json',
    ]);
    assert.equal(first.code, 0, first.stderr);
    const summary = json(first.stdout);
    assert.deepEqual(
      { imported: summary.imported, merged: summary.merged, quarantined: summary.quarantined },
      { imported: 3, merged: 0, quarantined: 1 },
    );
    const [quarantined] = summary.quarantines as Array<{ at: string; reason: string }>;
    assert.equal(quarantined?.at, 'data.issues.nodes[3]');
    assert.match(quarantined?.reason ?? '', /severity/);

    const again = await arx([
      'findings',
      'import',
      '--source',
      'wiz',
      fixture('wiz/fixtures/issues-page.json'),
    ]);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /0 imported, 3 merged, 1 quarantined/);
    assert.match(again.stdout, /quarantined data\.issues\.nodes\[3\]: severity/);
  });

  it('Qualys XML needs the KnowledgeBase; with it, detections become findings', async () => {
    const detections = fixture('qualys/fixtures/detections-page.xml');
    const withoutKb = await arx(['findings', 'import', '--source', 'qualys', detections]);
    assert.equal(withoutKb.code, 2);
    assert.match(withoutKb.stderr, /--kb/);
    const ok = await arx([
      'findings',
      'import',
      '--source',
      'qualys',
      detections,
      '--kb',
      fixture('qualys/fixtures/knowledge-base.xml'),
      '--json',
    ]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.ok((json(ok.stdout).imported as number) > 0);
  });

  it('lists with filters and shows one finding with sources and priority factors', async () => {
    const list = await arx(['--json', 'findings', 'list', '--severity', 'critical,high', '--limit', '20']);
    assert.equal(list.code, 0, list.stderr);
    const findings = json(list.stdout);
    assert.ok(findings.length > 0);
    for (const f of findings) {
      assert.ok(['critical', 'high'].includes(f.severity as string));
      assert.equal(typeof (f.resource as { uid: string }).uid, 'string');
      const sources = f.sources as Array<{ vendor: string; id: string }>;
      assert.ok(sources.length > 0 && sources.every((s) => s.vendor && s.id));
      assert.ok((f.priority as { factors: unknown[] }).factors.length > 0);
    }
    const key = findings[0]!.finding_key as string;
    const show = await arx(['findings', 'show', key, '--json']);
    assert.equal(show.code, 0, show.stderr);
    assert.equal(json(show.stdout).finding_key, key);
    const missing = await arx(['findings', 'show', 'fk_nope']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /no finding with key "fk_nope"/);
    const bad = await arx(['findings', 'list', '--status', 'open']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--status: "open" is not one of new, in_progress, suppressed, resolved/);
  });
});

describe('arx connectors test', () => {
  let wiz: RunningEmulator;
  before(async () => {
    const tenant = new DemoTenant({ seed: 2, findings: 10 });
    wiz = await startEmulator(createWizEmulator({ seed: 2, tenant, random: Math.random }));
  });
  after(() => wiz.close());
  const env = (secret: string) => ({
    WIZ_CLIENT_ID: WIZ_SANDBOX_CREDENTIALS.clientId,
    WIZ_CLIENT_SECRET: secret,
    WIZ_API_URL: wiz.url, // without /graphql, as the workflow READMEs write it
    WIZ_AUTH_URL: `${wiz.url}/oauth/token`,
  });

  const requests = async () =>
    ((await (await fetch(`${wiz.url}/_sandbox/stats`)).json()) as { total: number }).total;

  it('proves working credentials through the gate, and explains a bad secret in one line without printing it', async () => {
    const asAlice = { ...env(WIZ_SANDBOX_CREDENTIALS.clientSecret), ARX_USER: 'alice' };
    const ok = await arx(['--json', 'connectors', 'test', 'wiz'], asAlice);
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
    assert.equal(json(ok.stdout).ok, true);
    const tail = await arx(['audit', 'tail', '--json', '-n', '1000']);
    assert.equal(tail.code, 0, tail.stderr);
    const audited = tail.stdout
      .trim()
      .split('\n')
      .map(
        (line) =>
          JSON.parse(line) as { kind: string; actor: string; action: string; payload: { status?: string } },
      )
      .filter((entry) => entry.action === 'wiz:credentials:test');
    assert.deepEqual(
      audited.map((entry) => [entry.kind, entry.actor]),
      [
        ['intent', 'user:alice'],
        ['result', 'user:alice'],
      ],
    );
    assert.equal(audited[1]?.payload.status, 'ok');

    const bad = await arx(['connectors', 'test', 'wiz'], env('definitely-wrong-secret-71'));
    assert.equal(bad.code, 1);
    assert.equal(bad.stdout.trim().split('\n').length, 1);
    assert.match(
      bad.stdout,
      /✖ wiz: the credentials were rejected: check WIZ_CLIENT_ID and WIZ_CLIENT_SECRET/,
    );
    assert.doesNotMatch(bad.stdout + bad.stderr, /definitely-wrong-secret-71/);
  });

  it('a policy rule denying the checks: each connector reports the rule, and no request reaches the tool', async () => {
    const config = join(home, 'no-checks.yaml');
    const rule =
      '{ name: no-credential-checks, verdict: deny, priority: 5, match: { operation: "*:credentials:test" } }';
    writeFileSync(config, `governance:\n  rules:\n    - ${rule}\n`);
    const before = await requests();
    const denied = await arx(
      ['connectors', 'test', 'all', '--config', config],
      env(WIZ_SANDBOX_CREDENTIALS.clientSecret),
    );
    assert.equal(denied.code, 1, denied.stdout + denied.stderr);
    const lines = denied.stdout.trim().split('\n');
    assert.deepEqual(
      lines.map((line) => line.split(':')[0]),
      ['✖ jira', '✖ pagerduty', '✖ qualys', '✖ servicenow', '✖ slack', '✖ wiz'],
    );
    for (const line of lines) assert.match(line, /: denied by no-credential-checks: /);
    assert.equal(await requests(), before, 'the gate stopped every check before the tool');

    const one = await arx(['--json', 'connectors', 'test', 'wiz', '-c', config], env('whatever'));
    assert.equal(one.code, 1);
    const check = json(one.stdout);
    assert.equal(check.ok, false);
    assert.equal(check.problem, 'denied');
    assert.equal((check.details as { rule?: string }).rule, 'no-credential-checks');
  });
});
