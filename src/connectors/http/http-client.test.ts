import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { TestClock } from '../../core/clock.js';
import { ArxError } from '../../core/errors.js';
import { createLogger } from '../../log/logger.js';
import { createCallStats } from './call-stats.js';
import { createCircuitBreaker } from './circuit-breaker.js';
import { createHttpClient, type HttpClientOptions } from './http-client.js';
import { createRateGovernor } from './rate-governor.js';
import { RETRY_DEFAULT, RETRY_NONE, seededRandom } from './retry.js';
import { hang, json, raw, startTestServer, type TestServer } from './test-server.js';

const silent = createLogger({ level: 'silent' });

function client(server: TestServer, clock: TestClock, extra: Partial<HttpClientOptions> = {}) {
  return createHttpClient({
    tool: 'wiz',
    baseUrl: server.url,
    clock,
    governor: createRateGovernor({ clock }),
    random: seededRandom(7),
    log: silent,
    ...extra,
  });
}

async function rejection(promise: Promise<unknown>): Promise<ArxError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof ArxError, `expected ArxError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected the call to fail');
}

describe('http client against a loopback server', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer(json(200, {}));
  });
  after(() => server.close());

  test('429 with Retry-After pauses the bucket for that long, then succeeds', async () => {
    server.script(json(429, { error: 'slow down' }, { 'retry-after': '2' }), json(200, { ok: 1 }));
    const clock = new TestClock();
    const start = clock.now().getTime();
    const http = client(server, clock);
    const res = await http.request<{ ok: number }>({
      path: '/graphql',
      json: { query: '{x}' },
      endpoint: 'graphql',
    });
    assert.deepEqual(res.body, { ok: 1 });
    assert.equal(server.requests.length, 2);
    assert.ok(clock.now().getTime() - start >= 2000, 'waited at least Retry-After');
    assert.deepEqual(http.calls(), { wiz: 2 });
  });

  test('Retry-After longer than the profile allows fails fast, still retryable for the step', async () => {
    server.script(json(429, {}, { 'retry-after': '3600' }));
    const err = await rejection(client(server, new TestClock()).request({ path: '/x' }));
    assert.equal(err.code, 'rate_limited');
    assert.equal(err.retryable, true);
    assert.equal(server.requests.length, 1);
    assert.equal(err.details?.retryAfterMs, 15 * 60_000, 'pause capped by the governor');
  });

  test('5xx is retried with backoff and then succeeds', async () => {
    server.script(raw(503, 'busy'), raw(502, 'bad gateway'), json(200, { done: true }));
    const clock = new TestClock();
    const res = await client(server, clock).request({ path: '/issues' });
    assert.deepEqual(res.body, { done: true });
    assert.equal(server.requests.length, 3);
  });

  test('5xx on every attempt gives up after the profile and says so', async () => {
    server.script(raw(500, 'boom'));
    const err = await rejection(client(server, new TestClock()).request({ path: '/issues' }));
    assert.equal(server.requests.length, RETRY_DEFAULT.maxAttempts);
    assert.equal(err.code, 'tool_unavailable');
    assert.equal(err.fault, 'tool');
    assert.match(err.message, /HTTP 500: boom/);
  });

  test('400 is not retried and keeps a snippet of the body', async () => {
    server.script(json(400, { errorMessages: ['Field "summary" is required'] }), json(200, {}));
    const err = await rejection(
      client(server, new TestClock()).request({ path: '/rest/api/3/issue', json: {} }),
    );
    assert.equal(server.requests.length, 1);
    assert.equal(err.code, 'invalid_request');
    assert.equal(err.fault, 'caller');
    assert.equal(err.retryable, false);
    assert.match(String(err.details?.snippet), /summary\\" is required/);
  });

  test('a call that never answers times out with a retryable timeout error', async () => {
    server.script(hang);
    const http = client(server, new TestClock(), { timeoutMs: 100, retry: RETRY_NONE });
    const err = await rejection(http.request({ path: '/slow' }));
    assert.equal(err.code, 'timeout');
    assert.equal(err.retryable, true);
  });

  test('truncated JSON is a clear, retryable malformed_response; an HTML page is not retryable', async () => {
    server.script(raw(200, '{"data":{"issues":{"nod', { 'content-type': 'application/json' }));
    const http = client(server, new TestClock(), { retry: RETRY_NONE });
    const err = await rejection(http.request({ path: '/graphql' }));
    assert.equal(err.code, 'malformed_response');
    assert.equal(err.retryable, true);
    assert.match(err.message, /not valid JSON/);

    server.script(raw(200, '<html><body>Login</body></html>', { 'content-type': 'text/html' }));
    const html = await rejection(http.request({ path: '/graphql' }));
    assert.equal(html.code, 'malformed_response');
    assert.equal(html.retryable, false);
    assert.match(html.hint ?? '', /base URL/);
  });

  test('401 calls the refresh hook once and retries with the new credential', async () => {
    server.script((req, res) => {
      const ok = req.headers.authorization === 'Bearer fresh-token-2';
      res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' });
      res.end(JSON.stringify(ok ? { data: 1 } : { error: 'expired' }));
    });
    let token = 'stale-token-1';
    let refreshes = 0;
    const http = client(server, new TestClock(), {
      auth: (headers) => headers.set('authorization', `Bearer ${token}`),
      onUnauthorized: () => {
        refreshes += 1;
        token = 'fresh-token-2';
      },
    });
    const res = await http.request({ path: '/graphql', json: {} });
    assert.deepEqual(res.body, { data: 1 });
    assert.equal(refreshes, 1);
    assert.deepEqual(
      server.requests.map((r) => r.headers.authorization),
      ['Bearer stale-token-1', 'Bearer fresh-token-2'],
    );
  });

  test('a second 401 fails as unauthorized without leaking the credential the server echoed', async () => {
    server.script((req, res) => {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'bad credential', got: req.headers.authorization }));
    });
    let refreshes = 0;
    const http = client(server, new TestClock(), {
      auth: (headers) => headers.set('authorization', 'Bearer s3cr3t-value-xyz'),
      onUnauthorized: () => {
        refreshes += 1;
      },
    });
    const err = await rejection(http.request({ path: '/graphql' }));
    assert.equal(err.code, 'unauthorized');
    assert.equal(refreshes, 1);
    assert.equal(server.requests.length, 2);
    const everything = JSON.stringify({ message: err.message, details: err.details, hint: err.hint });
    assert.ok(!everything.includes('s3cr3t-value-xyz'), everything);
  });

  test('the breaker opens after consecutive failures, fails fast, then half-opens after the cool-down', async () => {
    server.script(raw(500, 'down'));
    const clock = new TestClock();
    const breaker = createCircuitBreaker({ clock, failureThreshold: 2, coolDownMs: 10_000 });
    const http = client(server, clock, { breaker, retry: RETRY_NONE });
    const call = () => http.request({ path: '/api', endpoint: 'api' });
    await rejection(call());
    await rejection(call());
    const open = await rejection(call());
    assert.equal(open.code, 'circuit_open');
    assert.equal(open.retryable, true);
    assert.equal(server.requests.length, 2, 'no request reached the server while open');

    clock.tick(10_000);
    server.script(json(200, { back: true }));
    assert.deepEqual((await call()).body, { back: true });
    assert.equal(breaker.state({ tool: 'wiz', endpoint: 'api' }), 'closed');
  });

  test('a failed half-open probe re-opens the circuit', async () => {
    server.script(raw(503, 'still down'));
    const clock = new TestClock();
    const breaker = createCircuitBreaker({ clock, failureThreshold: 1, coolDownMs: 5_000 });
    const http = client(server, clock, { breaker, retry: RETRY_NONE });
    await rejection(http.request({ path: '/a', endpoint: 'a' }));
    clock.tick(5_000);
    const probe = await rejection(http.request({ path: '/a', endpoint: 'a' }));
    assert.equal(probe.code, 'tool_unavailable');
    assert.equal((await rejection(http.request({ path: '/a', endpoint: 'a' }))).code, 'circuit_open');
    assert.equal(server.requests.length, 2);
  });

  test('Qualys 409 with rate-limit headers is a retryable rate limit; a plain 409 is a conflict', async () => {
    server.script(
      raw(409, '<SIMPLE_RETURN/>', { 'x-ratelimit-towait-sec': '30', 'x-ratelimit-remaining': '0' }),
      raw(200, '<OK/>'),
    );
    const clock = new TestClock();
    const start = clock.now().getTime();
    const qualys = client(server, clock, { tool: 'qualys' });
    const res = await qualys.request<string>({ path: '/api/2.0/fo/asset/host/vm/detection/', parse: 'text' });
    assert.equal(res.body, '<OK/>');
    assert.ok(clock.now().getTime() - start >= 30_000);

    server.script(json(409, { error: 'exists' }));
    const err = await rejection(client(server, new TestClock()).request({ path: '/x' }));
    assert.equal(err.code, 'conflict');
    assert.equal(server.requests.length, 1);
  });

  test('query, form and json bodies are encoded; auth and default headers are sent', async () => {
    server.script(json(200, {}));
    const http = client(server, new TestClock(), {
      defaultHeaders: { 'x-requested-with': 'arx' },
      auth: (h) => h.set('authorization', 'Basic dXNlcjpwYXNz'),
    });
    await http.request({ path: 'api/2.0/fo/', query: { action: 'list', ids: [1, 2], skip: undefined } });
    await http.request({
      path: '/oauth/token',
      form: { grant_type: 'client_credentials', audience: 'wiz-api' },
    });
    const [get, post] = server.requests;
    assert.equal(get?.url, '/api/2.0/fo/?action=list&ids=1&ids=2');
    assert.equal(get?.headers['x-requested-with'], 'arx');
    assert.equal(post?.method, 'POST');
    assert.equal(post?.headers['content-type'], 'application/x-www-form-urlencoded');
    assert.equal(post?.body, 'grant_type=client_credentials&audience=wiz-api');
  });

  test('an absolute URL on another origin is refused before credentials leave', async () => {
    server.script(json(200, {}));
    const err = await rejection(
      client(server, new TestClock()).request({ path: 'http://198.51.100.1/steal' }),
    );
    assert.equal(err.code, 'url_outside_base');
    assert.equal(server.requests.length, 0);
  });

  test('shared call stats count calls per tool and endpoint', async () => {
    server.script(json(200, {}));
    const stats = createCallStats();
    const clock = new TestClock();
    const wiz = client(server, clock, { stats });
    const jira = client(server, clock, { stats, tool: 'jira' });
    await wiz.request({ path: '/graphql', endpoint: 'graphql.issues' });
    await wiz.request({ path: '/graphql', endpoint: 'graphql.issues' });
    await jira.request({ path: '/rest/api/3/issue', endpoint: 'issue.create', json: {} });
    assert.deepEqual(stats.calls(), { wiz: 2, jira: 1 });
    assert.deepEqual(stats.byEndpoint().wiz, { 'graphql.issues': 2 });
  });

  test('a refused connection is a retryable network error that names the tool', async () => {
    const closed = await startTestServer(json(200, {}));
    const url = closed.url;
    await closed.close();
    const http = createHttpClient({ tool: 'jira', baseUrl: url, retry: RETRY_NONE, log: silent });
    const err = await rejection(http.request({ path: '/x' }));
    assert.equal(err.code, 'network_error');
    assert.equal(err.retryable, true);
    assert.match(err.message, /^jira GET/);
  });
});

test('a base URL that is not http(s) is a caller error naming the tool', () => {
  assert.throws(
    () => createHttpClient({ tool: 'qualys', baseUrl: 'qualysapi.qualys.com' }),
    (err: unknown) => err instanceof ArxError && err.code === 'invalid_base_url' && err.fault === 'caller',
  );
});
