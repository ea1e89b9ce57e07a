import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TestClock } from '../../../core/clock.js';
import { findingKey } from '../../../core/finding/fingerprint.js';
import { type Finding, findingSchema } from '../../../core/finding/model.js';
import { byCve, groupSameAsset, primaryOf, unifiedPriority } from './vuln-groups.js';

/** Cross-scanner grouping: one group per CVE on one asset, whatever each scanner knows of the asset. */
interface VulnSpec {
  cve: string;
  vendor: 'wiz' | 'qualys';
  uid?: string;
  ip?: string;
  hostname?: string;
  account?: string;
  epss?: number;
  kev?: boolean;
  criticality?: number;
  severity?: Finding['severity'];
}

function vuln(spec: VulnSpec): Finding {
  const resource = {
    uid: spec.uid ?? spec.hostname ?? spec.ip ?? 'unknown-host',
    type: spec.vendor === 'wiz' ? 'AwsEc2Instance' : 'Host',
    ...(spec.ip ? { ip: spec.ip } : {}),
    ...(spec.hostname ? { hostname: spec.hostname } : {}),
    ...(spec.account ? { account_uid: spec.account } : {}),
    ...(spec.criticality ? { criticality: spec.criticality } : {}),
    tags: {},
  };
  return findingSchema.parse({
    finding_key: findingKey({ resource, cve: spec.cve }),
    class: 'vulnerability',
    title: spec.cve,
    severity: spec.severity ?? 'critical',
    status: 'new',
    resource,
    vulnerability: {
      cve_uid: spec.cve,
      cvss_score: 9.8,
      ...(spec.epss === undefined ? {} : { epss_score: spec.epss }),
      ...(spec.kev ? { kev: { date_added: '2021-12-10', known_ransomware_use: false } } : {}),
    },
    sources: [{ vendor: spec.vendor, uid: `${spec.vendor}-${spec.cve}-${spec.ip ?? spec.hostname}` }],
    first_seen_time: '2026-03-01T00:00:00.000Z',
    last_seen_time: '2026-03-01T00:00:00.000Z',
  });
}

const LOG4J = 'CVE-2021-44228';
const ARN = 'arn:aws:ec2:us-east-1:123456789012:instance/i-0abc';

describe('groupSameAsset', () => {
  it('merges Wiz’s instance and Qualys’s host when they share an IP; Wiz’s report names the group', () => {
    const wiz = vuln({ cve: LOG4J, vendor: 'wiz', uid: ARN, ip: '10.0.1.7', account: '123456789012' });
    const qualys = vuln({ cve: LOG4J, vendor: 'qualys', ip: '10.0.1.7', hostname: 'api-1.prod.internal' });
    assert.notEqual(wiz.finding_key, qualys.finding_key);
    const groups = groupSameAsset([qualys, wiz]);
    assert.equal(groups.length, 1);
    assert.equal(primaryOf(groups[0]!), wiz);
  });

  it('keeps two hosts apart when they share a private IP but sit in different accounts', () => {
    const a = vuln({ cve: LOG4J, vendor: 'wiz', uid: `${ARN}1`, ip: '10.0.1.7', account: '111111111111' });
    const b = vuln({ cve: LOG4J, vendor: 'wiz', uid: `${ARN}2`, ip: '10.0.1.7', account: '222222222222' });
    assert.equal(groupSameAsset([a, b]).length, 2);
  });

  it('follows chains: A~B by IP and B~C by host name make one asset', () => {
    const a = vuln({ cve: LOG4J, vendor: 'wiz', uid: ARN, ip: '10.0.1.7', account: '123456789012' });
    const b = vuln({ cve: LOG4J, vendor: 'qualys', ip: '10.0.1.7', hostname: 'api-1.prod.internal' });
    const c = vuln({ cve: LOG4J, vendor: 'qualys', uid: 'api-1', hostname: 'api-1.prod.internal' });
    assert.equal(groupSameAsset([a, c, b]).length, 1);
  });

  it('never merges different CVEs on one host', () => {
    const a = vuln({ cve: LOG4J, vendor: 'wiz', uid: ARN, ip: '10.0.1.7' });
    const b = vuln({ cve: 'CVE-2024-3094', vendor: 'qualys', ip: '10.0.1.7' });
    assert.equal(groupSameAsset([a, b]).length, 2);
    assert.deepEqual([...byCve([b, a]).keys()], ['CVE-2021-44228', 'CVE-2024-3094']);
  });
});

describe('unifiedPriority', () => {
  it('scores a group on the strongest evidence any scanner gave', () => {
    const clock = new TestClock('2026-03-02T00:00:00Z');
    const quiet = vuln({ cve: LOG4J, vendor: 'wiz', uid: ARN, ip: '10.0.1.7', severity: 'high', epss: 0.01 });
    const loud = vuln({
      cve: LOG4J,
      vendor: 'qualys',
      ip: '10.0.1.7',
      epss: 0.97,
      kev: true,
      criticality: 5,
    });
    const alone = unifiedPriority([quiet], clock);
    const merged = unifiedPriority([quiet, loud], clock);
    assert.ok(merged.score > alone.score);
    const factor = (name: string) => merged.factors.find((f) => f.name === name);
    assert.equal(factor('severity')?.value, 'critical');
    assert.equal(factor('kev')?.value, true);
    assert.equal(factor('epss_score')?.value, 0.97);
    assert.equal(factor('business_criticality')?.value, 5);
    assert.equal(
      merged.factors.reduce((sum, f) => sum + f.points, 0).toFixed(2),
      merged.score.toFixed(2),
      'the factors add up to the score',
    );
  });
});
