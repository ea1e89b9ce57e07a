import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { dedupeKey, dedupeKeys, findingKey, findingKeyFor, findingKeyParts } from './fingerprint.js';
import type { ResourceRef } from './resource-identity.js';

// --- generators -------------------------------------------------------------------------------------------

const lowerAlnum = 'abcdefghijklmnopqrstuvwxyz0123456789'.split('');
const hex = '0123456789abcdef'.split('');
const word = (min: number, max: number) =>
  fc.array(fc.constantFrom(...lowerAlnum), { minLength: min, maxLength: max }).map((c) => c.join(''));
const bucketName = fc
  .tuple(word(1, 1), word(2, 20), word(1, 1))
  .map(([a, mid, z]) => `${a}${mid}${z}`.slice(0, 63));
const instanceId = fc
  .array(fc.constantFrom(...hex), { minLength: 8, maxLength: 17 })
  .map((c) => `i-${c.join('')}`);
const awsAccount = fc
  .array(fc.integer({ min: 0, max: 9 }), { minLength: 12, maxLength: 12 })
  .map((d) => d.join(''));
const region = fc.constantFrom('us-east-1', 'eu-west-1', 'ap-southeast-2');
const ipv4 = fc.ipV4();
const hostname = fc
  .tuple(word(1, 12), fc.constantFrom('internal', 'corp.example.com', 'ec2.internal'))
  .map((p) => p.join('.'));
const cve = fc
  .tuple(fc.integer({ min: 1999, max: 2026 }), fc.integer({ min: 1000, max: 999999 }))
  .map(([y, n]) => `CVE-${y}-${String(n).padStart(4, '0')}`);
const rule = fc.constantFrom(
  's3_bucket_public_access',
  'ec2_instance_imdsv2_enabled',
  'iam_role_admin',
  'wc-id-123',
);

/** A random mix of upper and lower case over the same letters. */
const recase = (text: string) =>
  fc
    .array(fc.boolean(), { minLength: text.length, maxLength: text.length })
    .map((flips) => [...text].map((ch, i) => (flips[i] ? ch.toUpperCase() : ch.toLowerCase())).join(''));

const KEY_SHAPE = /^fk_[0-9a-f]{24}$/;

// --- examples from the issue --------------------------------------------------------------------------------

test('an S3 bucket ARN and its bare name in the same account have one key', () => {
  const byArn = findingKey({
    resource: { uid: 'arn:aws:s3:::my-bucket', type: 'AwsS3Bucket', account_uid: '123456789012' },
    rule: 's3_bucket_public_access',
  });
  const byName = findingKey({
    resource: { uid: 'my-bucket', type: 'AwsS3Bucket', account_uid: '123456789012' },
    rule: 's3_bucket_public_access',
  });
  assert.match(byArn, KEY_SHAPE);
  assert.equal(byArn, byName);
});

test('an EC2 instance ARN and its instance id agree, the account coming from the ARN when not given', () => {
  const byArn = findingKeyParts({
    resource: { uid: 'arn:aws:ec2:us-east-1:123456789012:instance/i-0abc', type: 'AwsEc2Instance' },
    rule: 'ec2_instance_imdsv2_enabled',
  });
  const byId = findingKeyParts({
    resource: { uid: 'i-0abc', type: 'AwsEc2Instance', account_uid: '1234-5678-9012' },
    rule: 'ec2_instance_imdsv2_enabled',
  });
  assert.deepEqual(byArn, byId);
  assert.equal(byArn.account, '123456789012');
  assert.equal(byArn.basis, 'cloud_id');
});

test('IAM paths do not split a role: role/service-role/Admin is the role Admin', () => {
  const withPath = findingKey({
    resource: { uid: 'arn:aws:iam::123456789012:role/service-role/Admin', type: 'AwsIamRole' },
    rule: 'iam_role_admin',
  });
  const bare = findingKey({
    resource: { uid: 'admin', type: 'AwsIamRole', account_uid: '123456789012' },
    rule: 'iam_role_admin',
  });
  assert.equal(withPath, bare);
});

test('Lambda names are case-sensitive, so etl and ETL stay two findings', () => {
  const key = (name: string) =>
    findingKey({
      resource: { uid: name, type: 'AwsLambdaFunction', region: 'us-east-1', account_uid: '123456789012' },
      rule: 'lambda_public',
    });
  assert.notEqual(key('etl'), key('ETL'));
  assert.equal(
    key('etl'),
    findingKey({
      resource: { uid: 'arn:aws:lambda:us-east-1:123456789012:function:etl', type: 'AwsLambdaFunction' },
      rule: 'lambda_public',
    }),
  );
});

test('region-scoped names in two regions are two resources', () => {
  const key = (r: string) =>
    findingKey({
      resource: { uid: `arn:aws:sqs:${r}:123456789012:jobs`, type: 'AwsSqsQueue' },
      rule: 'sqs_unencrypted',
    });
  assert.notEqual(key('us-east-1'), key('eu-west-1'));
});

test('Azure resource ids compare ignoring case and trailing slashes; GCP self links equal full names', () => {
  const azure =
    '/subscriptions/6f1b1c2e-0000-4000-8000-000000000001/resourceGroups/Prod-RG/providers/Microsoft.Storage/storageAccounts/custdata';
  assert.equal(
    findingKey({ resource: { uid: azure, type: 'AzureStorageAccount' }, rule: 'storage_public' }),
    findingKey({
      resource: { uid: `${azure.toUpperCase()}/`, type: 'azurestorageaccount' },
      rule: 'storage_public',
    }),
  );
  const parts = findingKeyParts({
    resource: { uid: azure, type: 'AzureStorageAccount' },
    rule: 'storage_public',
  });
  assert.equal(parts.account, '6f1b1c2e-0000-4000-8000-000000000001');

  const full = '//compute.googleapis.com/projects/shop-prod/zones/us-central1-a/instances/web-1';
  const selfLink =
    'https://www.googleapis.com/compute/v1/projects/shop-prod/zones/us-central1-a/instances/web-1';
  assert.equal(
    findingKey({ resource: { uid: full, type: 'GcpComputeInstance' }, rule: 'os_login_disabled' }),
    findingKey({ resource: { uid: selfLink, type: 'GcpComputeInstance' }, rule: 'os_login_disabled' }),
  );
});

// The same host as the contract's Wiz vulnerabilityFindings example and Qualys HOST_LIST_VM_DETECTION example
// (api-contracts.md §1.3 and §5): Wiz knows the instance ARN, account and IP; Qualys knows IP, DNS name, host id.
const wizAsset: ResourceRef = {
  uid: 'arn:aws:ec2:us-east-1:123456789012:instance/i-0abc',
  type: 'AwsEc2Instance',
  account_uid: '123456789012',
  ip: '10.0.1.7',
};
const qualysHost: ResourceRef = { uid: '123456', type: 'Host', ip: '10.0.1.7', hostname: 'api-1.internal' };

test('the same CVE on the same host from Wiz and Qualys shares a dedupe key', () => {
  assert.equal(
    dedupeKey({ resource: wizAsset, cve: 'CVE-2024-3094' }),
    dedupeKey({ resource: qualysHost, cve: 'cve-2024-3094' }),
  );
  assert.notEqual(
    dedupeKey({ resource: wizAsset, cve: 'CVE-2024-3094' }),
    dedupeKey({ resource: qualysHost, cve: 'CVE-2021-44228' }),
  );
});

test('Wiz and Qualys finding keys collide on the shared IP once Qualys knows the account too', () => {
  const wiz = findingKeyParts({ resource: wizAsset, cve: 'CVE-2024-3094' });
  assert.equal(wiz.resource, 'ip:10.0.1.7');
  assert.equal(
    findingKey({ resource: wizAsset, cve: 'CVE-2024-3094' }),
    findingKey({ resource: { ...qualysHost, account_uid: '123456789012' }, cve: 'CVE-2024-3094' }),
  );
  // without the account they are two finding keys, which the dedupe keys above bridge
  assert.notEqual(
    findingKey({ resource: wizAsset, cve: 'CVE-2024-3094' }),
    findingKey({ resource: qualysHost, cve: 'CVE-2024-3094' }),
  );
});

test('dedupe keys intersect on the host name when the sources report different IPs', () => {
  const a = dedupeKeys({
    resource: { uid: 'h1', type: 'Host', ip: '10.0.1.7', hostname: 'API-1.internal.' },
    cve: 'CVE-2021-44228',
  });
  const b = dedupeKeys({
    resource: { uid: 'h9', type: 'Host', ip: '192.168.4.4', hostname: 'api-1.internal' },
    cve: 'CVE-2021-44228',
  });
  assert.notEqual(a[0], b[0]);
  assert.equal(a.filter((k) => b.includes(k)).length, 1);
});

test('a configuration rule on a cloud VM keys on the instance, not on its current IP', () => {
  const withIp = findingKey({ resource: wizAsset, rule: 'ec2_instance_imdsv2_enabled' });
  const otherIp = findingKey({
    resource: { ...wizAsset, ip: '10.9.9.9' },
    rule: 'ec2_instance_imdsv2_enabled',
  });
  assert.equal(withIp, otherIp);
});

test('a host known only by its scanner id keys on that id; bad input names the fix', () => {
  const parts = findingKeyParts({ resource: { uid: '123456', type: 'Host' }, cve: 'CVE-2021-44228' });
  assert.equal(parts.resource, 'hostid:123456');
  assert.equal(parts.basis, 'scanner_host_id');
  assert.throws(() => findingKey({ resource: qualysHost, cve: 'log4shell' }), /not a CVE id/);
  assert.throws(() => findingKey({ resource: qualysHost, rule: '  ' }), /needs a rule or a CVE/);
});

test('findingKeyFor uses the CVE of a vulnerability and the control of a compliance finding', () => {
  const resource = { uid: 'arn:aws:s3:::logs', type: 'AwsS3Bucket', account_uid: '123456789012' };
  assert.equal(
    findingKeyFor({ resource, compliance: { control: 's3_bucket_public_access' } }),
    findingKey({ resource, rule: 's3_bucket_public_access' }),
  );
  assert.equal(
    findingKeyFor({ resource, vulnerability: { cve_uid: 'CVE-2021-44228' } }),
    findingKey({ resource, cve: 'CVE-2021-44228' }),
  );
});

// --- properties ------------------------------------------------------------------------------------------

test('property: keys ignore case wherever the provider does (buckets, instances, IAM, Azure, hosts, rule, CVE)', () => {
  fc.assert(
    fc.property(
      bucketName.chain((b) => fc.tuple(fc.constant(b), recase(b))),
      instanceId.chain((i) => fc.tuple(fc.constant(i), recase(i))),
      hostname.chain((h) => fc.tuple(fc.constant(h), recase(h))),
      rule.chain((r) => fc.tuple(fc.constant(r), recase(r))),
      cve.chain((c) => fc.tuple(fc.constant(c), recase(c))),
      awsAccount,
      ([bucket, bucketCased], [inst, instCased], [host, hostCased], [r, rCased], [c, cCased], account) => {
        assert.equal(
          findingKey({
            resource: { uid: `arn:aws:s3:::${bucket}`, type: 'AwsS3Bucket', account_uid: account },
            rule: r,
          }),
          findingKey({
            resource: { uid: `ARN:AWS:S3:::${bucketCased}`, type: 'AwsS3Bucket', account_uid: account },
            rule: rCased,
          }),
        );
        assert.equal(
          findingKey({ resource: { uid: inst, type: 'AwsEc2Instance', account_uid: account }, rule: r }),
          findingKey({ resource: { uid: instCased, type: 'AwsEc2Instance', account_uid: account }, rule: r }),
        );
        assert.equal(
          findingKey({ resource: { uid: 'q1', type: 'Host', hostname: host }, cve: c }),
          findingKey({ resource: { uid: 'q1', type: 'Host', hostname: hostCased }, cve: cCased }),
        );
      },
    ),
  );
});

test('property: ARN and bare name agree, whatever the region, and the ARN supplies a missing account', () => {
  fc.assert(
    fc.property(bucketName, instanceId, awsAccount, region, rule, (bucket, inst, account, r, check) => {
      assert.equal(
        findingKey({
          resource: { uid: `arn:aws:s3:::${bucket}`, type: 'AwsS3Bucket', account_uid: account },
          rule: check,
        }),
        findingKey({
          resource: { uid: bucket, type: 'AwsS3Bucket', account_uid: account, region: r },
          rule: check,
        }),
      );
      assert.equal(
        findingKey({
          resource: { uid: `arn:aws:ec2:${r}:${account}:instance/${inst}`, type: 'AwsEc2Instance' },
          rule: check,
        }),
        findingKey({ resource: { uid: inst, type: 'AwsEc2Instance', account_uid: account }, rule: check }),
      );
    }),
  );
});

test('property: a host CVE keeps its key when the provider id is missing or replaced by a scanner id', () => {
  fc.assert(
    fc.property(
      ipv4,
      fc.option(hostname, { nil: undefined }),
      instanceId,
      awsAccount,
      cve,
      (ip, host, inst, account, c) => {
        const full = findingKey({
          resource: {
            uid: `arn:aws:ec2:us-east-1:${account}:instance/${inst}`,
            type: 'AwsEc2Instance',
            ip,
            hostname: host,
          },
          cve: c,
        });
        const noProviderId = findingKey({
          resource: { uid: 'qualys-88', type: 'Host', ip, hostname: host, account_uid: account },
          cve: c,
        });
        const ipAsUid = findingKey({ resource: { uid: ip, type: 'Host', account_uid: account }, cve: c });
        assert.equal(full, noProviderId);
        assert.equal(full, ipAsUid);
      },
    ),
  );
});

test('property: the key changes with the account, the rule and the CVE', () => {
  fc.assert(
    fc.property(
      bucketName,
      awsAccount,
      awsAccount,
      rule,
      rule,
      cve,
      cve,
      ipv4,
      (bucket, a1, a2, r1, r2, c1, c2, ip) => {
        const bucketKey = (account: string, r: string) =>
          findingKey({ resource: { uid: bucket, type: 'AwsS3Bucket', account_uid: account }, rule: r });
        const hostKey = (account: string, c: string) =>
          findingKey({ resource: { uid: 'h', type: 'Host', ip, account_uid: account }, cve: c });
        assert.equal(bucketKey(a1, r1) === bucketKey(a2, r1), a1 === a2);
        assert.equal(bucketKey(a1, r1) === bucketKey(a1, r2), r1 === r2);
        assert.equal(hostKey(a1, c1) === hostKey(a1, c2), c1 === c2);
        assert.equal(hostKey(a1, c1) === hostKey(a2, c1), a1 === a2);
      },
    ),
  );
});

test('property: dedupe keys ignore the account but not the CVE', () => {
  fc.assert(
    fc.property(ipv4, awsAccount, cve, cve, (ip, account, c1, c2) => {
      const withAccount = dedupeKey({
        resource: { uid: 'x', type: 'Host', ip, account_uid: account },
        cve: c1,
      });
      assert.equal(withAccount, dedupeKey({ resource: { uid: 'y', type: 'Host', ip }, cve: c1 }));
      assert.equal(
        withAccount === dedupeKey({ resource: { uid: 'x', type: 'Host', ip }, cve: c2 }),
        c1 === c2,
      );
    }),
  );
});
