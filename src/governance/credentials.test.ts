import assert from 'node:assert/strict';
import { test } from 'node:test';
import { connectorsSchema } from '../config/connectors.js';
import { secrets } from '../core/secrets.js';
import { ConfigCredentialBroker } from './credentials.js';

const request = (connector: string) => ({
  connector,
  operation: `${connector}:x:y`,
  principal: 'workflow:t',
});

test('the environment overrides a value arx.yaml holds only as the schema default (a public API host)', async () => {
  const connectors = connectorsSchema.parse({ slack: { bot_token: 'xoxb-from-yaml' } });
  const broker = new ConfigCredentialBroker(connectors, { SLACK_API_URL: 'http://127.0.0.1:4003/api/' });
  const creds = await broker.resolve(request('slack'));
  assert.equal(creds.api_url, 'http://127.0.0.1:4003/api/');
  assert.equal(creds.bot_token, 'xoxb-from-yaml');
});

test('a value written in arx.yaml wins over the environment', async () => {
  const connectors = connectorsSchema.parse({ slack: { api_url: 'https://slack.example.org/api/' } });
  const broker = new ConfigCredentialBroker(connectors, {
    SLACK_API_URL: 'http://127.0.0.1:4003/api/',
    SLACK_BOT_TOKEN: 'xoxb-from-env',
  });
  const creds = await broker.resolve(request('slack'));
  assert.equal(creds.api_url, 'https://slack.example.org/api/');
  assert.equal(creds.bot_token, 'xoxb-from-env');
});

test('a disabled connector resolves no credentials', async () => {
  const connectors = connectorsSchema.parse({ jira: { enabled: false } });
  const broker = new ConfigCredentialBroker(connectors, { JIRA_API_TOKEN: 'secret-token' });
  await assert.rejects(broker.resolve(request('jira')), /disabled/);
});

test('the broker reads the variables the field declarations name, for a connector governance never names', async () => {
  const fields = {
    tickets: [
      { name: 'token', config: 'api_token', env: 'TICKETS_TOKEN', description: 'token', secret: true },
      { name: 'site', config: 'site', description: 'set in arx.yaml only' },
    ],
  };
  const broker = new ConfigCredentialBroker({} as never, { TICKETS_TOKEN: ' tk-1 ', site: 'x' }, fields);
  assert.deepEqual({ ...(await broker.resolve(request('tickets'))) }, { api_token: 'tk-1' });
  assert.deepEqual({ ...(await broker.resolve(request('slack'))) }, {});
});

test('a value the connector declares secret is scrubbed from then on, whatever its name', async () => {
  const connectors = connectorsSchema.parse({
    aws: { role_arn: 'arn:aws:iam::123456789012:role/arx', external_id: 'ext-7f3a9c' },
  });
  const creds = await new ConfigCredentialBroker(connectors, {}).resolve(request('aws'));
  assert.equal(creds.external_id, 'ext-7f3a9c');
  assert.equal(secrets.scrub('assume with ext-7f3a9c'), 'assume with [REDACTED]');
  assert.equal(secrets.scrub(creds.role_arn!), 'arn:aws:iam::123456789012:role/arx', 'not secret: kept');
});
