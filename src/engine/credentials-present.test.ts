import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultConfig } from '../config/schema.js';
import { credentialStatus } from './credentials-present.js';

describe('credentialStatus', () => {
  const none = defaultConfig().connectors;

  it('finds nothing configured on a fresh machine: the run goes to the sandbox', () => {
    const status = credentialStatus(['wiz', 'jira', 'slack'], none, {});
    assert.deepEqual(status.configured, []);
    assert.deepEqual(
      status.missing.map((m) => [m.connector, m.variables]),
      [
        ['wiz', ['WIZ_CLIENT_ID', 'WIZ_CLIENT_SECRET']],
        ['jira', ['JIRA_API_TOKEN']],
        ['slack', ['SLACK_BOT_TOKEN']],
      ],
    );
  });

  it('counts credentials from the README variables or arx.yaml, but not URLs alone', () => {
    const config = {
      ...none,
      slack: { bot_token: 'xoxb-1', enabled: true, api_url: 'https://slack.com/api' },
    };
    const status = credentialStatus(['wiz', 'jira', 'slack'], config as typeof none, {
      WIZ_CLIENT_ID: 'id',
      JIRA_URL: 'https://acme.atlassian.net',
    });
    assert.deepEqual(status.configured, ['wiz', 'slack']);
    assert.deepEqual(
      status.missing.map((m) => m.connector),
      ['jira'],
    );
  });

  it('has nothing to say about a connector without a credential convention', () => {
    assert.deepEqual(credentialStatus(['tickets'], none, {}), { configured: [], missing: [] });
  });
});
