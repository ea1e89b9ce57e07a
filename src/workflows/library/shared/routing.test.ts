import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Finding } from '../../../core/finding/model.js';
import { teamRouter } from './routing.js';

/** Who owns a finding and where the team is told, in the documented order of precedence. */
const at = (account: string | undefined, owner?: string) =>
  ({
    resource: {
      uid: 'arn:aws:s3:::logs',
      type: 'AwsS3Bucket',
      tags: {},
      ...(account ? { account_uid: account } : {}),
      ...(owner !== undefined ? { owner } : {}),
    },
  }) as Pick<Finding, 'resource'>;

describe('teamRouter', () => {
  const routes = teamRouter({
    account_owner_map: { '111111111111': 'platform' },
    teams: { platform: { component: 'Platform', channel: '#platform-own' }, data: { assignee: 'acc-7' } },
    team_channel_map: { platform: '#platform-mapped', data: '#data-sec' },
    default_channel: '#security-findings',
    default_team: 'secops',
  });

  it('takes the team from the account map, then the resource’s owner tag, then the default', () => {
    assert.equal(routes.teamOf(at('111111111111', 'data')), 'platform');
    assert.equal(routes.teamOf(at('999999999999', 'data')), 'data');
    assert.equal(routes.teamOf(at('999999999999', '  ')), 'secops');
    assert.equal(routes.teamOf(at(undefined)), 'secops');
  });

  it('finds the channel in the team’s settings, then the channel map, then the default', () => {
    assert.equal(routes.routeFor('platform').channel, '#platform-own');
    assert.equal(routes.routeFor('data').channel, '#data-sec');
    assert.equal(routes.routeFor('web').channel, '#security-findings');
    assert.deepEqual(routes.routeOf(at(undefined, 'data')), {
      assignee: 'acc-7',
      team: 'data',
      channel: '#data-sec',
    });
  });
});
