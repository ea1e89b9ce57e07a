import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import type { ConfigError } from '../../core/errors.js';
import { secrets } from '../../core/secrets.js';
import { defineWorkflow, fromEnv } from './define.js';
import { resolveOptions } from './options.js';

const workflow = defineWorkflow({
  name: 'distribution',
  description: 'test',
  connectors: ['jira'],
  options: z.object({
    project_key: fromEnv('JIRA_PROJECT_KEY', z.string().default('SEC')),
    batch: fromEnv('BATCH', z.number().int().min(1).default(50)),
    qualys_enabled: fromEnv('QUALYS_ENABLED', z.boolean().default(false)),
    severities: fromEnv(
      'SEVERITIES',
      z.array(z.enum(['CRITICAL', 'HIGH', 'MEDIUM'])).default(['CRITICAL', 'HIGH']),
    ),
    team_channels: fromEnv('TEAM_CHANNEL_MAP', z.record(z.string(), z.string()).default({})),
    webhook_token: fromEnv('WEBHOOK_TOKEN', z.string().optional()),
  }),
  run: async () => {},
});

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    return err as ConfigError;
  }
  assert.fail('expected a ConfigError');
}

describe('resolveOptions', () => {
  it('takes arx.yaml first, then the environment variable, then the default', () => {
    const options = resolveOptions(
      workflow,
      { project_key: 'CLOUD' },
      { JIRA_PROJECT_KEY: 'VULN', BATCH: '20' },
    );
    assert.equal(options.project_key, 'CLOUD');
    assert.equal(options.batch, 20);
    assert.deepEqual(options.severities, ['CRITICAL', 'HIGH']);
  });

  it('reads numbers, booleans, lists and maps from variable text', () => {
    const options = resolveOptions(workflow, undefined, {
      QUALYS_ENABLED: 'true',
      SEVERITIES: 'CRITICAL, MEDIUM',
      TEAM_CHANNEL_MAP: 'platform=#platform-sec,data=#data-sec',
    });
    assert.equal(options.qualys_enabled, true);
    assert.deepEqual(options.severities, ['CRITICAL', 'MEDIUM']);
    assert.deepEqual(options.team_channels, { platform: '#platform-sec', data: '#data-sec' });
    const fromJson = resolveOptions(workflow, undefined, { TEAM_CHANNEL_MAP: '{"platform":"C0123"}' });
    assert.deepEqual(fromJson.team_channels, { platform: 'C0123' });
  });

  it('names the arx.yaml path, the variable and the fix for every problem at once', () => {
    const err = configError(() =>
      resolveOptions(workflow, { projekt_key: 'X', batch: 0 }, { SEVERITIES: 'CRITICAL,LOW' }),
    );
    assert.equal(err.code, 'config_invalid');
    const byPath = Object.fromEntries(err.issues.map((i) => [i.path, i]));
    assert.equal(byPath['workflows.distribution.projekt_key']?.suggestion, 'project_key');
    assert.match(byPath['workflows.distribution.batch']?.message ?? '', /1/);
    const severities = err.issues.find((i) => i.path.startsWith('workflows.distribution.severities'));
    assert.match(severities?.message ?? '', /\(read from \$SEVERITIES\)/);
    assert.match(severities?.allowed ?? '', /fix \$SEVERITIES, or set workflows\.distribution\.severities/);
  });

  it('registers a secret-looking variable so it is never printed', () => {
    resolveOptions(workflow, undefined, { WEBHOOK_TOKEN: 'wh-secret-value-123' });
    assert.equal(secrets.scrub('token wh-secret-value-123'), 'token [REDACTED]');
  });
});
