import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { mulberry32 } from '../kit/random.js';
import { type RunningEmulator, startEmulator } from '../kit/server.js';
import type { FaultSpec } from '../kit/types.js';
import { createPagerDutyEmulator, type PagerDutyEmulatorOptions } from './index.js';

/** Contract tests: PagerDuty Events API v2 and REST API v2 over real HTTP with plain fetch (no usable SDK). */

const running: RunningEmulator[] = [];
after(async () => {
  for (const emulator of running) await emulator.close();
});

// biome-ignore lint/suspicious/noExplicitAny: the tests read arbitrary response JSON
type Json = Record<string, any>;

async function pagerduty(options: PagerDutyEmulatorOptions = {}, faults: FaultSpec = {}) {
  const def = createPagerDutyEmulator({ random: mulberry32(11) }, options);
  const emulator = await startEmulator(def, { faults });
  running.push(emulator);
  const env = def.env(emulator.url);
  const send = async (url: string, init: RequestInit) => {
    const res = await fetch(url, init);
    const text = await res.text();
    return { status: res.status, headers: res.headers, json: (text ? JSON.parse(text) : undefined) as Json };
  };
  const event = (body: Record<string, unknown>) =>
    send(`${env.PAGERDUTY_EVENTS_URL}/v2/enqueue`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ routing_key: env.PAGERDUTY_ROUTING_KEY, ...body }),
    });
  const rest = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    send(`${env.PAGERDUTY_API_URL}${path}`, {
      method,
      headers: {
        authorization: `Token token=${env.PAGERDUTY_API_KEY}`,
        accept: 'application/vnd.pagerduty+json;version=2',
        'content-type': 'application/json',
        from: env.PAGERDUTY_FROM_EMAIL!,
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  return { emulator, env: env as Record<string, string>, event, rest };
}

const trigger = (dedupKey?: string, summary = 'Public bucket') => ({
  event_action: 'trigger',
  ...(dedupKey ? { dedup_key: dedupKey } : {}),
  payload: { summary, source: 'arn:aws:s3:::prod-customer-uploads', severity: 'critical' },
});

const newIncident = (serviceId: string, key?: string) => ({
  incident: {
    type: 'incident',
    title: 'Wiz CRITICAL: prod-customer-uploads public',
    service: { id: serviceId, type: 'service_reference' },
    ...(key ? { incident_key: key } : {}),
    body: { type: 'incident_body', details: 'Bucket is public.' },
  },
});

describe('PagerDuty emulator: Events API v2', () => {
  it('answers 202 and opens one incident per open dedup_key, visible over REST with incident_key = dedup_key', async () => {
    const { event, rest } = await pagerduty();
    const first = await event(trigger('wiz:8f3e'));
    assert.equal(first.status, 202);
    assert.deepEqual(first.json, { status: 'success', message: 'Event processed', dedup_key: 'wiz:8f3e' });
    assert.equal((await event(trigger('wiz:8f3e', 'again'))).status, 202);

    const list = await rest('GET', '/incidents?incident_key=wiz%3A8f3e');
    assert.equal(list.json.incidents.length, 1, 'a trigger on an open key does not open a second incident');
    const incident = list.json.incidents[0];
    assert.equal(incident.status, 'triggered');
    assert.equal(incident.alert_counts.all, 2);
    assert.equal(incident.urgency, 'high');
    assert.equal(incident.title, 'Public bucket');
  });

  it('acknowledges and resolves by dedup_key; after resolve the key opens a new incident', async () => {
    const { event, rest } = await pagerduty();
    await event(trigger('k1'));
    await event({ event_action: 'acknowledge', dedup_key: 'k1' });
    assert.equal((await rest('GET', '/incidents?incident_key=k1')).json.incidents[0].status, 'acknowledged');
    await event({ event_action: 'resolve', dedup_key: 'k1' });
    const dropped = await event({ event_action: 'resolve', dedup_key: 'k1' });
    assert.equal(dropped.status, 202, 'resolving a resolved key is accepted and dropped');
    await event(trigger('k1'));
    const incidents = (await rest('GET', '/incidents?incident_key=k1')).json.incidents;
    assert.deepEqual(
      incidents.map((i: Json) => i.status),
      ['resolved', 'triggered'],
    );
  });

  it('generates a dedup_key when a trigger has none', async () => {
    const { event } = await pagerduty();
    const a = await event(trigger());
    const b = await event(trigger());
    assert.equal(typeof a.json.dedup_key, 'string');
    assert.notEqual(a.json.dedup_key, b.json.dedup_key);
  });

  it('answers 400 with errors for invalid events and unparseable bodies', async () => {
    const { event, env } = await pagerduty();
    const shortKey = await event({ ...trigger('x'), routing_key: 'short' });
    assert.equal(shortKey.status, 400);
    assert.equal(shortKey.json.status, 'invalid event');
    assert.deepEqual(shortKey.json.errors, [
      "Length of 'routing_key' is incorrect (should be 32 characters)",
    ]);
    const noPayload = await event({ event_action: 'trigger', payload: { summary: 'x', severity: 'fatal' } });
    assert.deepEqual(noPayload.json.errors, [
      "'payload.source' is missing or blank",
      "'payload.severity' is invalid (must be one of critical, error, warning, info)",
    ]);
    const noKey = await event({ event_action: 'resolve' });
    assert.deepEqual(noKey.json.errors, ["'dedup_key' is missing or blank"]);
    const garbage = await fetch(`${env.PAGERDUTY_EVENTS_URL}/v2/enqueue`, {
      method: 'POST',
      body: '{not json',
    });
    assert.equal(garbage.status, 400);
    assert.equal(((await garbage.json()) as Json).status, 'Unrecognized object');
  });

  it('matches dedup keys per routing key: the same key on another service is another incident', async () => {
    const { event, rest, env } = await pagerduty({ services: [{ name: 'A' }, { name: 'B' }] });
    const services = (await rest('GET', '/services?include[]=integrations')).json.services;
    const otherKey = services[1].integrations[0].integration_key;
    assert.notEqual(otherKey, env.PAGERDUTY_ROUTING_KEY);
    await event(trigger('shared'));
    await event({ ...trigger('shared'), routing_key: otherKey });
    assert.equal((await rest('GET', '/incidents?incident_key=shared')).json.incidents.length, 2);
  });

  it('serves events only on the events URL', async () => {
    const { env } = await pagerduty();
    const wrongHost = await fetch(`${env.PAGERDUTY_API_URL}/v2/enqueue`, { method: 'POST', body: '{}' });
    assert.equal(wrongHost.status, 401, 'the REST side wants a token, as api.pagerduty.com would');
  });
});

describe('PagerDuty emulator: REST incidents', () => {
  it('creates with From (201) and rejects a duplicate open incident_key with 400', async () => {
    const { rest, env } = await pagerduty();
    const created = await rest('POST', '/incidents', newIncident(env.PAGERDUTY_SERVICE_ID!, 'wiz-8f3e'));
    assert.equal(created.status, 201);
    assert.match(created.json.incident.id, /^P[A-Z0-9]{6}$/);
    assert.equal(created.json.incident.incident_key, 'wiz-8f3e');
    assert.equal(created.json.incident.summary, `[#1] ${created.json.incident.title}`);
    const duplicate = await rest('POST', '/incidents', newIncident(env.PAGERDUTY_SERVICE_ID!, 'wiz-8f3e'));
    assert.equal(duplicate.status, 400);
    assert.deepEqual(duplicate.json, {
      error: {
        message: 'Invalid Input Provided',
        code: 2001,
        errors: ["Open incident with key 'wiz-8f3e' already exists"],
      },
    });
  });

  it('treats an event-created open incident as a duplicate for REST create', async () => {
    const { rest, event, env } = await pagerduty();
    await event(trigger('from-events'));
    const duplicate = await rest('POST', '/incidents', newIncident(env.PAGERDUTY_SERVICE_ID!, 'from-events'));
    assert.equal(duplicate.status, 400);
  });

  it('requires From, a valid token and a known service', async () => {
    const { rest, env } = await pagerduty();
    const noFrom = await rest('POST', '/incidents', newIncident(env.PAGERDUTY_SERVICE_ID!), { from: '' });
    assert.equal(noFrom.status, 400);
    assert.equal(noFrom.json.error.code, 2001);
    const badToken = await rest('GET', '/incidents', undefined, { authorization: 'Token token=nope' });
    assert.equal(badToken.status, 401);
    assert.equal(badToken.json.error.code, 2006);
    const noService = await rest('POST', '/incidents', newIncident('PNOPE00'));
    assert.equal(noService.status, 400);
    assert.equal(noService.json.error.code, 5002);
    const badBody = await rest('POST', '/incidents', {
      incident: {
        ...newIncident(env.PAGERDUTY_SERVICE_ID!).incident,
        body: { type: 'incident_body', details: {} },
      },
    });
    assert.deepEqual(badBody.json.error.errors, ['Incident body details must be a string']);
  });

  it('lists with status filters and offset pagination (limit, offset, more, total)', async () => {
    const { rest, env } = await pagerduty();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      ids.push(
        (await rest('POST', '/incidents', newIncident(env.PAGERDUTY_SERVICE_ID!, `k${i}`))).json.incident.id,
      );
    }
    await rest('PUT', `/incidents/${ids[0]}`, {
      incident: { type: 'incident_reference', status: 'resolved' },
    });
    const seen: string[] = [];
    let offset = 0;
    let more = true;
    while (more) {
      const page = await rest(
        'GET',
        `/incidents?statuses[]=triggered&statuses[]=acknowledged&limit=2&offset=${offset}&total=true`,
      );
      assert.equal(page.json.total, 4);
      seen.push(...page.json.incidents.map((i: Json) => i.id));
      more = page.json.more;
      offset += page.json.limit;
    }
    assert.deepEqual(seen, ids.slice(1));
    assert.equal((await rest('GET', '/incidents?limit=2')).json.total, null, 'total only when asked for');
    assert.equal((await rest('GET', '/incidents?statuses[]=open')).status, 400);
  });

  it('acknowledges then resolves; refuses changes to a resolved incident (1001) and re-acknowledging (1002)', async () => {
    const { rest, env } = await pagerduty();
    const { id } = (await rest('POST', '/incidents', newIncident(env.PAGERDUTY_SERVICE_ID!))).json.incident;
    const ack = await rest('PUT', `/incidents/${id}`, {
      incident: { type: 'incident_reference', status: 'acknowledged' },
    });
    assert.equal(ack.status, 200);
    assert.equal(ack.json.incident.acknowledgements.length, 1);
    const again = await rest('PUT', `/incidents/${id}`, {
      incident: { type: 'incident_reference', status: 'acknowledged' },
    });
    assert.equal(again.json.error.code, 1002);
    const resolved = await rest('PUT', `/incidents/${id}`, {
      incident: { type: 'incident_reference', status: 'resolved' },
    });
    assert.equal(resolved.json.incident.status, 'resolved');
    assert.ok(resolved.json.incident.resolved_at);
    const after = await rest('PUT', `/incidents/${id}`, {
      incident: { type: 'incident_reference', status: 'acknowledged' },
    });
    assert.equal(after.status, 400);
    assert.equal(after.json.error.code, 1001);
    assert.equal((await rest('GET', '/incidents/PNOPE00')).json.error.code, 2100);
  });

  it('can insist on the documented Accept header', async () => {
    const { rest, emulator } = await pagerduty();
    assert.equal((await rest('GET', '/incidents', undefined, { accept: 'application/json' })).status, 200);
    emulator.setFaults({ switches: { requireAcceptHeader: true } });
    assert.equal((await rest('GET', '/incidents', undefined, { accept: 'application/json' })).status, 400);
    assert.equal((await rest('GET', '/incidents')).status, 200);
  });

  it('adds notes to an incident', async () => {
    const { rest, env } = await pagerduty();
    const { id } = (await rest('POST', '/incidents', newIncident(env.PAGERDUTY_SERVICE_ID!))).json.incident;
    const note = await rest('POST', `/incidents/${id}/notes`, { note: { content: 'Ticket SEC-12 filed' } });
    assert.equal(note.status, 201);
    assert.equal((await rest('GET', `/incidents/${id}/notes`)).json.notes[0].content, 'Ticket SEC-12 filed');
  });
});

describe('PagerDuty emulator: rate limits', () => {
  it('throttles events per routing key with 429 and does not ingest the event', async () => {
    const { event, rest } = await pagerduty(
      {},
      { rateLimit: { requests: 2, windowMs: 60_000, scope: 'key' } },
    );
    await event(trigger('a'));
    await event(trigger('b'));
    const limited = await event(trigger('c'));
    assert.equal(limited.status, 429);
    assert.equal(limited.json.status, 'throttle exceeded');
    assert.equal(limited.headers.get('retry-after'), null);
    const keys = (await rest('GET', '/incidents')).json.incidents.map((i: Json) => i.incident_key);
    assert.deepEqual(keys, ['a', 'b']);
  });

  it('answers REST 429 with code 2020 and ratelimit-* headers', async () => {
    const { rest } = await pagerduty({}, { rateLimit: { requests: 1, windowMs: 60_000, scope: 'key' } });
    const ok = await rest('GET', '/incidents');
    assert.equal(ok.headers.get('ratelimit-limit'), '1');
    const limited = await rest('GET', '/incidents');
    assert.equal(limited.status, 429);
    assert.deepEqual(limited.json, { error: { message: 'Rate Limit Exceeded', code: 2020 } });
    assert.equal(limited.headers.get('ratelimit-remaining'), '0');
    assert.ok(Number(limited.headers.get('ratelimit-reset')) >= 1);
  });
});
