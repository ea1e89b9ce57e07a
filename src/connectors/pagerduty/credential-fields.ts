import type { CredentialField } from '../kit/credentials.js';

/**
 * PagerDuty has two credentials for two APIs (api-contracts §4): the Events API v2 integration key
 * (routing key, in the event body) and a REST API key (`Authorization: Token token=…`) with a `From` user
 * email for writes. Either may be configured alone; each operation says which one it needs.
 */
export const PAGERDUTY_DEFAULT_API_URL = 'https://api.pagerduty.com';
export const PAGERDUTY_DEFAULT_EVENTS_URL = 'https://events.pagerduty.com/v2/enqueue';

export const PAGERDUTY_CREDENTIAL_FIELDS: readonly CredentialField[] = [
  {
    name: 'apiKey',
    config: 'api_key',
    env: 'PAGERDUTY_API_KEY',
    secret: true,
    description: 'PagerDuty REST API key',
    identifies: true,
  },
  {
    name: 'routingKey',
    config: 'routing_key',
    env: 'PAGERDUTY_ROUTING_KEY',
    secret: true,
    description: 'Events API v2 integration (routing) key',
    identifies: true,
  },
  {
    name: 'serviceId',
    config: 'service_id',
    env: 'PAGERDUTY_SERVICE_ID',
    description: 'default service for new incidents',
  },
  {
    name: 'from',
    config: 'from',
    env: 'PAGERDUTY_FROM',
    description: 'email of the PagerDuty user REST writes are made as',
  },
  {
    name: 'apiUrl',
    config: 'api_url',
    env: 'PAGERDUTY_API_URL',
    default: PAGERDUTY_DEFAULT_API_URL,
    description: 'REST API base URL',
  },
  {
    name: 'eventsUrl',
    config: 'events_url',
    env: 'PAGERDUTY_EVENTS_URL',
    default: PAGERDUTY_DEFAULT_EVENTS_URL,
    description: 'Events API v2 URL',
  },
];
