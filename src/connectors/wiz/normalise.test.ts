import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import type { Finding } from '../../core/finding/model.js';
import type { IntelLookup } from '../../core/intel/types.js';
import type { NormaliseResult } from '../normalise/result.js';
import {
  normaliseWizConfigurationFinding,
  normaliseWizIssue,
  normaliseWizVulnerability,
  wizRecordKind,
} from './normalise.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const issues = JSON.parse(fixture('issues-page.json')).data.issues.nodes as Record<string, unknown>[];
const vulns = JSON.parse(fixture('vulnerability-findings.json')).data.vulnerabilityFindings.nodes as Record<
  string,
  unknown
>[];
const configs = fixture('configuration-findings.ndjson')
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l) as Record<string, unknown>);

function ok(result: NormaliseResult): Finding {
  if (!result.ok) assert.fail(`expected a finding, got quarantine: ${result.reason}`);
  return result.finding;
}
function quarantined(result: NormaliseResult) {
  if (result.ok) assert.fail(`expected quarantine, got finding ${result.finding.finding_key}`);
  return result;
}
const clone = <T>(v: T): T => structuredClone(v);

describe('Wiz issues (issuesV2)', () => {
  test('the contract example maps every field that matters', () => {
    const f = ok(normaliseWizIssue(issues[0]));
    assert.match(f.finding_key, /^fk_[0-9a-f]{24}$/);
    assert.equal(f.class, 'compliance');
    assert.equal(f.title, 'Publicly exposed bucket containing sensitive data');
    assert.equal(f.desc, 'S3 bucket is public and contains PII');
    assert.equal(f.severity, 'critical');
    assert.equal(f.status, 'new');
    assert.deepEqual(f.compliance?.control, 'wc-id-1234');
    assert.equal(f.remediation?.desc, 'Enable Block Public Access');
    assert.equal(f.first_seen_time, '2025-06-02T06:42:17.123Z');
    assert.equal(f.last_seen_time, '2025-06-03T10:00:00.000Z');
    assert.deepEqual(f.resource, {
      uid: 'arn:aws:s3:::prod-customer-uploads',
      type: 'AwsS3Bucket',
      name: 'prod-customer-uploads',
      region: 'us-east-1',
      cloud_provider: 'aws',
      account_uid: '123456789012',
      account_name: 'prod-account',
      tags: { env: 'prod', owner: 'data-team' },
      environment: 'prod',
      owner: 'data-team',
      criticality: 5,
    });
    const [source] = f.sources;
    assert.equal(source?.vendor, 'wiz');
    assert.equal(source?.uid, '8f3e2d1c-4b5a-4c6d-9e7f-1a2b3c4d5e6f');
    assert.equal(source?.url, "https://app.wiz.io/issues#~(issue~'8f3e2d1c-4b5a-4c6d-9e7f-1a2b3c4d5e6f)");
    assert.deepEqual(source?.tickets, [
      { system: 'jira', key: 'SEC-412', url: 'https://acme.atlassian.net/browse/SEC-412' },
    ]);
  });

  test('a threat detection is a Detection Finding; lower-case severity and Environment tag are read', () => {
    const f = ok(normaliseWizIssue(issues[1]));
    assert.equal(f.class, 'detection');
    assert.equal(f.severity, 'high');
    assert.equal(f.status, 'in_progress');
    assert.equal(f.resource.type, 'AwsEc2Instance');
    assert.equal(f.resource.environment, 'prod', '"Production" folds to prod');
    assert.equal(f.resource.owner, 'payments');
    assert.equal(f.last_seen_time, f.first_seen_time, 'updatedAt null falls back to createdAt');
    assert.equal(f.sources[0]?.product, 'Wiz Threat Detection');
  });

  test('a rejected Azure issue: suppressed, list-shaped tags, stage tag, MBI project, ServiceNow ticket', () => {
    const f = ok(normaliseWizIssue(issues[2]));
    assert.equal(f.status, 'suppressed');
    assert.equal(f.resource.cloud_provider, 'azure');
    assert.equal(f.resource.type, 'AzureVirtualMachine');
    assert.deepEqual(f.resource.tags, { stage: 'dev', 'cost-center': '42' });
    assert.equal(f.resource.environment, 'dev');
    assert.equal(f.resource.criticality, 3);
    assert.equal(f.sources[0]?.tickets[0]?.system, 'servicenow');
  });

  test('the account map fills environment, owner and name when tags do not', () => {
    const issue = clone(issues[0]!);
    const snap = issue.entitySnapshot as Record<string, unknown>;
    snap.subscriptionTags = null;
    snap.tags = null;
    snap.subscriptionName = null;
    const f = ok(
      normaliseWizIssue(issue, {
        accounts: { '123456789012': { environment: 'Production', owner: 'cloud-platform', name: 'Prod' } },
      }),
    );
    assert.equal(f.resource.environment, 'prod');
    assert.equal(f.resource.owner, 'cloud-platform');
    assert.equal(f.resource.account_name, 'Prod');
  });

  test('an ARN and the bare bucket name give the same finding key', () => {
    const bare = clone(issues[0]!);
    const snap = bare.entitySnapshot as Record<string, unknown>;
    snap.providerId = null;
    snap.externalId = 'prod-customer-uploads';
    assert.equal(ok(normaliseWizIssue(bare)).finding_key, ok(normaliseWizIssue(issues[0])).finding_key);
  });

  test('quarantine reasons name the field and the value', () => {
    const severe = quarantined(normaliseWizIssue(issues[3]));
    assert.equal(severe.path, 'severity');
    assert.match(severe.reason, /"SEVERE"/);
    assert.equal(severe.raw, issues[3]);

    const cases: Array<[string, (i: Record<string, unknown>) => void, RegExp]> = [
      ['sourceRule', (i) => delete i.sourceRule, /sourceRule/],
      ['sourceRule.id', (i) => ((i.sourceRule as Record<string, unknown>).id = ''), /sourceRule\.id/],
      ['createdAt', (i) => (i.createdAt = 'yesterday'), /not an ISO-8601 timestamp.*"yesterday"/],
      ['status', (i) => (i.status = 'CLOSED'), /"CLOSED"/],
      ['entitySnapshot.type', (i) => delete (i.entitySnapshot as Record<string, unknown>).type, /missing/],
    ];
    for (const [path, mutate, reason] of cases) {
      const issue = clone(issues[0]!);
      mutate(issue);
      const q = quarantined(normaliseWizIssue(issue));
      assert.equal(q.path, path);
      assert.match(q.reason, reason);
    }
    const anonymous = clone(issues[0]!);
    anonymous.entitySnapshot = { type: 'BUCKET', name: 'x' };
    assert.equal(quarantined(normaliseWizIssue(anonymous)).path, 'entitySnapshot.providerId');
    assert.equal(quarantined(normaliseWizIssue('not an object')).path, '');
  });

  test('odd optional fields degrade instead of failing the record', () => {
    const issue = clone(issues[0]!);
    issue.projects = 'Production';
    issue.serviceTickets = [null, 7, { url: 'https://x' }, { name: 'OPS-1' }];
    (issue.entitySnapshot as Record<string, unknown>).region = 42;
    const f = ok(normaliseWizIssue(issue));
    assert.equal(f.resource.region, undefined);
    assert.equal(f.resource.criticality, undefined);
    assert.deepEqual(f.sources[0]?.tickets, [{ system: 'external', key: 'OPS-1' }]);
  });
});

describe('Wiz vulnerability findings', () => {
  test('the contract example: CVE, package, exposure, IP, EPSS, link', () => {
    const f = ok(normaliseWizVulnerability(vulns[0]));
    assert.equal(f.class, 'vulnerability');
    assert.equal(f.title, 'CVE-2024-3094 in xz-utils 5.6.0-1');
    assert.equal(f.severity, 'critical');
    assert.equal(f.status, 'new');
    assert.equal(f.resource.uid, 'arn:aws:ec2:us-east-1:123456789012:instance/i-0abc');
    assert.equal(f.resource.ip, '10.0.1.7');
    assert.equal(f.resource.internet_exposed, true);
    assert.deepEqual(f.vulnerability, {
      cve_uid: 'CVE-2024-3094',
      cvss_score: 10,
      epss_score: 0.84,
      is_fix_available: true,
      packages: [{ name: 'xz-utils', version: '5.6.0-1', fixed_version: '5.6.1-1' }],
      vendor_uid: 'f-77a1',
    });
    assert.equal(f.sources[0]?.url, "https://app.wiz.io/explorer/vulnerability-findings#~(entity~'f-77a1)");
  });

  test('KEV and EPSS come from the injected lookup (real Log4Shell facts); the scanner CVSS is kept', () => {
    const lookup: IntelLookup = (cve) =>
      cve === 'CVE-2021-44228'
        ? {
            cve,
            kev: { date_added: '2021-12-10', due_date: '2021-12-24', known_ransomware_use: true },
            epss: { score: 0.94358, percentile: 0.99957 },
            cvss: 9.9,
          }
        : undefined;
    const f = ok(normaliseWizVulnerability(vulns[1], { lookup }));
    assert.deepEqual(f.vulnerability?.kev, {
      date_added: '2021-12-10',
      due_date: '2021-12-24',
      known_ransomware_use: true,
    });
    assert.equal(f.vulnerability?.epss_score, 0.94358);
    assert.equal(f.vulnerability?.cvss_score, 10, 'the scanner CVSS wins over the snapshot');
    assert.equal(f.status, 'resolved');
    assert.equal(f.severity, 'critical', 'no severity word: from the CVSS score');
    assert.equal(f.resource.criticality, 1);
    assert.equal(f.vulnerability?.is_fix_available, undefined);
  });

  test('without intel, a Wiz EPSS percentile given as 0–100 is scaled to 0–1', () => {
    const f = ok(normaliseWizVulnerability(vulns[1]));
    assert.equal(f.vulnerability?.epss_percentile, 0.99957);
    assert.equal(f.vulnerability?.kev, undefined);
  });

  test('lower-case CVE id, GCP instance, and a non-list ipAddresses degrade gracefully', () => {
    const f = ok(normaliseWizVulnerability(vulns[2]));
    assert.equal(f.vulnerability?.cve_uid, 'CVE-2024-3094');
    assert.equal(f.resource.type, 'GcpComputeInstance');
    assert.equal(f.resource.ip, undefined);
    assert.equal(f.severity, 'high');
  });

  test('a non-CVE advisory and a record without any severity are quarantined with reasons', () => {
    const ghsa = quarantined(normaliseWizVulnerability(vulns[3]));
    assert.equal(ghsa.path, 'name');
    assert.match(ghsa.reason, /not a CVE id.*GHSA-jfh8-c2jp-5v3q/);
    const bare = clone(vulns[0]!);
    delete bare.vendorSeverity;
    delete bare.CVSSSeverity;
    delete bare.score;
    assert.match(
      quarantined(normaliseWizVulnerability(bare)).reason,
      /no vendorSeverity, CVSSSeverity or score/,
    );
  });
});

describe('Wiz configuration findings', () => {
  test('FAIL is an open compliance finding with the rule as control', () => {
    const f = ok(normaliseWizConfigurationFinding(configs[0]));
    assert.equal(f.class, 'compliance');
    assert.equal(f.status, 'new');
    assert.equal(f.severity, 'high');
    assert.deepEqual(f.compliance?.control, 'f1e2d3c4-s3-block-public');
    assert.equal(f.resource.type, 'AwsS3Bucket');
    assert.equal(f.resource.account_uid, '123456789012');
    assert.equal(f.resource.criticality, 5);
    assert.equal(f.remediation?.desc, 'Turn on S3 Block Public Access for the bucket');
  });

  test('PASS resolves; the rule remediation is used when the finding has none; providerId wins over id', () => {
    const f = ok(normaliseWizConfigurationFinding(configs[1]));
    assert.equal(f.status, 'resolved');
    assert.equal(f.resource.uid, 'arn:aws:ec2:us-east-1:123456789012:security-group/sg-0123456789abcdef0');
    assert.equal(f.remediation?.desc, 'Restrict port 22 to known ranges');
  });

  test('NOT_ASSESSED says nothing about the resource and is quarantined, not dropped', () => {
    const q = quarantined(normaliseWizConfigurationFinding(configs[2]));
    assert.equal(q.path, 'result');
    assert.match(q.reason, /NOT_ASSESSED/);
  });
});

test('record kinds are told apart by their fields', () => {
  assert.equal(wizRecordKind(issues[0]), 'issue');
  assert.equal(wizRecordKind(vulns[0]), 'vulnerability');
  assert.equal(wizRecordKind(configs[0]), 'configuration');
  assert.equal(wizRecordKind({ foo: 1 }), undefined);
});

test('property: any JSON value yields a finding or a quarantine with a reason, never an exception', () => {
  const normalisers = [normaliseWizIssue, normaliseWizVulnerability, normaliseWizConfigurationFinding];
  fc.assert(
    fc.property(fc.jsonValue(), (value) =>
      normalisers.every((normalise) => {
        const r = normalise(value);
        return r.ok || r.reason.length > 0;
      }),
    ),
  );
});

test('property: dropping or corrupting any field of a valid record never throws, and valid results stay keyed', () => {
  const records: Array<[(raw: unknown) => NormaliseResult, Record<string, unknown>]> = [
    [normaliseWizIssue, issues[0]!],
    [normaliseWizVulnerability, vulns[0]!],
    [normaliseWizConfigurationFinding, configs[0]!],
  ];
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 2 }),
      fc.nat(),
      fc.oneof(fc.constant(undefined), fc.jsonValue()),
      (which, pick, replacement) => {
        const [normalise, record] = records[which]!;
        const copy = structuredClone(record);
        const keys = Object.keys(copy);
        const key = keys[pick % keys.length]!;
        if (replacement === undefined) delete copy[key];
        else copy[key] = replacement;
        const r = normalise(copy);
        return r.ok ? /^fk_[0-9a-f]{24}$/.test(r.finding.finding_key) : r.reason.length > 0 && r.raw === copy;
      },
    ),
  );
});
