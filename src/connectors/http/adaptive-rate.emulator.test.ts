import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createLogger } from '../../log/logger.js';
import { createJiraEmulator, JIRA_SANDBOX_CREDENTIALS } from '../../sandbox/jira/index.js';
import { mulberry32 } from '../../sandbox/kit/random.js';
import { type RunningEmulator, startEmulator } from '../../sandbox/kit/server.js';
import type { EmulatorStats } from '../../sandbox/kit/types.js';
import { createHttpClient } from './http-client.js';
import { createRateGovernor, type RateGovernor } from './rate-governor.js';
import { VENDOR_RATE_LIMITS } from './rate-limits.js';
import { seededRandom } from './retry.js';

/**
 * The adaptive governor against the Jira emulator with its realistic burst limit on (20/s per endpoint, which
 * Arx does not know: its table seeds 10/s), over real HTTP and real time. Counts come from the emulator's own
 * `/_sandbox/stats`; nothing here asserts a duration.
 */
const CALLS = 200;
const IN_FLIGHT = 8;
const EMULATOR_RATE = 20;
const ENDPOINT = 'issue.create';

describe('adaptive rate governor against the Jira emulator (rate=realistic)', () => {
  let emulator: RunningEmulator;
  before(async () => {
    const faults = { rateLimit: 'realistic' as const };
    emulator = await startEmulator(createJiraEmulator({ random: mulberry32(1), faults }), { faults });
  });
  after(() => emulator.close());

  test('learns close to the unpublished limit, with few 429s, every create applied exactly once', async (t) => {
    const seed = VENDOR_RATE_LIMITS.jira?.default.requests ?? 0;
    assert.ok(seed < EMULATOR_RATE, 'the table starts below what the emulator allows');
    const governor = createRateGovernor();
    const keys = await createIssues(emulator.url, governor, CALLS);
    const stats = await sandboxStats(emulator.url);

    assert.equal(new Set(keys).size, CALLS, 'every call answered with its own issue');
    const answered = stats.requests[ENDPOINT] ?? {};
    assert.equal(answered['201'], CALLS, 'the emulator applied each create once: none lost, none twice');
    const limited = answered['429'] ?? 0;
    assert.ok(limited <= 5, `few 429s (got ${limited})`);

    const learned = governor.state({ tool: 'jira', tenant: 'default', endpoint: ENDPOINT }).rate;
    t.diagnostic(`learned ${learned.toFixed(1)}/s from a seed of ${seed}/s; 429s received: ${limited}`);
    assert.ok(learned >= 0.75 * EMULATOR_RATE, `learned rate ${learned} is close to the emulator's 20/s`);
    assert.ok(learned <= 2 * EMULATOR_RATE, `learned rate ${learned} does not run away past it`);
  });
});

async function createIssues(baseUrl: string, governor: RateGovernor, count: number): Promise<string[]> {
  const { email, apiToken } = JIRA_SANDBOX_CREDENTIALS;
  const http = createHttpClient({
    tool: 'jira',
    baseUrl,
    governor,
    random: seededRandom(3),
    log: createLogger({ level: 'silent' }),
    auth: (headers) => headers.set('authorization', `Basic ${btoa(`${email}:${apiToken}`)}`),
  });
  const keys: string[] = [];
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    for (let n = next++; n < count; n = next++) {
      const res = await http.request<{ key: string }>({
        path: '/rest/api/3/issue',
        endpoint: ENDPOINT,
        json: {
          fields: {
            project: { key: 'SEC' },
            issuetype: { name: 'Bug' },
            summary: `governor call ${n}`,
            labels: [`call-${n}`],
          },
        },
      });
      keys.push(res.body.key);
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  const seconds = (performance.now() - started) / 1000;
  process.stderr.write(`# ${count} creates in ${seconds.toFixed(1)} s = ${(count / seconds).toFixed(1)}/s\n`);
  return keys;
}

async function sandboxStats(baseUrl: string): Promise<EmulatorStats> {
  return (await (await fetch(`${baseUrl}/_sandbox/stats`)).json()) as EmulatorStats;
}
