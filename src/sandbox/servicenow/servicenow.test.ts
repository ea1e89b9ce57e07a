import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { mulberry32 } from '../kit/random.js';
import { type RunningEmulator, startEmulator } from '../kit/server.js';
import type { FaultSpec } from '../kit/types.js';
import {
  createServiceNowEmulator,
  SERVICENOW_SANDBOX_CREDENTIALS,
  type ServiceNowEmulatorOptions,
} from './index.js';

/** Contract tests: the ServiceNow Table API emulator over real HTTP with plain fetch. */

const running: RunningEmulator[] = [];
after(async () => {
  for (const emulator of running) await emulator.close();
});

// biome-ignore lint/suspicious/noExplicitAny: the tests read arbitrary response JSON
type Json = Record<string, any>;
const AUTH = `Basic ${Buffer.from(`${SERVICENOW_SANDBOX_CREDENTIALS.username}:${SERVICENOW_SANDBOX_CREDENTIALS.password}`).toString('base64')}`;
const TABLE = '/api/now/table/incident';

async function servicenow(options: ServiceNowEmulatorOptions = {}, faults: FaultSpec = {}) {
  const emulator = await startEmulator(createServiceNowEmulator({ random: mulberry32(5) }, options), {
    faults,
  });
  running.push(emulator);
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${emulator.url}${path}`, {
      method,
      headers: {
        authorization: AUTH,
        accept: 'application/json',
        'content-type': 'application/json',
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, json: (text ? JSON.parse(text) : undefined) as Json };
  };
  const create = async (fields: Record<string, unknown>, query = '') => {
    const res = await call('POST', `${TABLE}${query}`, fields);
    assert.equal(res.status, 201);
    return res.json.result as Json;
  };
  return { emulator, call, create };
}

const finding = (key: string) => ({
  short_description: `[Wiz][CRITICAL] Public bucket ${key}`,
  description: `Wiz issue ${key}`,
  urgency: '1',
  impact: '1',
  category: 'security',
  correlation_id: `wiz:${key}`,
  correlation_display: 'Wiz',
});

describe('ServiceNow emulator: Table API', () => {
  it('refuses requests without valid Basic credentials in the Table API error shape', async () => {
    const { call } = await servicenow();
    const res = await call('GET', TABLE, undefined, { authorization: 'Basic bm9wZTpub3Bl' });
    assert.equal(res.status, 401);
    assert.deepEqual(res.json, {
      error: { message: 'User Not Authenticated', detail: 'Required to provide Auth information' },
      status: 'failure',
    });
  });

  it('creates an incident (201, Location, string values) and computes priority from impact and urgency', async () => {
    const { call, emulator } = await servicenow();
    const res = await call(
      'POST',
      `${TABLE}?sysparm_fields=sys_id,number,state,priority,active`,
      finding('8f3e'),
    );
    assert.equal(res.status, 201);
    const { result } = res.json;
    assert.match(result.sys_id, /^[0-9a-f]{32}$/);
    assert.equal(result.number, 'INC0010001');
    assert.deepEqual(
      { state: result.state, priority: result.priority, active: result.active },
      {
        state: '1',
        priority: '1',
        active: 'true',
      },
    );
    assert.equal(res.headers.get('location'), `${emulator.url}${TABLE}/${result.sys_id}`);
    assert.deepEqual(Object.keys(result).sort(), ['active', 'number', 'priority', 'state', 'sys_id']);
  });

  it('finds by correlation_id with ^ (AND), ^OR and operators, and pages with limit/offset, X-Total-Count and Link', async () => {
    const { call, create } = await servicenow();
    for (let i = 0; i < 5; i++) await create(finding(`k${i}`));
    const one = await call(
      'GET',
      `${TABLE}?sysparm_query=correlation_id=wiz:k3^active=true&sysparm_limit=1&sysparm_fields=number`,
    );
    assert.deepEqual(one.json.result, [{ number: 'INC0010004' }]);
    const either = await call(
      'GET',
      `${TABLE}?sysparm_query=correlation_id=wiz:k0^ORcorrelation_id=wiz:k4^ORDERBYDESCnumber&sysparm_fields=number`,
    );
    assert.deepEqual(
      either.json.result.map((r: Json) => r.number),
      ['INC0010005', 'INC0010001'],
    );
    const like = await call(
      'GET',
      `${TABLE}?sysparm_query=short_descriptionLIKEbucket k2&sysparm_fields=number`,
    );
    assert.equal(like.json.result.length, 1);

    const page = await call('GET', `${TABLE}?sysparm_limit=2&sysparm_offset=2&sysparm_fields=number`);
    assert.deepEqual(
      page.json.result.map((r: Json) => r.number),
      ['INC0010003', 'INC0010004'],
    );
    assert.equal(page.headers.get('x-total-count'), '5');
    const link = page.headers.get('link') ?? '';
    assert.match(link, /sysparm_offset=4[^>]*>;rel="next"/);
    assert.match(link, /sysparm_offset=0[^>]*>;rel="prev"/);
    const last = await call('GET', `${TABLE}?sysparm_limit=2&sysparm_offset=4`);
    assert.doesNotMatch(last.headers.get('link') ?? '', /rel="next"/);
  });

  it('drops conditions on unknown fields, widening the result, unless the invalidQuery switch says otherwise', async () => {
    const { call, create, emulator } = await servicenow();
    await create(finding('a'));
    await create(finding('b'));
    const typo = await call('GET', `${TABLE}?sysparm_query=corelation_id=wiz:a`);
    assert.equal(typo.json.result.length, 2, 'ServiceNow ignores the invalid condition');
    emulator.setFaults({ switches: { invalidQuery: 'empty' } });
    assert.equal((await call('GET', `${TABLE}?sysparm_query=corelation_id=wiz:a`)).json.result.length, 0);
    emulator.setFaults({ switches: { invalidQuery: 'error' } });
    assert.equal((await call('GET', `${TABLE}?sysparm_query=corelation_id=wiz:a`)).status, 400);
  });

  it('updates with PATCH, enforcing the resolve data policy (403) and keeping Resolved active until closed', async () => {
    const { call, create } = await servicenow();
    const { sys_id: id } = await create(finding('r'));
    const refused = await call('PATCH', `${TABLE}/${id}`, { state: '6' });
    assert.equal(refused.status, 403);
    assert.match(refused.json.error.detail, /mandatory: Resolution code, Resolution notes/);
    const resolved = await call('PATCH', `${TABLE}/${id}`, {
      state: '6',
      close_code: 'Solved (Permanently)',
      close_notes: 'Bucket made private',
      work_notes: 'Closed by Arx',
    });
    assert.equal(resolved.status, 200);
    assert.equal(resolved.json.result.state, '6');
    assert.equal(resolved.json.result.active, 'true');
    assert.ok(resolved.json.result.resolved_at);
    assert.equal(resolved.json.result.work_notes, '', 'journal fields are write-only');
    assert.equal(resolved.json.result.sys_mod_count, '1');
    const closed = await call('PUT', `${TABLE}/${id}`, { state: '7' });
    assert.equal(closed.json.result.active, 'false');
    const open = await call('GET', `${TABLE}?sysparm_query=correlation_id=wiz:r^active=true`);
    assert.equal(open.json.result.length, 0);
  });

  it('shows references as links or display values and answers 404/400 in the failure shape', async () => {
    const { call, create } = await servicenow();
    const { sys_id: id } = await create({
      ...finding('d'),
      assignment_group: '287ebd7da9fe198100f92cc8d1d2154e',
    });
    const plain = await call('GET', `${TABLE}/${id}?sysparm_fields=assignment_group,state`);
    assert.deepEqual(plain.json.result.assignment_group, {
      link: plain.json.result.assignment_group.link,
      value: '287ebd7da9fe198100f92cc8d1d2154e',
    });
    assert.match(plain.json.result.assignment_group.link, /\/api\/now\/table\/sys_user_group\/287ebd7d/);
    const display = await call('GET', `${TABLE}/${id}?sysparm_fields=state&sysparm_display_value=true`);
    assert.equal(display.json.result.state, 'New');
    const missing = await call('GET', `${TABLE}/0000`);
    assert.equal(missing.status, 404);
    assert.equal(missing.json.status, 'failure');
    assert.equal((await call('GET', '/api/now/table/nope')).status, 400);
    const badJson = await fetch(`${(await servicenow()).emulator.url}${TABLE}`, {
      method: 'POST',
      headers: { authorization: AUTH, 'content-type': 'application/json' },
      body: '{oops',
    });
    assert.equal(badJson.status, 400);
  });

  it('serves the versioned path too, and answers 429 with Retry-After and X-RateLimit-* when a rule is set', async () => {
    const { call } = await servicenow({}, { rateLimit: { requests: 1, windowMs: 3_600_000, scope: 'key' } });
    assert.equal((await call('GET', '/api/now/v1/table/incident')).status, 200);
    const limited = await call('GET', TABLE);
    assert.equal(limited.status, 429);
    assert.ok(Number(limited.headers.get('retry-after')) >= 1);
    assert.match(limited.headers.get('x-ratelimit-reset') ?? '', /^\d{10}$/);
    assert.equal(limited.json.status, 'failure');
  });
});
