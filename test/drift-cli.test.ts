/**
 * `arx drift list` as a SOC engineer runs it: a real process on a real embedded store (ARX_HOME in a temp
 * dir) and a real arx.yaml declaring drift manifests. The events are made by the gate itself: calls outside
 * a principal's manifest go through a real gate first, on a clock set to two moments (three days ago, an
 * hour ago), so that `--since` has something on each side of it.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../src/config/load.js';
import { TestClock } from '../src/core/clock.js';
import { PermissionDenied } from '../src/governance/errors.js';
import { createGovernance } from '../src/governance/open.js';
import type { Principal } from '../src/governance/principal.js';
import { openStore } from '../src/store/open.js';
import { runTs } from './support/child-process.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'arx-drift-cli-'));
const home = join(dir, '.arx');
const HOUR = 3_600_000;

const config = join(dir, 'arx.yaml');
writeFileSync(
  config,
  [
    'governance:',
    '  drift:',
    '    - principal: "workflow:wiz-*"',
    '      systems: [wiz, jira]',
    '      operations: ["wiz:findings:read", "jira:issues:*"]',
    '      response: deny',
    '    - principal: "agent:*"',
    '      systems: [wiz]',
    '      operations: ["wiz:*"]',
    '      response: alert',
  ].join('\n'),
);

/** The CLI from source, run as an operator would, on this store and this arx.yaml (through $ARX_CONFIG). */
const arx = (args: string[]) =>
  runTs(join(root, 'src/cli/main.ts'), args, {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    ARX_HOME: home,
    ARX_CONFIG: config,
  });

const workflow: Principal = { kind: 'workflow', id: 'wiz-distribution' };
const agent: Principal = { kind: 'agent', id: 'triage' };
const threeDaysAgo = new Date(Date.now() - 72 * HOUR);
const anHourAgo = new Date(Date.now() - HOUR);

interface EventJson {
  id: number;
  at: string;
  principal: string;
  operation: string;
  violation: string;
  response: string;
  detail: string;
}

describe('arx drift list', () => {
  before(async () => {
    const clock = new TestClock(threeDaysAgo);
    const store = await openStore({ home, clock });
    try {
      const { gate, audit } = createGovernance({
        db: store.db,
        clock,
        config: loadConfig({ file: config }),
        home,
      });
      for (const id of ['wiz:findings:read', 'slack:chat:write'])
        gate.register(id, async () => ({ ok: true }));
      const call = (principal: Principal, operation: string, params: Record<string, unknown>) =>
        gate.execute({ principal }, operation, params, { wait: 'return' }).catch((err: unknown) => {
          if (!(err instanceof PermissionDenied)) throw err;
        });
      const message = { channel: '#soc', text: 'hello' };
      await call(agent, 'slack:chat:write', message); // outside the agent's manifest: alert
      clock.setTime(anHourAgo);
      await call(workflow, 'wiz:findings:read', {}); // declared: no drift
      await call(workflow, 'slack:chat:write', message); // outside the workflow's manifest: deny
      await audit.flush();
    } finally {
      await store.close();
    }
  });

  it('lists every event newest first, one line each, and sums them up by response', async () => {
    const result = await arx(['drift', 'list']);
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout.trimEnd().split('\n');
    assert.match(lines[0]!, /^TIME\s+PRINCIPAL\s+OPERATION\s+VIOLATION\s+RESPONSE\s+DETAIL$/);
    const rows = lines.slice(1, 5);
    assert.deepEqual(
      rows.map((line) => line.split(/\s{2,}/).slice(1, 5)),
      [
        ['workflow:wiz-distribution', 'slack:chat:write', 'operation', 'deny'],
        ['workflow:wiz-distribution', 'slack:chat:write', 'system', 'deny'],
        ['agent:triage', 'slack:chat:write', 'operation', 'alert'],
        ['agent:triage', 'slack:chat:write', 'system', 'alert'],
      ],
    );
    assert.ok(rows[0]!.startsWith(anHourAgo.toISOString().slice(0, 16).replace('T', ' ')), rows[0]);
    assert.match(rows[1]!, /slack is not among the declared systems \(wiz, jira\)$/);
    assert.equal(lines.at(-1), '4 drift events (2 deny, 2 alert)');
  });

  it('--principal: one principal, as the gate records it (kind:id; a bare id is a workflow)', async () => {
    const agentOnly = await arx(['drift', 'list', '--principal', 'agent:triage']);
    assert.equal(agentOnly.code, 0, agentOnly.stderr);
    assert.equal(agentOnly.stdout.trimEnd().split('\n').at(-1), '2 drift events (2 alert) for agent:triage');
    assert.doesNotMatch(agentOnly.stdout, /workflow:/);

    const bare = await arx(['drift', 'list', '--principal', 'wiz-distribution']);
    assert.equal(bare.code, 0, bare.stderr);
    assert.match(bare.stdout, /2 drift events \(2 deny\) for workflow:wiz-distribution\n$/);

    const nobody = await arx(['drift', 'list', '--principal', 'agent:nobody', '--since', '7d']);
    assert.equal(nobody.code, 0, nobody.stderr);
    assert.match(nobody.stdout, /^no drift events for agent:nobody since \d{4}-\d\d-\d\dT[\d:.]+Z\n$/);
  });

  it('--since: a duration back from now or a date', async () => {
    const lastDay = await arx(['drift', 'list', '--since', '24h']);
    assert.equal(lastDay.code, 0, lastDay.stderr);
    assert.doesNotMatch(lastDay.stdout, /agent:triage/);
    assert.match(lastDay.stdout, /\n2 drift events \(2 deny\) since \S+Z\n$/);

    const fromDate = new Date(threeDaysAgo.getTime() - HOUR).toISOString();
    const all = await arx(['drift', 'list', '--since', fromDate, '--principal', 'agent:triage']);
    assert.equal(all.code, 0, all.stderr);
    assert.match(
      all.stdout,
      new RegExp(`\\n2 drift events \\(2 alert\\) for agent:triage since ${fromDate}\\n$`),
    );
  });

  it('--json: one array of events with ISO times, newest first', async () => {
    const result = await arx(['--json', 'drift', 'list', '--limit', '3']);
    assert.equal(result.code, 0, result.stderr);
    const events = JSON.parse(result.stdout) as EventJson[];
    assert.equal(events.length, 3);
    assert.deepEqual(Object.keys(events[0]!).sort(), [
      'at',
      'detail',
      'id',
      'operation',
      'principal',
      'response',
      'violation',
    ]);
    assert.equal(events[0]!.at, anHourAgo.toISOString());
    assert.equal(events[2]!.at, threeDaysAgo.toISOString());
    assert.deepEqual(
      events.map((e) => [e.principal, e.violation, e.response]),
      [
        ['workflow:wiz-distribution', 'operation', 'deny'],
        ['workflow:wiz-distribution', 'system', 'deny'],
        ['agent:triage', 'operation', 'alert'],
      ],
    );
    assert.ok(events[0]!.id > events[1]!.id);
  });

  it('--limit: the newest n, and a note when more match', async () => {
    const result = await arx(['drift', 'list', '--limit', '1']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(
      result.stdout,
      /\n1 drift event \(1 deny\)\nmore drift events match: raise --limit \(now 1\)\n$/,
    );
  });

  it('bad values are usage errors naming the option and an example: exit 2, no stack', async () => {
    for (const [args, option, example] of [
      [['--since', 'nonsense'], '--since', /24h/],
      [['--limit', '0'], '--limit', /--limit 200/],
      [['--limit', '5000'], '--limit', /--limit 200/],
      [['--principal', 'agent:'], '--principal', /agent:triage/],
    ] as const) {
      const result = await arx(['drift', 'list', ...args]);
      assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
      assert.ok(result.stderr.includes(option), result.stderr);
      assert.match(result.stderr, example);
      assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
      assert.equal(result.stdout, '');
    }
  });
});
