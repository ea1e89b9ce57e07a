import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { governanceSchema } from '../config/governance.js';
import type { AuditEntry } from '../store/audit-repo.js';
import { builtinCatalog } from './operations/index.js';
import { parseOpsJsonl, simulatePolicy, testPolicy } from './policy-lab.js';

const catalog = builtinCatalog();
const NOW = new Date('2026-03-02T12:00:00Z');
const strict = governanceSchema.parse({
  rules: [{ name: 'no-pages', verdict: 'deny', priority: 10, match: { connector: 'pagerduty' } }],
  drift: [{ principal: 'agent:*', systems: ['wiz'], operations: ['wiz:*'], response: 'deny' }],
});

describe('policy test', () => {
  it('decides each line in input order, as the gate would', () => {
    const ops = parseOpsJsonl(
      [
        '# comments and blank lines are skipped',
        '{"operation": "jira:issues:create", "principal": "workflow:x", "params": {"project": "SEC", "summary": "s"}, "resource": {"environment": "prod"}}',
        '',
        '{"operation": "pagerduty:incidents:create", "principal": {"id": "x", "kind": "workflow"}}',
        '{"operation": "jira:issues:create", "principal": "agent:triage"}',
        '{"operation": "jira:issue:create", "principal": "x"}',
        '{"operation": "jira:issues:create", "principal": "x", "params": {"project": "SEC"}}',
      ].join('\n'),
      'ops.jsonl',
    );
    const results = testPolicy({ governance: strict }, catalog, ops, NOW);
    assert.deepEqual(
      results.map((r) => [r.operation, r.verdict, r.rule, r.score]),
      [
        ['jira:issues:create', 'allow', '(thresholds)', 55],
        ['pagerduty:incidents:create', 'deny', 'no-pages', 45],
        ['jira:issues:create', 'deny', '(drift)', 35],
        ['jira:issue:create', 'deny', '(unknown-operation)', 0],
        ['jira:issues:create', 'deny', '(invalid-params)', 0],
      ],
    );
    assert.match(results[3]!.reasons[0]!, /did you mean "jira:issues:create"/);
  });

  it('names the file and line of a bad ops line', () => {
    assert.throws(
      () => parseOpsJsonl('{"operation": "a:b:c", "principal": "x"}\n{nope', 'ops.jsonl'),
      /ops\.jsonl:2: not JSON/,
    );
    assert.throws(() => parseOpsJsonl('{"principal": "x"}', 'ops.jsonl'), /ops\.jsonl:1: operation/);
  });
});

describe('policy simulate', () => {
  const intent = (
    seq: number,
    action: string,
    verdict: string,
    rule: string,
    extra: object = {},
  ): AuditEntry => ({
    seq,
    at: NOW.toISOString(),
    kind: 'intent',
    actor: 'workflow:x',
    action,
    verdict,
    risk: 45,
    run_id: null,
    payload: { principal: { id: 'x', kind: 'workflow' }, rule, recent_calls: 0, ...extra },
    prev_hash: '',
    hash: '',
  });

  it('lists recorded calls the proposed policy would decide differently, and skips what is not policy', () => {
    const report = simulatePolicy({ governance: strict }, catalog, [
      intent(1, 'pagerduty:incidents:create', 'allow', '(thresholds)'),
      intent(2, 'wiz:findings:read', 'allow', '(thresholds)'),
      intent(3, 'jira:issues:create', 'deny', '(kill-switch)'),
      intent(4, 'jira:issues:create', 'allow', '(thresholds)', { reconcile: true }),
    ]);
    assert.equal(report.replayed, 2);
    assert.equal(report.skipped, 2);
    assert.deepEqual(
      report.changed.map((c) => [c.seq, c.before.verdict, c.after.verdict, c.after.rule]),
      [[1, 'allow', 'deny', 'no-pages']],
    );
    assert.deepEqual(report.transitions, { 'allow→deny': 1 });
  });
});
