import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { normaliseAccount, parseArn, parseCloudId } from './cloud-ids.js';
import { normaliseHostname, normaliseIp } from './network-ids.js';
import { resourceIdentity } from './resource-identity.js';

test('IP addresses have one spelling', () => {
  assert.equal(normaliseIp(' 10.0.1.7 '), '10.0.1.7');
  assert.equal(normaliseIp('010.000.001.007'), '10.0.1.7');
  assert.equal(normaliseIp('::ffff:10.0.1.7'), '10.0.1.7');
  assert.equal(normaliseIp('2001:DB8:0:0:0:0:0:1'), '2001:db8::1');
  assert.equal(normaliseIp('[fe80::1%eth0]'), 'fe80::1');
  for (const notIp of ['10.0.1', '256.1.1.1', 'api-1.internal', '', undefined, 'g::1']) {
    assert.equal(normaliseIp(notIp), undefined, String(notIp));
  }
});

test('property: every IPv6 spelling of an address normalises to the same text', () => {
  fc.assert(
    fc.property(fc.ipV6(), (ip) => {
      const canonical = normaliseIp(ip);
      assert.ok(canonical, ip);
      assert.equal(normaliseIp(ip.toUpperCase()), canonical);
      assert.equal(normaliseIp(canonical), canonical);
    }),
  );
});

test('host names: lower-case, root dot dropped, full name kept, IPs and junk refused', () => {
  assert.equal(normaliseHostname('API-1.Internal.'), 'api-1.internal');
  assert.notEqual(normaliseHostname('web01.corp'), normaliseHostname('web01'));
  assert.equal(normaliseHostname('10.0.1.7'), undefined);
  assert.equal(normaliseHostname('bad host'), undefined);
  assert.equal(normaliseHostname('-bad'), undefined);
});

test('ARNs parse with their account; unknown AWS types keep their spelling', () => {
  assert.deepEqual(parseArn('arn:aws:ec2:us-east-1:123456789012:instance/i-0abc'), {
    partition: 'aws',
    service: 'ec2',
    region: 'us-east-1',
    account: '123456789012',
    resource: 'instance/i-0abc',
  });
  assert.equal(parseArn('my-bucket'), undefined);
  const unknown = parseCloudId('arn:aws:glue:us-east-1:123456789012:job/Nightly', 'AwsGlueJob');
  assert.equal(unknown?.key, 'aws:aws:glue:us-east-1:job/Nightly');
  // an S3 object ARN is not its bucket
  assert.notEqual(
    parseCloudId('arn:aws:s3:::logs/2025/a.gz', 'AwsS3Object')?.key,
    parseCloudId('logs', 'AwsS3Bucket')?.key,
  );
  // China-region names live in the aws-cn partition, like their ARNs
  assert.equal(
    parseCloudId('i-0abc', 'AwsEc2Instance', 'cn-north-1')?.key,
    parseCloudId('arn:aws-cn:ec2:cn-north-1:123456789012:instance/i-0abc', 'AwsEc2Instance')?.key,
  );
});

test('accounts: dashed AWS form and case do not matter, blank means unknown', () => {
  assert.equal(normaliseAccount('1234-5678-9012'), '123456789012');
  assert.equal(normaliseAccount(' Shop-Prod '), 'shop-prod');
  assert.equal(normaliseAccount('  '), undefined);
});

test('identity precedence: IP, then host name, then provider id, then scanner host id', () => {
  const arn = 'arn:aws:ec2:us-east-1:123456789012:instance/i-0abc';
  const cve = { hostScoped: true };
  assert.equal(
    resourceIdentity({ uid: arn, type: 'AwsEc2Instance', ip: '10.0.1.7', hostname: 'a.b' }, cve).key,
    'ip:10.0.1.7',
  );
  assert.equal(resourceIdentity({ uid: arn, type: 'AwsEc2Instance', hostname: 'A.b' }, cve).key, 'host:a.b');
  assert.equal(
    resourceIdentity({ uid: arn, type: 'AwsEc2Instance' }, cve).key,
    'aws:aws:ec2::instance/i-0abc',
  );
  assert.equal(resourceIdentity({ uid: '77', type: 'Host' }, cve).key, 'hostid:77');
  // a generic host's uid may itself be its host name
  assert.equal(
    resourceIdentity({ uid: 'Web01.corp', type: 'host' }, { hostScoped: false }).key,
    'host:web01.corp',
  );
  // a bucket name that looks like a DNS name stays a bucket
  assert.equal(
    resourceIdentity({ uid: 'logs.example.com', type: 'AwsS3Bucket' }, cve).key,
    'aws:aws:s3::logs.example.com',
  );
  // unknown types keep case unless the provider is Azure
  assert.equal(resourceIdentity({ uid: 'Repo/Main', type: 'GitRepo' }, cve).key, 'uid:gitrepo:Repo/Main');
  assert.deepEqual(
    resourceIdentity(
      { uid: arn, type: 'AwsEc2Instance', ip: '10.0.1.7', hostname: 'a.b' },
      cve,
    ).hostFacets.map((f) => f.kind),
    ['ip', 'hostname', 'instance'],
  );
});
