import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { governanceSchema } from '../config/governance.js';
import { builtinCatalog } from './operations/index.js';
import { BUILTIN_RULES, evaluatePolicy, type PolicyRequest } from './policy.js';
import type { Principal } from './principal.js';

const catalog = builtinCatalog();
const workflow: Principal = { kind: 'workflow', id: 'wiz-distribution' };
const MONDAY_NOON = new Date('2026-03-02T12:00:00Z');

function settings(governance: unknown) {
  return governanceSchema.parse(governance);
}

function request(operationId: string, score: number, extra: Partial<PolicyRequest> = {}): PolicyRequest {
  return {
    operationId,
    operation: catalog.get(operationId),
    principal: workflow,
    resource: { environment: 'prod', tags: { team: 'payments' } },
    risk: { score, factors: [] },
    now: MONDAY_NOON,
    ...extra,
  };
}

const rule = (name: string, verdict: string, priority: number, match: object = {}, extra: object = {}) => ({
  name,
  verdict,
  priority,
  match,
  ...extra,
});

describe('policy verdict: evaluation order', () => {
  it('1. denies an unknown operation, whatever the rules say', () => {
    const result = evaluatePolicy(
      settings({ rules: [rule('all', 'allow', 100)] }),
      request('jira:issue:create', 1),
    );
    assert.equal(result.verdict, 'deny');
    assert.equal(result.rule, BUILTIN_RULES.unknownOperation);
  });

  it('2. the highest priority matching rule decides', () => {
    const s = settings({
      rules: [
        rule('low', 'deny', 1),
        rule('high', 'allow', 10),
        rule('other', 'deny', 50, { connector: 'aws' }),
      ],
    });
    const result = evaluatePolicy(s, request('jira:issues:create', 10));
    assert.deepEqual([result.verdict, result.rule], ['allow', 'high']);
    assert.match(result.reasons.join('\n'), /outranked: "low"/);
  });

  it('2. at equal priority the stricter verdict wins: deny > escalate > allow', () => {
    const allowEscalate = settings({ rules: [rule('a', 'allow', 5), rule('e', 'escalate', 5)] });
    assert.equal(evaluatePolicy(allowEscalate, request('jira:issues:create', 10)).rule, 'e');
    const all = settings({ rules: [rule('a', 'allow', 5), rule('d', 'deny', 5), rule('e', 'escalate', 5)] });
    assert.deepEqual(
      [
        evaluatePolicy(all, request('jira:issues:create', 10)).verdict,
        evaluatePolicy(all, request('jira:issues:create', 10)).rule,
      ],
      ['deny', 'd'],
    );
  });

  it('2. among equal priority and verdict, the first rule in the file names the decision', () => {
    const s = settings({ rules: [rule('first', 'allow', 5), rule('second', 'allow', 5)] });
    assert.equal(evaluatePolicy(s, request('jira:issues:create', 10)).rule, 'first');
  });

  it('3. an allow rule allows only below its max_risk, above it escalates', () => {
    const s = settings({ rules: [rule('tickets', 'allow', 1, {}, { max_risk: 60 })] });
    assert.equal(evaluatePolicy(s, request('jira:issues:create', 59)).verdict, 'allow');
    const at = evaluatePolicy(s, request('jira:issues:create', 60));
    assert.deepEqual([at.verdict, at.rule], ['escalate', 'tickets']);
    assert.match(at.reasons.join('\n'), /max_risk 60/);
  });

  it('3. max_risk defaults to risk_threshold', () => {
    const s = settings({ risk_threshold: 50, rules: [rule('tickets', 'allow', 1)] });
    assert.equal(evaluatePolicy(s, request('jira:issues:create', 49)).verdict, 'allow');
    assert.equal(evaluatePolicy(s, request('jira:issues:create', 50)).verdict, 'escalate');
  });

  it('3. escalate and deny rules decide whatever the score', () => {
    const s = settings({
      rules: [rule('review', 'escalate', 1), rule('never', 'deny', 2, { connector: 'aws' })],
    });
    assert.equal(evaluatePolicy(s, request('jira:issues:create', 1)).verdict, 'escalate');
    assert.equal(evaluatePolicy(s, request('aws:s3:put-public-access-block', 1)).verdict, 'deny');
  });

  it('4. with no matching rule: deny at/above deny_threshold, escalate at/above risk_threshold, else allow', () => {
    const s = settings({ rules: [rule('aws-only', 'allow', 1, { connector: 'aws' })] });
    const verdictAt = (score: number) => evaluatePolicy(s, request('jira:issues:create', score));
    assert.equal(verdictAt(69).verdict, 'allow');
    assert.equal(verdictAt(70).verdict, 'escalate');
    assert.equal(verdictAt(89).verdict, 'escalate');
    assert.equal(verdictAt(90).verdict, 'deny');
    assert.equal(verdictAt(90).rule, BUILTIN_RULES.thresholds);
    const custom = settings({ risk_threshold: 40, deny_threshold: 60 });
    assert.equal(evaluatePolicy(custom, request('jira:issues:create', 45)).verdict, 'escalate');
    assert.equal(evaluatePolicy(custom, request('jira:issues:create', 60)).verdict, 'deny');
  });

  it('5. an evaluation error denies (fail closed)', () => {
    const s = settings({
      rules: [rule('tw', 'allow', 1, { time_window: { start: '09:00', end: '17:00', timezone: 'UTC' } })],
    });
    const broken = {
      ...s,
      rules: [
        { ...s.rules[0]!, match: { time_window: { start: '09:00', end: '17:00', timezone: 'Not/AZone' } } },
      ],
    };
    const result = evaluatePolicy(broken, request('jira:issues:create', 1));
    assert.deepEqual([result.verdict, result.rule], ['deny', BUILTIN_RULES.evaluationError]);
  });
});

describe('policy verdict: rule matching', () => {
  const allowWhen = (match: object) =>
    settings({ rules: [rule('r', 'allow', 1, match)], risk_threshold: 70 });
  // a score the thresholds would escalate: only a matching allow rule (with max_risk 100) can allow it
  const decidedByRule = (match: object, req: PolicyRequest) =>
    evaluatePolicy(settings({ rules: [rule('r', 'deny', 1, match)] }), req).rule === 'r';

  it('matches on connector', () => {
    assert.equal(decidedByRule({ connector: 'jira' }, request('jira:issues:create', 10)), true);
    assert.equal(decidedByRule({ connector: ['wiz', 'slack'] }, request('jira:issues:create', 10)), false);
  });

  it('matches on operation globs', () => {
    assert.equal(decidedByRule({ operation: 'jira:*' }, request('jira:issues:create', 10)), true);
    assert.equal(decidedByRule({ operation: '*:*:create' }, request('pagerduty:incidents:create', 10)), true);
    assert.equal(
      decidedByRule({ operation: 'jira:issues:c?mment' }, request('jira:issues:comment', 10)),
      true,
    );
    assert.equal(
      decidedByRule({ operation: 'jira:issues:search' }, request('jira:issues:create', 10)),
      false,
    );
  });

  it('matches on principal id or kind:id globs', () => {
    assert.equal(decidedByRule({ principal: 'wiz-*' }, request('jira:issues:create', 10)), true);
    assert.equal(decidedByRule({ principal: 'workflow:*' }, request('jira:issues:create', 10)), true);
    assert.equal(decidedByRule({ principal: 'agent:*' }, request('jira:issues:create', 10)), false);
    const agent = request('jira:issues:create', 10, { principal: { kind: 'agent', id: 'triage' } });
    assert.equal(decidedByRule({ principal: 'agent:*' }, agent), true);
  });

  it('matches on the operation risk level', () => {
    assert.equal(
      decidedByRule({ risk_level: ['HIGH', 'CRITICAL'] }, request('aws:s3:put-public-access-block', 10)),
      true,
    );
    assert.equal(decidedByRule({ risk_level: 'HIGH' }, request('jira:issues:create', 10)), false);
  });

  it('matches on the verb class of the operation, whatever its tool', () => {
    assert.equal(
      decidedByRule({ verb: ['containment', 'destructive'] }, request('aws:s3:put-public-access-block', 10)),
      true,
    );
    assert.equal(decidedByRule({ verb: 'destructive' }, request('jira:issues:create', 10)), false);
    assert.equal(decidedByRule({ verb: 'write' }, request('jira:issues:create', 10)), true);
  });

  it('matches on environment; a resource without one does not match', () => {
    assert.equal(decidedByRule({ environment: 'prod' }, request('jira:issues:create', 10)), true);
    assert.equal(decidedByRule({ environment: ['dev'] }, request('jira:issues:create', 10)), false);
    assert.equal(
      decidedByRule({ environment: 'prod' }, request('jira:issues:create', 10, { resource: undefined })),
      false,
    );
  });

  it('matches on a time window, from the injected clock', () => {
    const hours = { time_window: { days: ['mon'], start: '09:00', end: '17:00', timezone: 'UTC' } };
    assert.equal(decidedByRule(hours, request('jira:issues:create', 10)), true);
    assert.equal(
      decidedByRule(hours, request('jira:issues:create', 10, { now: new Date('2026-03-02T20:00:00Z') })),
      false,
    );
    assert.equal(
      decidedByRule(hours, request('jira:issues:create', 10, { now: new Date('2026-03-03T12:00:00Z') })),
      false,
    );
  });

  it('matches on resource attributes by dotted path; every listed attribute must hold', () => {
    assert.equal(
      decidedByRule({ resource: { 'tags.team': 'payments' } }, request('jira:issues:create', 10)),
      true,
    );
    assert.equal(
      decidedByRule(
        { resource: { 'tags.team': ['identity', 'payments'] } },
        request('jira:issues:create', 10),
      ),
      true,
    );
    assert.equal(
      decidedByRule(
        { resource: { 'tags.team': 'payments', environment: 'dev' } },
        request('jira:issues:create', 10),
      ),
      false,
    );
    assert.equal(
      decidedByRule({ resource: { 'tags.owner': 'x' } }, request('jira:issues:create', 10)),
      false,
    );
  });

  it('requires every condition of a rule to hold', () => {
    const match = { connector: 'jira', environment: 'dev' };
    assert.equal(decidedByRule(match, request('jira:issues:create', 10)), false);
    assert.equal(
      evaluatePolicy(allowWhen({ connector: 'jira' }), request('jira:issues:create', 10)).verdict,
      'allow',
    );
  });

  it('names the deciding rule and its reasons in every verdict', () => {
    const result = evaluatePolicy(
      settings({ rules: [rule('tickets', 'allow', 3, { operation: 'jira:*', environment: 'prod' })] }),
      request('jira:issues:create', 40),
    );
    assert.equal(result.rule, 'tickets');
    assert.equal(result.score, 40);
    assert.match(
      result.reasons[0]!,
      /rule "tickets" \(priority 3\) matched: operation jira:issues:create ~ jira:\*, environment prod/,
    );
  });
});
