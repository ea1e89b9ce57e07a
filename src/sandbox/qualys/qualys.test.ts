import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import { type RunningEmulator, startEmulator } from '../kit/server.js';
import { isQualysHost } from '../tenant/hosts.js';
import { DemoTenant } from '../tenant/tenant.js';
import { vulnerabilityNode } from '../wiz/nodes.js';
import { vulnerabilitySource } from '../wiz/sources.js';
import { createQualysEmulator, QUALYS_SANDBOX_CREDENTIALS } from './index.js';

const tenant = new DemoTenant({ seed: 5, findings: 400, anchor: '2026-03-01T00:00:00Z' });
let qualys: RunningEmulator;
const parser = new XMLParser({
  ignoreAttributes: false,
  isArray: (name) => ['HOST', 'DETECTION', 'VULN', 'CVE'].includes(name),
});
const auth = `Basic ${Buffer.from(`${QUALYS_SANDBOX_CREDENTIALS.username}:${QUALYS_SANDBOX_CREDENTIALS.password}`).toString('base64')}`;
const headers = { authorization: auth, 'x-requested-with': 'arx-test' };

before(async () => {
  qualys = await startEmulator(createQualysEmulator({ seed: 5, tenant, random: Math.random }), {
    faults: { rateLimit: { requests: 10_000, windowMs: 3_600_000, scope: 'key' } },
  });
});
after(() => qualys.close());

const DETECTION = '/api/2.0/fo/asset/host/vm/detection/';

async function get(pathAndQuery: string, extra: Record<string, string> = headers) {
  const res = await fetch(pathAndQuery.startsWith('http') ? pathAndQuery : `${qualys.url}${pathAndQuery}`, {
    headers: extra,
  });
  return { res, text: await res.text() };
}

type Host = {
  ID: number;
  IP: string;
  DNS: string;
  DETECTION_LIST: { DETECTION: Array<Record<string, unknown>> };
};

async function allHosts(query: string): Promise<{ hosts: Host[]; pages: number }> {
  const hosts: Host[] = [];
  let url: string | undefined = `${DETECTION}?${query}`;
  let pages = 0;
  while (url) {
    const { res, text } = await get(url);
    assert.equal(res.status, 200, text);
    const doc = parser.parse(text).HOST_LIST_VM_DETECTION_OUTPUT.RESPONSE;
    hosts.push(...(doc.HOST_LIST?.HOST ?? []));
    pages++;
    url = doc.WARNING?.CODE === 1980 ? doc.WARNING.URL : undefined;
  }
  return { hosts, pages };
}

describe('Qualys emulator: host list detection', () => {
  it('pages hosts in ascending ID with the WARNING 1980 / URL scheme', async () => {
    const { hosts, pages } = await allHosts('action=list&truncation_limit=10&show_results=0');
    const expected = Array.from({ length: tenant.hosts }, (_, h) => h).filter(isQualysHost).length;
    assert.ok(hosts.length > 10 && hosts.length <= expected);
    assert.equal(pages, Math.ceil(hosts.length / 10));
    const ids = hosts.map((h) => h.ID);
    assert.deepEqual(
      ids,
      [...ids].sort((a, b) => a - b),
    );
    assert.equal(new Set(ids).size, ids.length);
  });

  it('keeps the original parameters in the next-page URL', async () => {
    const { text } = await get(`${DETECTION}?action=list&truncation_limit=2&severities=4-5`);
    const url = new URL(parser.parse(text).HOST_LIST_VM_DETECTION_OUTPUT.RESPONSE.WARNING.URL);
    assert.equal(url.searchParams.get('severities'), '4-5');
    assert.equal(url.searchParams.get('truncation_limit'), '2');
    assert.ok(Number(url.searchParams.get('id_min')) > 0);
  });

  it('has no WARNING when the page holds the last host exactly', async () => {
    const { hosts } = await allHosts('action=list&truncation_limit=1000');
    const { text } = await get(`${DETECTION}?action=list&truncation_limit=${hosts.length}`);
    const doc = parser.parse(text).HOST_LIST_VM_DETECTION_OUTPUT.RESPONSE;
    assert.equal(doc.HOST_LIST.HOST.length, hosts.length);
    assert.equal(doc.WARNING, undefined);
  });

  it('filters by severities and status, and reports the same CVE hosts as Wiz (IP + DNS)', async () => {
    const { hosts } = await allHosts('action=list&severities=5&status=New,Active,Re-Opened,Fixed&show_qds=1');
    for (const host of hosts) for (const d of host.DETECTION_LIST.DETECTION) assert.equal(d.SEVERITY, 5);
    const wizVulns = Array.from({ length: tenant.count('vuln') }, (_, v) =>
      vulnerabilityNode(tenant, vulnerabilitySource(tenant).match(v)!),
    );
    const host = hosts[0]!;
    const sameHost = wizVulns.filter((v) => v.vulnerableAsset.ipAddresses[0] === host.IP);
    assert.ok(sameHost.length > 0);
    assert.equal(sameHost[0]!.vulnerableAsset.hostname, host.DNS);
  });

  it('leaves Fixed detections out unless asked for', async () => {
    const open = await allHosts('action=list');
    const statuses = open.hosts.flatMap((h) => h.DETECTION_LIST.DETECTION.map((d) => d.STATUS));
    assert.ok(!statuses.includes('Fixed'));
    const fixed = await allHosts('action=list&status=Fixed');
    for (const h of fixed.hosts) for (const d of h.DETECTION_LIST.DETECTION) assert.equal(d.STATUS, 'Fixed');
  });

  it('accepts POST with form parameters', async () => {
    const res = await fetch(`${qualys.url}${DETECTION}`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'action=list&truncation_limit=1',
    });
    const doc = parser.parse(await res.text()).HOST_LIST_VM_DETECTION_OUTPUT.RESPONSE;
    assert.equal(doc.HOST_LIST.HOST.length, 1);
  });

  it('answers bad parameters, missing X-Requested-With and bad credentials in SIMPLE_RETURN', async () => {
    const bad = await get(`${DETECTION}?action=list&severities=high`);
    assert.equal(bad.res.status, 400);
    assert.equal(parser.parse(bad.text).SIMPLE_RETURN.RESPONSE.CODE, 1905);
    const unknown = await get(`${DETECTION}?action=list&colour=blue`);
    assert.match(parser.parse(unknown.text).SIMPLE_RETURN.RESPONSE.TEXT, /colour/);
    assert.equal((await get(`${DETECTION}?action=list`, { authorization: auth })).res.status, 400);
    const login = await get(`${DETECTION}?action=list`, {
      authorization: 'Basic bm86bm8=',
      'x-requested-with': 't',
    });
    assert.equal(login.res.status, 401);
    assert.equal(parser.parse(login.text).SIMPLE_RETURN.RESPONSE.CODE, 2000);
  });
});

describe('Qualys emulator: knowledge base', () => {
  it('maps QIDs to CVEs for the QIDs in detections, with ranges', async () => {
    const { hosts } = await allHosts('action=list&truncation_limit=5');
    const qids = [
      ...new Set(hosts.flatMap((h) => h.DETECTION_LIST.DETECTION.map((d) => Number(d.QID)))),
    ].slice(0, 5);
    const { res, text } = await get(
      `/api/2.0/fo/knowledge_base/vuln/?action=list&details=All&ids=${qids.join(',')}`,
    );
    assert.equal(res.status, 200);
    const vulns = parser.parse(text).KNOWLEDGE_BASE_VULN_LIST_OUTPUT.RESPONSE.VULN_LIST.VULN;
    assert.deepEqual(vulns.map((v: { QID: number }) => v.QID).sort(), [...qids].sort());
    for (const v of vulns) assert.match(v.CVE_LIST.CVE[0].ID, /^CVE-\d{4}-\d+$/);
    const range = await get('/api/2.0/fo/knowledge_base/vuln/?action=list&ids=370000-370009');
    assert.ok(parser.parse(range.text).KNOWLEDGE_BASE_VULN_LIST_OUTPUT.RESPONSE.VULN_LIST.VULN.length >= 1);
  });
});

describe('Qualys emulator: rate limits', () => {
  it('reports X-RateLimit headers on every call and answers 409 with ToWait-Sec when blocked', async () => {
    const limited = await startEmulator(createQualysEmulator({ seed: 5, tenant, random: Math.random }), {
      faults: { rateLimit: { requests: 2, windowMs: 3_600_000, scope: 'key' } },
    });
    try {
      const first = await fetch(`${limited.url}${DETECTION}?action=list&truncation_limit=1`, { headers });
      assert.equal(first.status, 200);
      assert.equal(first.headers.get('x-ratelimit-limit'), '2');
      assert.equal(first.headers.get('x-ratelimit-remaining'), '1');
      assert.equal(first.headers.get('x-ratelimit-window-sec'), '3600');
      assert.equal(first.headers.get('x-concurrency-limit-limit'), '2');
      await first.text();
      await (await fetch(`${limited.url}${DETECTION}?action=list&truncation_limit=1`, { headers })).text();
      const blocked = await fetch(`${limited.url}${DETECTION}?action=list`, { headers });
      assert.equal(blocked.status, 409);
      assert.equal(blocked.headers.get('x-ratelimit-remaining'), '0');
      assert.equal(blocked.headers.get('x-ratelimit-towait-sec'), '1800');
      assert.equal(parser.parse(await blocked.text()).SIMPLE_RETURN.RESPONSE.CODE, 1965);
      assert.deepEqual(limited.stats().requests['host.detection.list'], { '200': 2, '409': 1 });
    } finally {
      await limited.close();
    }
  });

  it('cuts the XML short under the malformed fault', async () => {
    qualys.setFaults({ malformedRate: 1 });
    try {
      const { text } = await get(`${DETECTION}?action=list&truncation_limit=2`);
      assert.ok(!text.includes('</HOST_LIST_VM_DETECTION_OUTPUT>'));
    } finally {
      qualys.setFaults({});
    }
  });
});
