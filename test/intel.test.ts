/**
 * `arx intel update` and `arx intel show` as a user runs them: a real process, a feed server on loopback,
 * a throwaway ARX_HOME, exit codes.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = fileURLToPath(new URL('..', import.meta.url));
const tsx = join(root, 'node_modules', '.bin', 'tsx');
const fixtures = join(root, 'src/core/intel/fixtures');
const home = mkdtempSync(join(tmpdir(), 'arx-intel-cli-'));

/** Async, so the feed server in this process can answer while the CLI runs. */
function arx(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      tsx,
      [join(root, 'src/cli/main.ts'), ...args],
      { cwd: root, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ARX_HOME: home } },
      (err, stdout, stderr) => resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const server = createServer((req, res) => {
  if (req.url === '/epss_scores-current.csv.gz') {
    res.writeHead(200, { 'content-type': 'application/gzip' });
    res.end(gzipSync(readFileSync(join(fixtures, 'epss-first-sample.csv'))));
  } else res.writeHead(503).end('try later');
});
let base = '';
before(() =>
  new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok)).then(() => {
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }),
);
after(() => new Promise<void>((ok) => server.close(() => ok())));

describe('arx intel', () => {
  it('update from a file and a URL prints a JSON summary; show then answers from the refreshed snapshot', async () => {
    const update = await arx([
      '--json',
      'intel',
      'update',
      '--kev',
      join(fixtures, 'kev-sample.csv'),
      '--epss',
      `${base}/epss_scores-current.csv.gz`,
    ]);
    assert.equal(update.code, 0, update.stderr);
    const summary = JSON.parse(update.stdout);
    assert.equal(summary.ok, true);
    assert.equal(summary.path, join(home, 'intel', 'snapshot.json'));
    assert.equal(summary.kev.after, 4);
    assert.equal(summary.kev.catalog_version, null, 'the CSV export has no catalog version');
    assert.equal(summary.epss.score_date, '2025-08-26');

    const show = await arx(['--json', 'intel', 'show', 'cve-2024-8069']);
    assert.equal(show.code, 0, show.stderr);
    const body = JSON.parse(show.stdout);
    assert.equal(body.snapshot.origin, 'refreshed');
    assert.deepEqual(body.records[0].intel.epss, { score: 0.53593, percentile: 0.97895, date: '2025-08-26' });
    assert.equal(body.records[0].intel.kev, undefined, 'not in the 4-entry catalog just loaded');
  });

  it('a malformed feed exits 2 naming file, line and column; an unavailable server exits 1', async () => {
    const bad = await arx(['intel', 'update', '--kev', join(fixtures, 'epss-first-sample.csv')]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /epss-first-sample\.csv:2 \(header\): missing columns cveID/);
    assert.doesNotMatch(bad.stderr, /\n\s+at /, 'no stack trace');

    const down = await arx(['intel', 'update', '--epss', `${base}/down.csv`]);
    assert.equal(down.code, 1);
    assert.match(down.stderr, /--epss http:\/\/127\.0\.0\.1:\d+\/down\.csv: HTTP 503/);

    const typo = await arx(['intel', 'show', 'CVE-21-44228']);
    assert.equal(typo.code, 2);
    assert.match(typo.stderr, /"CVE-21-44228" is not a CVE id/);
  });
});
