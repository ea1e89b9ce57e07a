import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { dedupeKey, dedupeKeys } from '../../core/finding/fingerprint.js';
import type { Finding } from '../../core/finding/model.js';
import { indexSnapshot } from '../../core/intel/intel-index.js';
import { readSnapshotFile, SHIPPED_SNAPSHOT_PATH } from '../../core/intel/load.js';
import { normaliseDetectionPage } from '../qualys/normalise.js';
import { parseKnowledgeBase } from '../qualys/normalise-xml.js';
import { normaliseWizVulnerability } from '../wiz/normalise.js';
import type { NormaliseResult } from './result.js';

/** The same CVE on the same host, from Wiz (cloud inventory) and Qualys (network scanner). */
const fixture = (path: string) => readFileSync(new URL(`../${path}`, import.meta.url), 'utf8');
const wizNodes = JSON.parse(fixture('wiz/fixtures/vulnerability-findings.json')).data.vulnerabilityFindings
  .nodes;
const knowledgeBase = parseKnowledgeBase(fixture('qualys/fixtures/knowledge-base.xml'));
const qualys = [...normaliseDetectionPage(fixture('qualys/fixtures/detections-page.xml'), { knowledgeBase })]
  .filter((r): r is Extract<NormaliseResult, { ok: true }> => r.ok)
  .map((r) => r.finding);

const dedupeOf = (f: Finding) => dedupeKey({ resource: f.resource, cve: f.vulnerability?.cve_uid });
const dedupeSetOf = (f: Finding) =>
  new Set(dedupeKeys({ resource: f.resource, cve: f.vulnerability?.cve_uid }));

function wiz(node: unknown): Finding {
  const r = normaliseWizVulnerability(node);
  assert.ok(r.ok, r.ok ? '' : r.reason);
  return r.finding;
}

test('Wiz and Qualys report CVE-2024-3094 on 10.0.1.7: their dedupe keys match', () => {
  const fromWiz = wiz(wizNodes[0]);
  const fromQualys = qualys.find((f) => f.vulnerability?.cve_uid === 'CVE-2024-3094');
  assert.ok(fromQualys);
  assert.equal(dedupeOf(fromWiz), dedupeOf(fromQualys));
  // the finding keys differ: Qualys does not know the cloud account, and the key includes it
  assert.notEqual(fromWiz.finding_key, fromQualys.finding_key);
});

test('a Wiz finding on the EC2 instance Qualys scanned shares a dedupe key through the instance id', () => {
  const node = structuredClone(wizNodes[0]);
  node.name = 'CVE-2014-6271';
  node.vulnerableAsset.providerUniqueId = 'arn:aws:ec2:us-east-1:123456789012:instance/i-0def4567890abcdef';
  delete node.vulnerableAsset.ipAddresses;
  const fromWiz = wiz(node);
  const fromQualys = qualys.find((f) => f.vulnerability?.cve_uid === 'CVE-2014-6271');
  assert.ok(fromQualys);
  const shared = [...dedupeSetOf(fromWiz)].filter((k) => dedupeSetOf(fromQualys).has(k));
  assert.equal(shared.length, 1);
});

test('a different CVE on the same host, or the same CVE on another host, does not match', () => {
  const fromWiz = wiz(wizNodes[0]);
  const otherCve = qualys.find((f) => f.vulnerability?.cve_uid === 'CVE-2014-6271');
  assert.ok(otherCve);
  assert.notEqual(dedupeOf(fromWiz), dedupeOf(otherCve));
  const elsewhere = structuredClone(wizNodes[0]);
  elsewhere.vulnerableAsset.ipAddresses = ['10.0.9.9'];
  elsewhere.vulnerableAsset.providerUniqueId = 'arn:aws:ec2:us-east-1:123456789012:instance/i-0fff';
  const fromQualys = qualys.find((f) => f.vulnerability?.cve_uid === 'CVE-2024-3094');
  assert.ok(fromQualys);
  assert.notEqual(dedupeOf(wiz(elsewhere)), dedupeOf(fromQualys));
});

test('with the shipped intel snapshot, both sources carry the real KEV facts of their CVEs', async () => {
  const { lookup } = indexSnapshot(await readSnapshotFile(SHIPPED_SNAPSHOT_PATH));
  const shellshock = [
    ...normaliseDetectionPage(fixture('qualys/fixtures/detections-page.xml'), { knowledgeBase, lookup }),
  ]
    .map((r) => (r.ok ? r.finding : undefined))
    .find((f) => f?.vulnerability?.cve_uid === 'CVE-2014-6271');
  assert.equal(shellshock?.vulnerability?.kev?.date_added, '2022-01-28');
  const log4shell = normaliseWizVulnerability(wizNodes[1], { lookup });
  assert.ok(log4shell.ok);
  assert.equal(log4shell.finding.vulnerability?.kev?.known_ransomware_use, true);
  assert.ok((log4shell.finding.vulnerability?.epss_score ?? 0) > 0.9);
});
