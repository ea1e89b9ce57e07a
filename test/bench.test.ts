import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeMachine } from '../bench/lib/machine.js';
import { readPlan } from '../bench/lib/plan.js';
import { renderTables } from '../bench/report/table.js';
import { checkTargets } from '../bench/report/targets.js';
import { runDistribution } from '../bench/scenarios/distribution.js';
import { lowerBound, rateBoundSeconds } from '../bench/scenarios/lower-bound.js';

/**
 * The bench's scenarios at a tiny size: they run, Arx and the naive baseline file the tickets the census
 * expects, the lower bound never exceeds what a correct run made, and a re-run writes nothing. No timing is
 * asserted (figures live in BENCHMARKS.md).
 */
it('distribution: Arx files what the census expects, within the bound it computes, and a re-run writes nothing', async () => {
  const { run, rerun } = await runDistribution({ findings: 60, rate: 'off', rerun: true, naive: true });
  assert.ok(run.census.newTickets > 0, 'the tenant has findings to ticket');
  assert.equal(run.tickets.created, run.census.newTickets);
  assert.equal(run.naive.tickets, run.census.newTickets, 'the naive baseline files the same tickets');
  for (const tool of ['wiz', 'jira', 'slack'] as const) {
    assert.ok(
      run.calls[tool] >= run.lower_bound[tool],
      `${tool}: a lower bound above a correct run is wrong`,
    );
  }
  assert.equal(run.calls.slack, run.census.teams, 'one digest per team');
  assert.equal(run.naive.slack, run.census.newTickets, 'the naive script posts once per ticket');
  assert.equal(rerun?.writes, 0);
  assert.deepEqual(Object.keys(rerun?.writes_by_tool ?? {}), []);

  const result = { mode: 'quick' as const, date: 'now', machine: describeMachine(), runs: [run] };
  const targets = checkTargets({ ...result, rerun: { ...rerun!, paged_reads: { wiz: 1 } } });
  assert.deepEqual(
    targets.map((t) => t.target),
    ['API calls vs lower bound', 'Re-run with no change'],
  );
  assert.match(renderTables({ ...result, targets }), /wiz-finding-distribution/);
});

it('lower bound: pages of 1000, bulk creates of 50, one dedupe listing, one digest per team', () => {
  const census = {
    inScope: 2001,
    openIssues: 150,
    findings: 2001,
    newTickets: 101,
    adopted: 3,
    teams: 4,
    messagesPerChannel: { '#a': 1, '#b': 1, '#c': 1, '#d': 1 },
    ticketsPerChannel: { '#a': 50, '#b': 51 },
  };
  const bound = lowerBound(census);
  assert.deepEqual(
    { wiz: bound.wiz, jira: bound.jira, slack: bound.slack },
    { wiz: 1 + 3, jira: 3 + 1, slack: 4 },
  );
  assert.equal(lowerBound(census, 250).parts.jiraDedupeReads, 3);
  assert.equal(lowerBound({ ...census, newTickets: 0 }).jira, 0, 'nothing to file, nothing to dedupe');
  // Jira limits each endpoint apart: the busiest one decides; Wiz counts every call on one bucket
  const limits = {
    wiz: { requests: 3, windowMs: 1000, scope: 'service' as const },
    jira: { requests: 20, windowMs: 1000, scope: 'key' as const },
  };
  assert.deepEqual(
    rateBoundSeconds({ wiz: { token: 1, reads: 5 }, jira: { create: 100, search: 3 } }, limits),
    {
      seconds: 5,
      tool: 'jira',
    },
  );
});

it('plan: --quick keeps to the small sizes; unknown scenarios are refused by name', () => {
  const quick = readPlan(['--quick', '--json']);
  assert.ok(quick !== 'help');
  assert.deepEqual(quick.sizes, [1000, 10_000]);
  assert.equal(quick.ingestFindings, 100_000);
  assert.equal(quick.json, true);
  const full = readPlan([]);
  assert.ok(full !== 'help');
  assert.deepEqual(full.sizes, [1000, 10_000, 100_000]);
  assert.equal(full.ingestFindings, 1_000_000);
  assert.throws(() => readPlan(['--only', 'ingset']), /unknown scenario "ingset"/);
});
