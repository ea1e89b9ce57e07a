import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { zeroCounts } from '../../workflows/sdk/counters.js';
import type { PlanEntry } from '../plan.js';
import type { RunSummary } from '../summary.js';
import { summaryLines } from './summary-text.js';

function summary(overrides: Partial<RunSummary> = {}): RunSummary {
  return {
    runId: 'run-1',
    workflow: 'wiz-finding-distribution',
    status: 'succeeded',
    dryRun: false,
    attempt: 1,
    resumed: false,
    startedAt: '2026-03-02T12:00:00.000Z',
    finishedAt: '2026-03-02T12:00:12.300Z',
    durationMs: 12_300,
    counts: { ...zeroCounts(), findingsRead: 1000, ticketsCreated: 212, messages: 5, denied: 1 },
    extra: {},
    effects: { performed: 217, reconciled: 1, replayed: 0, existing: 40, planned: 0 },
    apiCalls: { wiz: 12, jira: 220, slack: 5 },
    denials: [
      {
        operation: 'wiz:issues:update',
        rule: 'no-wiz-writes',
        reason: 'write-back to Wiz is not allowed',
        kind: 'policy',
      },
    ],
    failures: [],
    approvals: [],
    ...overrides,
  };
}

describe('summaryLines', () => {
  it('says what the run did, what was refused and where the calls went', () => {
    const text = summaryLines(summary({ sandbox: { findings: 1000, seed: 1 } })).join('\n');
    assert.match(text, /^✔ wiz-finding-distribution finished in 12\.3 s/);
    assert.match(text, /against the built-in sandbox \(1000 findings, seed 1\)/);
    assert.match(text, /findings read +1000/);
    assert.match(text, /tickets created +212/);
    assert.match(text, /operations denied +1/);
    assert.match(text, /API calls +jira 220, slack 5, wiz 12/);
    assert.match(text, /writes +217 sent, 1 found after an interruption, 40 already done by earlier runs/);
    assert.match(
      text,
      /Denied \(1\):\n {2}wiz:issues:update by no-wiz-writes: write-back to Wiz is not allowed/,
    );
    assert.doesNotMatch(text, /targets failed/, 'a zero failure count is not shown');
  });

  it("names a workflow's own counters in words", () => {
    const text = summaryLines(summary({ extra: { ticketsLinked: 7, duplicatesMerged: 3 } })).join('\n');
    assert.match(text, /tickets linked +7/);
    assert.match(text, /duplicates merged +3/);
  });

  it('prints a dry run plan grouped, then the first entries, then how many more', () => {
    const plan: PlanEntry[] = Array.from({ length: 25 }, (_, i) => ({
      operation: 'jira:issues:create',
      outcome: 'would_run',
      target: `fk_${i}`,
      why: 'new CRITICAL finding',
    }));
    plan.push({
      operation: 'slack:chat:write',
      outcome: 'denied',
      rule: 'quiet-hours',
      reason: 'outside hours',
    });
    const text = summaryLines(summary({ dryRun: true, plan }), { planLines: 3 }).join('\n');
    assert.match(text, /\(dry run: nothing was written\)/);
    assert.match(
      text,
      /Plan \(26 writes\):\n {2}would jira:issues:create ×25\n {2}denied: slack:chat:write ×1/,
    );
    assert.match(text, /would jira:issues:create fk_0: new CRITICAL finding\n/);
    assert.match(text, /… and 23 more \(the whole plan is in --json\)/);
  });

  it('ends a stopped run with the reason and the fix', () => {
    const text = summaryLines(
      summary({
        status: 'stopped',
        error: 'stopped at its next write (jira:issues:create): all writes are frozen',
        hint: 'lift it with `arx resume`',
      }),
    ).join('\n');
    assert.match(text, /^■ wiz-finding-distribution was stopped/);
    assert.match(
      text,
      /■ stopped at its next write \(jira:issues:create\): all writes are frozen\n {2}lift it with `arx resume`$/,
    );
  });
});
