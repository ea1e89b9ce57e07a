import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UsageError } from '../../core/errors.js';
import { faultsFor, parseFaultSpec } from './fault-spec.js';

describe('parseFaultSpec', () => {
  it('reads settings per emulator', () => {
    assert.deepEqual(parseFaultSpec('wiz:latency=200,errors=0.1;slack:rate=realistic'), {
      wiz: { latencyMs: 200, errorRate: 0.1 },
      slack: { rateLimit: 'realistic' },
    });
  });

  it('reads timeouts, malformed, custom rates and switches', () => {
    assert.deepEqual(parseFaultSpec('jira:timeouts=0.05,malformed=0.2,rate=10/1m/key,legacyIds=on'), {
      jira: {
        timeoutRate: 0.05,
        malformedRate: 0.2,
        rateLimit: { requests: 10, windowMs: 60_000, scope: 'key' },
        switches: { legacyIds: true },
      },
    });
    assert.deepEqual(parseFaultSpec('qualys:rate=300/3600s').qualys?.rateLimit, {
      requests: 300,
      windowMs: 3_600_000,
      scope: 'service',
    });
  });

  it('applies * to every emulator, the named section winning', () => {
    const plan = parseFaultSpec('*:latency=50,errors=0.01;wiz:errors=0.5');
    assert.deepEqual(faultsFor(plan, 'wiz'), { latencyMs: 50, errorRate: 0.5 });
    assert.deepEqual(faultsFor(plan, 'slack'), { latencyMs: 50, errorRate: 0.01 });
  });

  it('treats an empty spec as no faults', () => {
    assert.deepEqual(parseFaultSpec(undefined), {});
    assert.deepEqual(parseFaultSpec('  '), {});
  });

  for (const bad of [
    'latency=200',
    'wiz:errors=2',
    'wiz:errors',
    'wiz:rate=fast',
    'wiz:rate=0/1s',
    'wiz:latency=-1',
  ]) {
    it(`rejects "${bad}" as a usage error naming the problem`, () => {
      assert.throws(
        () => parseFaultSpec(bad),
        (err: unknown) => {
          assert.ok(err instanceof UsageError);
          assert.match(err.message, /--faults/);
          return true;
        },
      );
    });
  }
});
