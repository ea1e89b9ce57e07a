import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { TestClock } from '../clock.js';
import { ArxError, ConfigError, UsageError } from '../errors.js';
import { loadIntel, refreshedSnapshotPath } from './load.js';
import { updateIntel } from './update.js';

const fixtures = new URL('./fixtures/', import.meta.url);
const fixturePath = (name: string) => new URL(name, fixtures).pathname;
const fixture = (name: string) => readFile(new URL(name, fixtures), 'utf8');
const clock = new TestClock('2025-09-02T00:00:00Z');
const home = () => mkdtemp(join(tmpdir(), 'arx-intel-'));

/** A feed server on loopback: paths map to [status, body]. */
let server: Server;
let base: string;
const routes = new Map<string, [number, string | Buffer]>();
const authorizations: Array<string | undefined> = [];

before(async () => {
  routes.set('/kev.json', [200, await fixture('kev-sample.json')]);
  routes.set('/epss.csv.gz', [200, gzipSync(await fixture('epss-first-sample.csv'))]);
  routes.set('/broken.csv', [200, 'cve,epss,percentile\nCVE-2021-44228,0.9,1.5\n']);
  routes.set('/down', [503, 'maintenance']);
  server = createServer((req, res) => {
    authorizations.push(req.headers.authorization);
    const [status, body] = routes.get(new URL(req.url ?? '/', 'http://x').pathname) ?? [404, 'not found'];
    res.writeHead(status).end(body);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((ok) => server.close(() => ok())));

describe('updateIntel', () => {
  it('refreshes from URLs (gzip included) and loadIntel then prefers the refreshed snapshot', async () => {
    const dir = await home();
    assert.equal((await loadIntel({ home: dir })).origin, 'shipped');
    const result = await updateIntel({
      home: dir,
      kev: `${base}/kev.json`,
      epss: `${base}/epss.csv.gz`,
      clock,
    });
    assert.equal(result.previous, 'shipped');
    assert.equal(result.diff.kev.after, 4);
    assert.equal(result.diff.kev.removed.length, 1400);
    assert.equal(result.diff.epss.model_version, 'v2025.03.14');
    assert.equal(result.warnings.length, 2, 'both feeds shrank a lot: warned');

    const intel = await loadIntel({ home: dir });
    assert.equal(intel.origin, 'refreshed');
    assert.equal(intel.snapshot.generated_at, '2025-09-02T00:00:00.000Z');
    assert.equal(intel.snapshot.kev.source, `${base}/kev.json`);
    assert.deepEqual(intel.lookup('cve-2023-4966')?.epss, {
      score: 0.94302,
      percentile: 0.99937,
      date: '2025-08-26',
    });
    // CVSS was not in the FIRST feed, so the shipped NVD scores are kept
    assert.equal(intel.lookup('CVE-2023-4966')?.cvss, 9.4);
    // a CVE dropped from KEV keeps no KEV facts
    assert.equal(intel.lookup('CVE-2024-3400')?.kev, undefined);
  });

  it('updating one source keeps the other, and reports what KEV added', async () => {
    const dir = await home();
    await updateIntel({ home: dir, kev: fixturePath('kev-sample.json'), clock });
    const bigger = JSON.parse(await fixture('kev-sample.json'));
    bigger.vulnerabilities.push({ ...bigger.vulnerabilities[0], cveID: 'CVE-2025-99999' });
    bigger.count = bigger.vulnerabilities.length;
    const file = join(dir, 'kev-next.json');
    await writeFile(file, JSON.stringify(bigger));
    const result = await updateIntel({ home: dir, kev: file, clock });
    assert.deepEqual(result.diff.kev.added, ['CVE-2025-99999']);
    assert.deepEqual(result.diff.kev.removed, []);
    assert.equal(result.diff.epss.after, 1404, 'the shipped EPSS scores are kept');
  });

  it('a bad feed changes nothing and names the line; HTTP errors say who is at fault', async () => {
    const dir = await home();
    await assert.rejects(
      updateIntel({ home: dir, kev: `${base}/kev.json`, epss: `${base}/broken.csv`, clock }),
      (err: unknown) =>
        err instanceof ConfigError && err.issues[0]?.line === 2 && err.issues[0]?.path === 'percentile',
    );
    await assert.rejects(readFile(refreshedSnapshotPath(dir)), /ENOENT/);

    await assert.rejects(
      updateIntel({ home: dir, kev: `${base}/missing.json`, clock }),
      (err: unknown) => err instanceof ArxError && err.fault === 'caller' && /HTTP 404/.test(err.message),
    );
    await assert.rejects(
      updateIntel({ home: dir, epss: `${base}/down`, clock }),
      (err: unknown) => err instanceof ArxError && err.fault === 'tool' && err.retryable,
    );
    await assert.rejects(updateIntel({ home: dir, kev: join(dir, 'nope.json'), clock }), UsageError);
    await assert.rejects(updateIntel({ home: dir, clock }), /give --kev, --epss or both/);
    await assert.rejects(
      updateIntel({ home: dir, kev: 'ftp://example.com/kev.json', clock }),
      /"ftp:" addresses/,
    );
  });

  it('never records URL credentials or query strings as the source', async () => {
    const dir = await home();
    const url = new URL(`${base}/kev.json?token=abc123`);
    url.username = 'feeds';
    url.password = 'hunter22';
    await updateIntel({ home: dir, kev: url.toString(), clock });
    const text = await readFile(refreshedSnapshotPath(dir), 'utf8');
    assert.ok(!text.includes('hunter22') && !text.includes('abc123'));
    assert.equal(authorizations.at(-1), `Basic ${Buffer.from('feeds:hunter22').toString('base64')}`);
  });

  it('a corrupt refreshed snapshot is reported with the fix, not silently replaced', async () => {
    const dir = await home();
    await updateIntel({ home: dir, kev: fixturePath('kev-sample.json'), clock });
    await writeFile(refreshedSnapshotPath(dir), '{"format":"something else"}');
    await assert.rejects(loadIntel({ home: dir }), /not an Arx intel snapshot[\s\S]*/);
    await assert.rejects(
      loadIntel({ home: dir }),
      (err: unknown) => err instanceof ArxError && /delete the file/.test(err.hint ?? ''),
    );
  });
});
