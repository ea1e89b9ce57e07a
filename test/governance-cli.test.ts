/**
 * The governance commands as an operator runs them: a real process on a real embedded store (ARX_HOME in a
 * temp dir), real arx.yaml files, exit codes. The store is seeded in-process through the gate first.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { readKillSwitch } from '../src/store/governance-state-repo.js';
import { openStore } from '../src/store/open.js';
import { ESCALATED_OPERATION, pendingApproval, withHomeGate } from './support/home-gate.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const tsx = join(root, 'node_modules', '.bin', 'tsx');
const dir = mkdtempSync(join(tmpdir(), 'arx-governance-cli-'));
const home = join(dir, '.arx');

function arx(args: string[]) {
  const result = spawnSync(tsx, [join(root, 'src/cli/main.ts'), ...args], {
    cwd: dir,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ARX_HOME: home },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function write(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const config = write(
  'arx.yaml',
  [
    'governance:',
    '  approvals:',
    '    approvers: { groups: { platform: [carol, dave] } }',
    '    rules: [{ operation: "aws:*", required: 1, from: platform }]',
  ].join('\n'),
);
const stricter = write(
  'stricter.yaml',
  [
    'governance:',
    '  rules:',
    '    - { name: no-tickets, verdict: deny, priority: 5, match: { operation: "jira:*" } }',
  ].join('\n'),
);
const ops = write(
  'ops.jsonl',
  [
    '{"operation": "jira:issues:create", "principal": "workflow:wiz-distribution", "resource": {"environment": "prod"}}',
    '{"operation": "aws:ec2:revoke-security-group-ingress", "principal": "agent:fixer", "resource": {"environment": "prod"}}',
  ].join('\n'),
);

const principal = { kind: 'workflow' as const, id: 'wiz-distribution' };

describe('governance CLI', () => {
  let pendingId = '';
  before(async () => {
    pendingId = await withHomeGate(
      home,
      config,
      ['jira:issues:create', ESCALATED_OPERATION],
      async (gate) => {
        await gate.execute({ principal, resource: { environment: 'prod' } }, 'jira:issues:create', {
          project: 'SEC',
          summary: 'Public bucket',
          findingKey: 'fk_1',
        });
        return pendingApproval(gate, principal);
      },
    );
  });

  it('arx policy test --json: one verdict per line, in order, no store needed', () => {
    const result = arx(['--json', 'policy', 'test', '--config', config, '--ops', ops]);
    assert.equal(result.code, 0, result.stderr);
    const verdicts = JSON.parse(result.stdout) as {
      operation: string;
      verdict: string;
      rule: string;
      score: number;
      reasons: string[];
    }[];
    assert.deepEqual(
      verdicts.map((v) => [v.operation, v.verdict, v.rule, v.score]),
      [
        ['jira:issues:create', 'allow', '(thresholds)', 55],
        ['aws:ec2:revoke-security-group-ingress', 'deny', '(thresholds)', 100],
      ],
    );
    assert.ok(verdicts.every((v) => v.reasons.length > 0));
  });

  it('arx approvals approve: refuses self-approval (exit 2, no stack), approves as an approver', () => {
    const self = arx(['approvals', 'approve', pendingId, '--as', 'wiz-distribution', '--config', config]);
    assert.equal(self.code, 2);
    assert.match(self.stderr, /cannot decide on their own call/);
    assert.doesNotMatch(self.stderr, /\n\s+at /, 'no stack trace');

    const ok = arx([
      'approvals',
      'approve',
      pendingId,
      '--as',
      'carol',
      '--note',
      'fine',
      '--config',
      config,
    ]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /carol approved .* now approved/);
  });

  it('arx policy simulate: lists recorded calls a proposed policy would decide differently', () => {
    const result = arx(['--json', 'policy', 'simulate', '--config', stricter, '--since', '1d']);
    assert.equal(result.code, 0, result.stderr);
    const report = JSON.parse(result.stdout) as { changed: { operation: string; after: { rule: string } }[] };
    assert.deepEqual(
      report.changed.map((c) => [c.operation, c.after.rule]),
      [['jira:issues:create', 'no-tickets']],
    );
  });

  it('arx freeze: recorded in the store for every process', async () => {
    assert.equal(arx(['freeze', '--reason', 'incident', '--as', 'alice']).code, 0);
    const store = await openStore({ home });
    try {
      assert.deepEqual(
        (await readKillSwitch(store.db)).map((e) => [e.kind, e.actor, e.reason]),
        [['freeze', 'user:alice', 'incident']],
      );
    } finally {
      await store.close();
    }
  });

  it('arx audit verify: intact, and after tampering names the first bad entry (exit 1)', async () => {
    const intact = arx(['audit', 'verify']);
    assert.equal(intact.code, 0, intact.stdout + intact.stderr);
    assert.match(intact.stdout, /audit trail intact/);

    const store = await openStore({ home });
    try {
      await sql`alter table audit_log disable trigger audit_log_append_only`.execute(store.db);
      await sql`update audit_log set actor = 'user:mallory' where seq = 3`.execute(store.db);
    } finally {
      await store.close();
    }
    const broken = arx(['--json', 'audit', 'verify']);
    assert.equal(broken.code, 1);
    const report = JSON.parse(broken.stdout) as { ok: boolean; firstBad: { seq: number; kind: string } };
    assert.deepEqual([report.ok, report.firstBad.seq, report.firstBad.kind], [false, 3, 'altered']);
  });
});
