import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it, type TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { RunSummary } from '../../src/engine/summary.js';
import { mulberry32 } from '../../src/sandbox/kit/random.js';
import type { Store } from '../../src/store/open.js';
import criticalVulnEscalation from '../../src/workflows/library/critical-vuln-escalation/workflow.js';
import { sandboxWorkflowOptions } from '../../src/workflows/library/shared/sandbox-options.js';
import wizFindingDistribution from '../../src/workflows/library/wiz-finding-distribution/workflow.js';
import type { Workflow } from '../../src/workflows/sdk/index.js';
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

interface Scenario {
  workflow: Workflow;
  findings: number;
  /** arx.yaml sections besides the workflow's options (e.g. connector rate limits). */
  config?: Record<string, unknown>;
  /** Where to kill, drawn from the seeded `between`. */
  plan(between: (low: number, high: number) => number): KillPoint[];
}

interface ChaosOutcome {
  chaos: WorkflowSandbox;
  reference: WorkflowSandbox;
  options: Record<string, unknown> | undefined;
}

/**
 * Runs `scenario.workflow` as a user does, killing it at the plan's instants, then once more to the end; also
 * runs it uninterrupted on an identical tenant, the oracle for "none missing". Asserts the kills landed and
 * the final run resumed the interrupted one.
 */
async function runWithKills(t: TestContext, scenario: Scenario): Promise<ChaosOutcome> {
  const seed = Number(process.env.ARX_CHAOS_SEED ?? randomInt(1, 2 ** 31));
  t.diagnostic(`kill instants from seed ${seed} (replay with ARX_CHAOS_SEED=${seed})`);
  const random = mulberry32(seed);
  const between = (low: number, high: number) => low + Math.floor(random() * (high - low + 1));
  const name = scenario.workflow.name;

  const reference = await openWorkflowSandbox(openStore, { findings: scenario.findings, seed: TENANT_SEED });
  sandboxes.push(reference);
  const referenceRun = await reference.run(scenario.workflow);
  assert.equal(referenceRun.status, 'succeeded', referenceRun.summary.error);

  const chaos = await openWorkflowSandbox(openStore, { findings: scenario.findings, seed: TENANT_SEED });
  sandboxes.push(chaos);
  const home = mkdtempSync(join(tmpdir(), 'arx-chaos-'));
  homes.push(home);
  const config = join(home, 'arx.yaml');
  const options = sandboxWorkflowOptions(chaos.sandbox.tenant)[name];
  const yaml = { ...scenario.config, workflows: { [name]: options } };
  writeFileSync(config, JSON.stringify(yaml, null, 2)); // JSON is YAML
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...chaos.sandbox.env,
    ARX_HOME: join(home, '.arx'),
    DATABASE_URL: '',
    ARX_LOG_LEVEL: 'error',
  };
  const args = ['run', name, '--config', config, '--json'];

  const attempts: Array<{ point: KillPoint; killed: boolean; exit: Exit }> = [];
  for (const point of scenario.plan(between)) {
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
  return { chaos, reference, options };
}

/** Jira, through its own search API: one ticket per finding label, the same set as the uninterrupted run. */
async function assertTicketsExactlyOnce(outcome: ChaosOutcome, atLeast: number): Promise<void> {
  const ticketed = await findingLabels(outcome.chaos);
  const expected = await findingLabels(outcome.reference);
  const duplicates = [...ticketed].filter(([, n]) => n > 1).map(([label]) => label);
  assert.deepEqual(duplicates, [], 'no finding has two tickets');
  const missing = [...expected.keys()].filter((label) => !ticketed.has(label));
  const extra = [...ticketed.keys()].filter((label) => !expected.has(label));
  assert.deepEqual(missing, [], 'no in-scope finding is left without its ticket');
  assert.deepEqual(extra, [], 'no ticket for a finding out of scope');
  assert.ok(expected.size >= atLeast, `a tenant this size files many tickets (got ${expected.size})`);
}

/** PagerDuty, through its incident list: one incident per incident key, the same set as the uninterrupted run. */
async function assertPagesExactlyOnce(outcome: ChaosOutcome): Promise<number> {
  const keysOf = async (sandbox: WorkflowSandbox) =>
    (await sandbox.pagerdutyIncidents()).map((incident) => incident.incident_key).sort();
  const paged = await keysOf(outcome.chaos);
  const expected = await keysOf(outcome.reference);
  assert.deepEqual(
    paged.filter((key, i) => paged.indexOf(key) !== i),
    [],
    'no incident key was paged twice',
  );
  assert.deepEqual(paged, expected, 'every page of an uninterrupted run, once');
  return expected.length;
}

const skip = !testStoreDrivers().includes('pglite');

describe('chaos: a 5,000-finding run killed at random instants', { skip }, () => {
  it('ends with every ticket and digest exactly once, as an uninterrupted run', async (t) => {
    const outcome = await runWithKills(t, {
      workflow: wizFindingDistribution,
      findings: 5000,
      plan: (between) => [
        { tool: 'wiz', after: 1, delayMs: between(0, 400) }, // reading the issues
        { tool: 'jira', after: between(1, 6), delayMs: between(0, 40) }, // deduplicating / filing tickets
        { tool: 'jira', after: between(2, 12), delayMs: between(0, 40) },
        { tool: 'slack', after: between(1, 4), delayMs: between(0, 20) }, // posting the digests
      ],
    });
    await assertTicketsExactlyOnce(outcome, 500);

    // Slack, through conversations.history: each channel got the digests an uninterrupted run posts, once.
    const options = outcome.options as
      | { team_channel_map?: Record<string, string>; default_channel?: string }
      | undefined;
    const channels = [
      ...new Set([...Object.values(options?.team_channel_map ?? {}), options?.default_channel]),
    ].filter((c): c is string => typeof c === 'string');
    for (const channel of channels) {
      // a digest's text is its team, counts per severity and number of tickets: equal texts, equal news
      const posted = (await outcome.chaos.slackHistory(channel)).map((m) => m.text).sort();
      const uninterrupted = (await outcome.reference.slackHistory(channel)).map((m) => m.text).sort();
      assert.deepEqual(posted, uninterrupted, `the digests in ${channel}: each once, with every ticket`);
    }
    // PagerDuty: this workflow never pages; killing it must not have made it page either.
    assert.equal(await assertPagesExactlyOnce(outcome), 0);
  });

  it('pages each critical CVE once and files each Blocker once when escalation is killed mid-page', async (t) => {
    const outcome = await runWithKills(t, {
      workflow: criticalVulnEscalation,
      findings: 5000,
      // PagerDuty's documented ~1 incident/s would make this minutes long; the limit is not what is tested
      config: { connectors: { pagerduty: { rate_limits: { requests_per_second: 20, burst: 20 } } } },
      plan: (between) => [
        { tool: 'wiz', after: 1, delayMs: between(0, 200) }, // reading vulnerabilities
        { tool: 'pagerduty', after: between(1, 8), delayMs: between(0, 30) }, // paging
        { tool: 'pagerduty', after: between(2, 12), delayMs: between(0, 30) },
        { tool: 'jira', after: between(1, 4), delayMs: between(0, 30) }, // filing the Blockers
      ],
    });
    const pages = await assertPagesExactlyOnce(outcome);
    assert.ok(pages >= 10, `a tenant this size has many critical CVEs to page (got ${pages})`);
    await assertTicketsExactlyOnce(outcome, pages);
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
