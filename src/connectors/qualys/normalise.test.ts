import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { ArxError } from '../../core/errors.js';
import type { Finding } from '../../core/finding/model.js';
import type { NormaliseResult } from '../normalise/result.js';
import { normaliseDetectionPage, normaliseQualysDetection, qualysHostResource } from './normalise.js';
import { parseDetectionPage, parseKnowledgeBase, type QualysHost } from './normalise-xml.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const pageXml = fixture('detections-page.xml');
const knowledgeBase = parseKnowledgeBase(fixture('knowledge-base.xml'));
const page = parseDetectionPage(pageXml);
const results = [...normaliseDetectionPage(page, { knowledgeBase })];
const findings = results
  .filter((r): r is Extract<NormaliseResult, { ok: true }> => r.ok)
  .map((r) => r.finding);
const byCve = (cve: string) => findings.find((f) => f.vulnerability?.cve_uid === cve) as Finding;

describe('Qualys XML', () => {
  test('a detection page: hosts, detections, quirks and the next-page URL', () => {
    assert.equal(page.hosts.length, 3);
    assert.equal(page.datetime, '2025-06-03T03:00:00Z');
    assert.match(page.nextUrl ?? '', /id_min=123459$/);
    const [first, second, third] = page.hosts as [QualysHost, QualysHost, QualysHost];
    assert.equal(first.detections.length, 2);
    assert.equal(first.detections[0]?.port, undefined, 'self-closing <PORT/> reads as absent');
    assert.deepEqual(first.detections[0]?.qdsFactors, { cvss: '9.8', epss: '0.2054' });
    assert.equal(first.detections[0]?.qds, '72');
    assert.equal(second.fqdn, 'web-2.prod.example.com');
    assert.deepEqual(second.tags, ['Production', 'Web Servers']);
    assert.equal(second.detections[2]?.severity, undefined, 'the literal "null" reads as absent');
    assert.equal(second.detections[2]?.isIgnored, true);
    assert.equal(third.dns, undefined);
    assert.equal(third.detections.length, 1, 'a single DETECTION is still a list');
  });

  test('the KnowledgeBase: CVE lists of one, many and none; CVSS v3 "null" is absent', () => {
    assert.deepEqual(knowledgeBase.get('379548')?.cves, ['CVE-2024-3094']);
    assert.deepEqual(knowledgeBase.get('122693')?.cves, ['CVE-2014-6271', 'CVE-2014-7169']);
    assert.deepEqual(knowledgeBase.get('100269')?.cves, []);
    assert.equal(knowledgeBase.get('123168')?.cvssV3, undefined);
    assert.equal(knowledgeBase.get('123168')?.cvssV2, 10);
    assert.equal(knowledgeBase.get('379548')?.patchable, true);
  });

  test('a SIMPLE_RETURN error and broken XML become ArxErrors', () => {
    const simple =
      '<SIMPLE_RETURN><RESPONSE><DATETIME>2025-06-03T03:00:00Z</DATETIME><CODE>1905</CODE><TEXT>Bad parameter severities</TEXT></RESPONSE></SIMPLE_RETURN>';
    assert.throws(
      () => parseDetectionPage(simple),
      (err: unknown) =>
        err instanceof ArxError && err.code === 'qualys_error' && /1905: Bad parameter/.test(err.message),
    );
    assert.throws(
      () => parseDetectionPage('<HOST_LIST_VM_DETECTION_OUTPUT><RESPONSE><HOST_LIST><HOST>'),
      (err: unknown) => err instanceof ArxError && err.code === 'malformed_payload',
    );
    assert.throws(
      () => parseDetectionPage(fixture('knowledge-base.xml')),
      (err: unknown) => err instanceof ArxError && /expected HOST_LIST_VM_DETECTION_OUTPUT/.test(err.message),
    );
  });
});

describe('Qualys detections → findings', () => {
  test('the contract host: one finding per CVE, host identity from IP and DNS, QDS CVSS/EPSS', () => {
    const f = byCve('CVE-2024-3094');
    assert.equal(f.class, 'vulnerability');
    assert.equal(f.title, 'CVE-2024-3094: XZ Utils Backdoor Vulnerability');
    assert.equal(f.severity, 'critical');
    assert.equal(f.status, 'new');
    assert.deepEqual(f.resource, {
      uid: 'api-1.internal',
      type: 'Host',
      name: 'api-1.internal',
      tags: {},
      ip: '10.0.1.7',
      hostname: 'api-1.internal',
    });
    assert.equal(f.vulnerability?.cvss_score, 10, 'KnowledgeBase CVSS v3 wins over the QDS factor');
    assert.equal(f.vulnerability?.cvss_version, '3.x');
    assert.equal(f.vulnerability?.epss_score, 0.2054);
    assert.equal(f.vulnerability?.vendor_uid, 'qid:379548');
    assert.equal(f.vulnerability?.is_fix_available, true);
    assert.equal(f.sources[0]?.uid, '294650000:CVE-2024-3094');
    assert.equal(f.sources[0]?.vendor, 'qualys');
    assert.equal(f.first_seen_time, '2025-05-30T11:50:56.000Z');
    assert.equal(f.last_seen_time, '2025-06-02T13:23:13.000Z');
    assert.equal(f.remediation?.desc, 'Downgrade or upgrade xz-utils to an unaffected version.');
  });

  test('a cloud host is its EC2 instance, with account, tags and environment from a tag name', () => {
    const f = byCve('CVE-2014-6271');
    assert.equal(f.resource.type, 'AwsEc2Instance');
    assert.equal(f.resource.uid, 'i-0def4567890abcdef');
    assert.equal(f.resource.cloud_provider, 'aws');
    assert.equal(f.resource.account_uid, '123456789012');
    assert.equal(f.resource.hostname, 'web-2.prod.example.com');
    assert.equal(f.resource.environment, 'prod');
    assert.equal(f.status, 'new', 'Re-Opened is open');
    assert.equal(f.vulnerability?.cvss_version, '2.0');
    assert.ok(byCve('CVE-2014-7169'), 'the second CVE of the QID is its own finding');
    assert.notEqual(byCve('CVE-2014-7169').finding_key, f.finding_key);
  });

  test('Fixed resolves, ignored suppresses, and a null severity falls back to the KnowledgeBase', () => {
    assert.equal(byCve('CVE-2014-6601').status, 'resolved');
    assert.equal(byCve('CVE-2015-0412').status, 'resolved');
    const ie = findings.find((f) => f.compliance?.control === 'qualys-qid-100269');
    assert.ok(ie, 'a QID without CVEs is one finding keyed by the QID');
    assert.equal(ie.status, 'suppressed');
    assert.equal(ie.severity, 'critical');
    assert.equal(ie.vulnerability, undefined);
  });

  test('quarantine: QID missing from the KnowledgeBase, no QID, unknown status; nothing dropped', () => {
    const q = results.filter((r): r is Extract<NormaliseResult, { ok: false }> => !r.ok);
    assert.deepEqual(
      q.map((r) => r.path),
      [
        'HOST[0].DETECTION_LIST.DETECTION[1].QID',
        'HOST[1].DETECTION_LIST.DETECTION[3].QID',
        'HOST[2].DETECTION_LIST.DETECTION[0].STATUS',
      ],
    );
    assert.match(q[0]!.reason, /QID 424242 is not in the KnowledgeBase/);
    assert.match(q[2]!.reason, /"Mitigated"/);
    assert.equal(
      findings.length + q.length,
      9,
      '7 detections → 6 findings (2 QIDs have 2 CVEs) + 3 quarantined',
    );
  });

  test('the KEV/EPSS lookup enriches Qualys CVEs', () => {
    const lookup = (cve: string) =>
      cve === 'CVE-2014-6271'
        ? { cve, kev: { date_added: '2022-01-28', due_date: '2022-07-28', known_ransomware_use: false } }
        : undefined;
    const enriched = [...normaliseDetectionPage(page, { knowledgeBase, lookup })]
      .filter((r) => r.ok)
      .map((r) => (r.ok ? r.finding : undefined))
      .find((f) => f?.vulnerability?.cve_uid === 'CVE-2014-6271');
    assert.equal(enriched?.vulnerability?.kev?.date_added, '2022-01-28');
  });

  test('a host with no ID, IP, DNS or instance id cannot be identified', () => {
    const host: QualysHost = { tags: [], detections: [], index: 4 };
    assert.equal(qualysHostResource(host).ok, false);
    const [r] = normaliseQualysDetection(
      host,
      {
        qid: '379548',
        isIgnored: false,
        isDisabled: false,
        qdsFactors: {},
        index: 0,
        firstFound: '2025-01-01',
      },
      { knowledgeBase },
    );
    assert.equal(r?.ok, false);
    assert.equal(r?.ok === false && r.path, 'HOST[4].ID');
  });

  test('a host known only by its Qualys id keys by that id, never as a host name', () => {
    const host: QualysHost = { id: '42', tags: [], detections: [], index: 0 };
    const identity = qualysHostResource(host);
    assert.ok(identity.ok);
    assert.equal(identity.resource.uid, 'qualys:host/42');
    assert.equal(identity.resource.hostname, undefined);
  });
});

test('property: arbitrary host and detection field values never throw; each yields findings or reasons', () => {
  const text = fc.option(fc.oneof(fc.string(), fc.constantFrom('null', '5', '379548', '10.0.1.7', 'Fixed')), {
    nil: undefined,
  });
  fc.assert(
    fc.property(
      fc.record({
        id: text,
        ip: text,
        dns: text,
        cloudProvider: text,
        cloudResourceId: text,
        cloudAccountId: text,
      }),
      fc.record({ qid: text, severity: text, status: text, firstFound: text, lastFound: text, port: text }),
      fc.boolean(),
      (h, d, ignored) => {
        const host: QualysHost = { ...h, tags: [], detections: [], index: 0 };
        const results = normaliseQualysDetection(
          host,
          { ...d, isIgnored: ignored, isDisabled: false, qdsFactors: {}, index: 0 },
          { knowledgeBase },
        );
        return (
          results.length > 0 &&
          results.every((r) => (r.ok ? r.finding.sources[0]?.vendor === 'qualys' : r.reason !== ''))
        );
      },
    ),
  );
});
