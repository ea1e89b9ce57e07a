import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { RunSummary } from '../../src/engine/summary.js';
import { mulberry32 } from '../../src/sandbox/kit/random.js';
import type { Store } from '../../src/store/open.js';
import { sandboxWorkflowOptions } from '../../src/workflows/library/shared/sandbox-options.js';
import wizFindingDistribution from '../../src/workflows/library/wiz-finding-distribution/workflow.js';
import { type Exit, runTs, spawnTs } from '../support/child-process.js';
import { openTestStore, testStoreDrivers } from '../support/stores.js';
import { type JiraIssue, openWorkflowSandbox, type WorkflowSandbox } from '../support/workflow-sandbox.js';
import { type KillPoint, killAt } from './kill-schedule.js';

/**
 * Chaos, at the scale of a real tenant: `arx run wiz-finding-distribution` on a 5,000-finding sandbox, as a
 * user runs it (the CLI in a child process, the embedded store in a temp ARX_HOME, credentials pointing at
 * emulators this test process serves), is killed with SIGKILL at random instants (mid-read, mid-write,
 * while digests go out), then run once more to the end. The emulators' own APIs must then show exactly the
 * tickets and digests of an uninterrupted run of the same tenant: no duplicate, none missing.
 *
 * The kill instants come from a seed printed as a diagnostic; ARX_CHAOS_SEED=<n> replays one.
 */
const CLI = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
const WORKFLOW = wizFindingDistribution.name;
const FINDINGS = 5000;
const TENANT_SEED = 7;
const FINDING_LABEL = /^arx-/;

const stores: Store[] = [];
const sandboxes: WorkflowSandbox[] = [];
const homes: string[] = [];
after(async () => {
  await Promise.all(sandboxes.map((s) => s.close()));
  await Promise.all(stores.map((s) => s.close()));
  for (const home of homes) rmSync(home, { recursive: true, force: true });
});

const openStore = async () => {
  const store = await openTestStore('pglite');
  stores.push(store);
  return store;
};

describe('chaos: a 5,000-finding run killed at random instants', {
  skip: !testStoreDrivers().includes('pglite'),
}, () => {
  it('ends with every ticket and digest exactly once, as an uninterrupted run', async (t) => {
    const seed = Number(process.env.ARX_CHAOS_SEED ?? randomInt(1, 2 ** 31));
    t.diagnostic(`kill instants from seed ${seed} (replay with ARX_CHAOS_SEED=${seed})`);
    const random = mulberry32(seed);
    const between = (low: number, high: number) => low + Math.floor(random() * (high - low + 1));

    // What an uninterrupted run produces on the same tenant: the oracle for "none missing".
    const reference = await openWorkflowSandbox(openStore, { findings: FINDINGS, seed: TENANT_SEED });
    sandboxes.push(reference);
    const referenceRun = await reference.run(wizFindingDistribution);
    assert.equal(referenceRun.status, 'succeeded', referenceRun.summary.error);

    const chaos = await openWorkflowSandbox(openStore, { findings: FINDINGS, seed: TENANT_SEED });
    sandboxes.push(chaos);
    const home = mkdtempSync(join(tmpdir(), 'arx-chaos-'));
    homes.push(home);
    const config = join(home, 'arx.yaml');
    const options = sandboxWorkflowOptions(chaos.sandbox.tenant)[WORKFLOW];
    writeFileSync(config, JSON.stringify({ workflows: { [WORKFLOW]: options } }, null, 2)); // JSON is YAML
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ...chaos.sandbox.env,
      ARX_HOME: join(home, '.arx'),
      DATABASE_URL: '',
      ARX_LOG_LEVEL: 'error',
    };
    const args = ['run', WORKFLOW, '--config', config, '--json'];

    const plan: KillPoint[] = [
      { tool: 'wiz', after: 1, delayMs: between(0, 400) }, // reading the issues
      { tool: 'jira', after: between(1, 6), delayMs: between(0, 40) }, // deduplicating / filing tickets
      { tool: 'jira', after: between(2, 12), delayMs: between(0, 40) },
      { tool: 'slack', after: between(1, 4), delayMs: between(0, 20) }, // posting the digests
    ];
    const attempts: Array<{ point: KillPoint; killed: boolean; exit: Exit }> = [];
    for (const point of plan) {
      const child = spawnTs(CLI, args, env);
      const killed = await killAt(chaos.sandbox, child.process, point);
      const exit = await child.exited;
      attempts.push({ point, killed, exit });
      t.diagnostic(
        `attempt ${attempts.length}: ${killed ? 'killed' : `ended (${exit.code})`} at ${JSON.stringify(point)}`,
      );
      if (killed) assert.equal(exit.signal, 'SIGKILL');
      else break; // the run got through before the instant came: nothing left to interrupt
    }
    const kills = attempts.filter((a) => a.killed).length;
    assert.ok(
      kills >= 3,
      `at least three kills landed (got ${kills}): ${attempts.map((a) => a.exit.stderr).join('\n')}`,
    );

    const last = attempts.at(-1)!.killed ? await runTs(CLI, args, env) : attempts.at(-1)!.exit;
    assert.equal(last.code, 0, last.stderr);
    const summary = JSON.parse(last.stdout) as RunSummary;
    assert.equal(summary.status, 'succeeded');
    assert.equal(summary.resumed, true, 'the final run resumed the interrupted one');
    assert.equal(summary.attempt, kills + 1, 'one run from first attempt to last');

    // Jira, through its own search API: one ticket per finding label, the same set as the uninterrupted run.
    const ticketed = await findingLabels(chaos);
    const expected = await findingLabels(reference);
    const duplicates = [...ticketed].filter(([, n]) => n > 1).map(([label]) => label);
    assert.deepEqual(duplicates, [], 'no finding has two tickets');
    const missing = [...expected.keys()].filter((label) => !ticketed.has(label));
    const extra = [...ticketed.keys()].filter((label) => !expected.has(label));
    assert.deepEqual(missing, [], 'no in-scope finding is left without its ticket');
    assert.deepEqual(extra, [], 'no ticket for a finding out of scope');
    assert.ok(expected.size > 500, `a tenant this size files hundreds of tickets (got ${expected.size})`);

    // Slack, through conversations.history: each channel got the digests an uninterrupted run posts, once.
    const channels = [
      ...new Set([...Object.values(options?.team_channel_map ?? {}), options?.default_channel]),
    ].filter((c): c is string => typeof c === 'string');
    for (const channel of channels) {
      // a digest's text is its team, counts per severity and number of tickets: equal texts, equal news
      const posted = (await chaos.slackHistory(channel)).map((m) => m.text).sort();
      const uninterrupted = (await reference.slackHistory(channel)).map((m) => m.text).sort();
      assert.deepEqual(posted, uninterrupted, `the digests in ${channel}: each once, with every ticket`);
    }
    // PagerDuty: this workflow never pages; killing it must not have made it page either.
    assert.equal((await chaos.pagerdutyIncidents()).length, (await reference.pagerdutyIncidents()).length);
  });
});

/** Finding-key label → how many Jira issues carry it. */
async function findingLabels(sandbox: WorkflowSandbox): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  const issues: JiraIssue[] = await sandbox.jiraIssues();
  for (const issue of issues) {
    for (const label of issue.fields.labels.filter((l) => FINDING_LABEL.test(l))) {
      counts.set(label, (counts.get(label) ?? 0) + 1);
    }
  }
  return counts;
}
