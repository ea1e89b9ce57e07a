import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { riskWeightsSchema } from '../config/governance.js';
import { builtinCatalog } from './operations/index.js';
import { DEFAULT_RISK_WEIGHTS, scoreRisk } from './risk.js';

const op = (id: string) => builtinCatalog().get(id)!;

describe('risk score', () => {
  it('is the sum of verb, connector, frequency and target factors, each explained', () => {
    const result = scoreRisk({
      operation: op('jira:issues:create'),
      recentCalls: 0,
      resource: { environment: 'prod', tags: { data: 'pii' } },
    });
    const byFactor = Object.fromEntries(result.factors.map((f) => [f.factor, f]));
    assert.equal(byFactor.verb?.points, DEFAULT_RISK_WEIGHTS.verbs.write);
    assert.equal(byFactor.connector?.points, DEFAULT_RISK_WEIGHTS.connector_sensitivity.jira);
    assert.equal(byFactor.frequency?.points, 0);
    assert.equal(byFactor.target?.points, 20 + 15);
    assert.match(byFactor.target!.detail, /environment prod \+20, tag data=pii \+15/);
    assert.equal(
      result.score,
      result.factors.reduce((sum, f) => sum + f.points, 0),
    );
  });

  it('is deterministic and ranks a destructive prod change above a read', () => {
    const input = {
      operation: op('aws:ec2:revoke-security-group-ingress'),
      recentCalls: 3,
      resource: { environment: 'prod' },
    };
    assert.deepEqual(scoreRisk(input), scoreRisk(input));
    const read = scoreRisk({
      operation: op('wiz:findings:read'),
      recentCalls: 3,
      resource: { environment: 'prod' },
    });
    assert.ok(scoreRisk(input).score > read.score);
  });

  it('caps at 100', () => {
    const weights = riskWeightsSchema.parse({
      verbs: { destructive: 90 },
      connector_sensitivity: { aws: 50 },
    });
    assert.equal(
      scoreRisk({ operation: op('aws:ec2:revoke-security-group-ingress'), recentCalls: 0 }, weights).score,
      100,
    );
  });

  it('adds session frequency beyond the free calls, up to its cap', () => {
    const weights = riskWeightsSchema.parse({
      session_frequency: { free_calls: 10, points_per_call: 2, cap: 15 },
    });
    const points = (recentCalls: number) =>
      scoreRisk({ operation: op('slack:chat:write'), recentCalls }, weights).factors.find(
        (f) => f.factor === 'frequency',
      )!.points;
    assert.equal(points(10), 0);
    assert.equal(points(13), 6);
    assert.equal(points(500), 15);
  });

  it('gives unknown environments and connectors no extra points, and takes weights from config', () => {
    const weights = riskWeightsSchema.parse({ target_sensitivity: { environments: { sandbox: 7 } } });
    const result = scoreRisk(
      { operation: op('slack:chat:write'), recentCalls: 0, resource: { environment: 'sandbox' } },
      weights,
    );
    assert.equal(result.factors.find((f) => f.factor === 'target')?.points, 7);
    const unknown = scoreRisk({ operation: { id: 'x:y:z', verb: 'read', connector: 'x' }, recentCalls: 0 });
    assert.equal(unknown.score, DEFAULT_RISK_WEIGHTS.verbs.read);
  });
});
