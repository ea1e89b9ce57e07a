import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { ConfigError } from '../errors.js';
import { parseEpss } from './parse-epss.js';
import { parseKev } from './parse-kev.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

function issuesOf(fn: () => unknown): ConfigError['issues'] {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ConfigError, String(err));
    return err.issues;
  }
  assert.fail('expected a ConfigError');
}

test('the KEV JSON feed and the CSV export give the same entries', () => {
  const json = parseKev(fixture('kev-sample.json'), 'kev.json');
  const csv = parseKev(fixture('kev-sample.csv'), 'kev.csv');
  assert.equal(json.catalog_version, '2025.08.25');
  assert.equal(csv.catalog_version, null);
  assert.equal(csv.newest_date_added, '2025-08-25');
  const sort = (e: typeof json.entries) => [...e].sort((a, b) => a.cve.localeCompare(b.cve));
  assert.deepEqual(sort(csv.entries), sort(json.entries));
  const log4j = json.entries.find((e) => e.cve === 'CVE-2021-44228');
  assert.deepEqual(log4j, {
    cve: 'CVE-2021-44228',
    date_added: '2021-12-10',
    due_date: '2021-12-24',
    known_ransomware_use: true,
    vendor: 'Apache',
    product: 'Log4j2',
    name: 'Apache Log4j2 Remote Code Execution Vulnerability',
  });
  assert.equal(json.entries.find((e) => e.cve === 'CVE-2025-48384')?.known_ransomware_use, false);
});

test('KEV problems are named by field path or CSV line, all at once', () => {
  const catalog = JSON.parse(fixture('kev-sample.json'));
  catalog.vulnerabilities[1].dueDate = '15/09/2025';
  delete catalog.vulnerabilities[2].cveID;
  catalog.vulnerabilities[3].cveID = catalog.vulnerabilities[0].cveID;
  const issues = issuesOf(() => parseKev(JSON.stringify(catalog), 'kev.json'));
  assert.deepEqual(
    issues.map((i) => i.path),
    ['vulnerabilities[1].dueDate', 'vulnerabilities[2].cveID', 'vulnerabilities[3].cveID'],
  );
  assert.match(issues[0]!.message, /YYYY-MM-DD/);
  assert.match(issues[2]!.message, /listed twice/);

  const truncated = { ...JSON.parse(fixture('kev-sample.json')), count: 1404 };
  assert.match(
    issuesOf(() => parseKev(JSON.stringify(truncated), 'kev.json'))[0]!.message,
    /says 1404 but the file lists 4/,
  );

  const csv = fixture('kev-sample.csv').replace('2025-09-15', 'soon');
  const csvIssue = issuesOf(() => parseKev(csv, 'kev.csv'))[0]!;
  assert.equal(csvIssue.path, 'dueDate');
  assert.equal(csvIssue.line, 2);

  const noColumn = issuesOf(() => parseKev('cveID,dateAdded\nCVE-2021-44228,2021-12-10\n', 'kev.csv'))[0]!;
  assert.match(noColumn.message, /missing columns vendorProject, product, vulnerabilityName, dueDate/);
  assert.match(issuesOf(() => parseKev('{"catalogVersion":', 'kev.json'))[0]!.message, /not valid JSON/);
});

test("FIRST's daily CSV: the #model_version line gives model and date", () => {
  const feed = parseEpss(fixture('epss-first-sample.csv'), 'epss_scores-current.csv');
  assert.equal(feed.model_version, 'v2025.03.14');
  assert.equal(feed.score_date, '2025-08-26');
  assert.equal(feed.has_cvss, false);
  assert.deepEqual(
    feed.entries.find((e) => e.cve === 'CVE-2021-44228'),
    { cve: 'CVE-2021-44228', score: 0.94358, percentile: 0.99957 },
  );
});

test('the KEV+EPSS+NVD join: other column names, CVSS kept, empty CVSS allowed, date from the file name', () => {
  const feed = parseEpss(fixture('epss-kev-nvd-sample.csv'), '/tmp/epss_kev_nvd_2025-08-26.csv');
  assert.equal(feed.score_date, '2025-08-26');
  assert.equal(feed.has_cvss, true);
  assert.equal(feed.entries.length, 5);
  assert.deepEqual(
    feed.entries.find((e) => e.cve === 'CVE-2025-48384'),
    {
      cve: 'CVE-2025-48384',
      score: 0.0002,
      percentile: 0.03444,
      cvss: 8,
    },
  );
  assert.equal(feed.entries.find((e) => e.cve === 'CVE-2024-8069')?.cvss, undefined);
});

test('the FIRST API JSON is accepted too', () => {
  const body = {
    status: 'OK',
    data: [{ cve: 'CVE-2021-44228', epss: '0.943580000', percentile: '0.999570000', date: '2025-08-26' }],
  };
  const feed = parseEpss(JSON.stringify(body), 'api');
  assert.deepEqual(feed.entries, [{ cve: 'CVE-2021-44228', score: 0.94358, percentile: 0.99957 }]);
  assert.equal(feed.score_date, '2025-08-26');
});

test('EPSS problems name the line and column; a wrong header lists what is accepted', () => {
  const bad =
    '#model_version:v2025.03.14,score_date:2025-08-26T00:00:00Z\ncve,epss,percentile\nCVE-2021-44228,0.9,0.99\nCVE-2021-4,1.7,x\n';
  const issues = issuesOf(() => parseEpss(bad, 'epss.csv'));
  assert.deepEqual(
    issues.map((i) => [i.line, i.path]),
    [
      [4, 'cve'],
      [4, 'epss'],
      [4, 'percentile'],
    ],
  );
  assert.match(issues[1]!.message, /at most 1/);
  const header = issuesOf(() => parseEpss('cve,score\nCVE-2021-44228,0.9\n', 'epss.csv'))[0]!;
  assert.equal(header.line, 1);
  assert.match(header.message, /no epss, percentile column/);
  assert.match(header.allowed ?? '', /epss \| epss_score/);
});
