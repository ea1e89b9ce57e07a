/**
 * Provider resource ids (AWS ARNs, Azure resource ids, GCP full resource names) parsed into one canonical
 * spelling, so the same resource named two ways by two sources (an ARN here, a bare name there) is one thing.
 */

/** How an AWS resource type (Security Hub / ASFF name) is spelled inside its ARN. */
interface AwsTypeShape {
  service: string;
  /** Resource-type prefix in the ARN's resource part (`instance/`, `function:`); '' when the ARN has none. */
  prefix: string;
  /**
   * Where the id is unique. 'region' ids need the region to be told apart (a Lambda `etl` in two regions is two
   * functions); 'partition' ids are unique without it (bucket names, instance ids), so an ARN and a bare name
   * without a region still agree.
   */
  unique: 'region' | 'partition';
  /** The provider treats the id case-insensitively (or only allows one case), so lower-casing is safe. */
  caseInsensitive: boolean;
  /** IAM paths (`role/service-role/x`) are not part of the name's identity: IAM names are unique per account. */
  lastSegment?: boolean;
}

/**
 * ASFF resource types we can rebuild from a bare name. Case rules come from the providers' naming rules:
 * bucket names, EC2 ids, RDS identifiers and ECR names are lower-case only; IAM names are unique ignoring
 * case; Lambda, DynamoDB, SNS, SQS, EKS, CloudTrail and Secrets Manager names are case-sensitive.
 */
export const AWS_TYPES: Record<string, AwsTypeShape> = {
  AwsS3Bucket: { service: 's3', prefix: '', unique: 'partition', caseInsensitive: true },
  AwsEc2Instance: { service: 'ec2', prefix: 'instance/', unique: 'partition', caseInsensitive: true },
  AwsEc2SecurityGroup: {
    service: 'ec2',
    prefix: 'security-group/',
    unique: 'partition',
    caseInsensitive: true,
  },
  AwsEc2Volume: { service: 'ec2', prefix: 'volume/', unique: 'partition', caseInsensitive: true },
  AwsEc2Vpc: { service: 'ec2', prefix: 'vpc/', unique: 'partition', caseInsensitive: true },
  AwsEc2Subnet: { service: 'ec2', prefix: 'subnet/', unique: 'partition', caseInsensitive: true },
  AwsEc2NetworkInterface: {
    service: 'ec2',
    prefix: 'network-interface/',
    unique: 'partition',
    caseInsensitive: true,
  },
  AwsIamRole: {
    service: 'iam',
    prefix: 'role/',
    unique: 'partition',
    caseInsensitive: true,
    lastSegment: true,
  },
  AwsIamUser: {
    service: 'iam',
    prefix: 'user/',
    unique: 'partition',
    caseInsensitive: true,
    lastSegment: true,
  },
  AwsIamPolicy: {
    service: 'iam',
    prefix: 'policy/',
    unique: 'partition',
    caseInsensitive: true,
    lastSegment: true,
  },
  AwsKmsKey: { service: 'kms', prefix: 'key/', unique: 'partition', caseInsensitive: true },
  AwsLambdaFunction: { service: 'lambda', prefix: 'function:', unique: 'region', caseInsensitive: false },
  AwsRdsDbInstance: { service: 'rds', prefix: 'db:', unique: 'region', caseInsensitive: true },
  AwsDynamoDbTable: { service: 'dynamodb', prefix: 'table/', unique: 'region', caseInsensitive: false },
  AwsSnsTopic: { service: 'sns', prefix: '', unique: 'region', caseInsensitive: false },
  AwsSqsQueue: { service: 'sqs', prefix: '', unique: 'region', caseInsensitive: false },
  AwsEksCluster: { service: 'eks', prefix: 'cluster/', unique: 'region', caseInsensitive: false },
  AwsEcrRepository: { service: 'ecr', prefix: 'repository/', unique: 'region', caseInsensitive: true },
  AwsCloudTrailTrail: { service: 'cloudtrail', prefix: 'trail/', unique: 'region', caseInsensitive: false },
  AwsSecretsManagerSecret: {
    service: 'secretsmanager',
    prefix: 'secret:',
    unique: 'region',
    caseInsensitive: false,
  },
};

export interface CloudId {
  provider: 'aws' | 'azure' | 'gcp';
  /** Canonical spelling: equal strings mean the same resource. */
  key: string;
  /** Account, subscription or project the id names, when it names one. */
  account?: string;
  /** The resource is a virtual machine (its id is an instance identity for host matching). */
  isInstance: boolean;
}

interface ParsedArn {
  partition: string;
  service: string;
  region: string;
  account: string;
  resource: string;
}

const ARN = /^arn:([^:]+):([^:]+):([^:]*):([^:]*):(.+)$/i;

export function parseArn(text: string): ParsedArn | undefined {
  const m = ARN.exec(text.trim());
  if (!m) return undefined;
  return {
    partition: m[1]!.toLowerCase(),
    service: m[2]!.toLowerCase(),
    region: m[3]!.toLowerCase(),
    account: m[4]!,
    resource: m[5]!,
  };
}

function shapeFor(service: string, resource: string): AwsTypeShape | undefined {
  const shapes = Object.values(AWS_TYPES).filter((s) => s.service === service);
  const prefixed = shapes.find((s) => s.prefix && resource.toLowerCase().startsWith(s.prefix));
  if (prefixed) return prefixed;
  // an unprefixed shape (bucket, topic, queue) only matches a plain name; `bucket/key` is an object, not a bucket
  return /[/:]/.test(resource) ? undefined : shapes.find((s) => s.prefix === '');
}

function awsKey(partition: string, shape: AwsTypeShape, region: string, rawId: string): string {
  let id = rawId;
  if (shape.lastSegment) id = id.slice(id.lastIndexOf('/') + 1);
  if (shape.caseInsensitive) id = id.toLowerCase();
  const where = shape.unique === 'region' ? region.toLowerCase() : '';
  return `aws:${partition}:${shape.service}:${where}:${shape.prefix}${id}`;
}

function partitionOfRegion(region: string | undefined): string {
  if (region?.startsWith('cn-')) return 'aws-cn';
  if (region?.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

function fromArn(arn: ParsedArn): CloudId {
  const shape = shapeFor(arn.service, arn.resource);
  const account = arn.account || undefined;
  if (shape) {
    const id = arn.resource.slice(shape.prefix.length);
    return {
      provider: 'aws',
      key: awsKey(arn.partition, shape, arn.region, id),
      account,
      isInstance: shape === AWS_TYPES.AwsEc2Instance,
    };
  }
  // unknown resource type: keep its spelling (case included) rather than guess a case rule
  return {
    provider: 'aws',
    key: `aws:${arn.partition}:${arn.service}:${arn.region}:${arn.resource}`,
    account,
    isInstance: false,
  };
}

/** A bare AWS name or id (`my-bucket`, `i-0abc`) of a known type, spelled as its ARN would be. */
function fromAwsName(type: string, uid: string, region: string | undefined): CloudId | undefined {
  const shape = AWS_TYPES[type];
  if (!shape) return undefined;
  let id = uid.trim();
  if (shape.prefix && id.toLowerCase().startsWith(shape.prefix)) id = id.slice(shape.prefix.length);
  if (!id || (shape.prefix === '' && /[/:]/.test(id))) return undefined;
  return {
    provider: 'aws',
    key: awsKey(partitionOfRegion(region), shape, region ?? '', id),
    isInstance: shape === AWS_TYPES.AwsEc2Instance,
  };
}

/** Azure resource ids are case-insensitive end to end (ARM compares them ignoring case). */
function fromAzureId(text: string): CloudId | undefined {
  const id = text
    .trim()
    .replace(/\/{2,}/g, '/')
    .replace(/\/$/, '')
    .toLowerCase();
  if (!/^\/(subscriptions|providers)\//.test(id)) return undefined;
  const subscription = /^\/subscriptions\/([^/]+)/.exec(id)?.[1];
  return {
    provider: 'azure',
    key: `azure:${id}`,
    account: subscription,
    isInstance: /\/providers\/microsoft\.compute\/virtualmachines\/[^/]+$/.test(id),
  };
}

const GCP_SELF_LINK =
  /^https:\/\/(?:www\.googleapis\.com\/([a-z]+)|([a-z]+)\.googleapis\.com\/[a-z]+)\/v[^/]*\/(.+)$/i;

/**
 * GCP full resource names (`//compute.googleapis.com/projects/p/zones/z/instances/vm`) and API self links,
 * which name the same thing. Resource names and project ids are lower-case by GCP's naming rules; storage
 * object names are the exception and keep their case.
 */
function fromGcpName(text: string): CloudId | undefined {
  const raw = text.trim();
  let service: string;
  let path: string;
  const full = /^\/\/([a-z0-9-]+)\.googleapis\.com\/(.+)$/i.exec(raw);
  const link = full ? undefined : GCP_SELF_LINK.exec(raw);
  if (full) {
    service = full[1]!;
    path = full[2]!;
  } else if (link) {
    service = (link[1] ?? link[2])!;
    path = link[3]!;
  } else return undefined;
  path = path.replace(/\/$/, '');
  const objectAt = path.search(/\/objects\//i);
  const lowered =
    objectAt < 0 ? path.toLowerCase() : path.slice(0, objectAt).toLowerCase() + path.slice(objectAt);
  return {
    provider: 'gcp',
    key: `gcp://${service.toLowerCase()}.googleapis.com/${lowered}`,
    account: /^projects\/([^/]+)/.exec(lowered)?.[1],
    isInstance: service.toLowerCase() === 'compute' && /\/instances\/[^/]+$/.test(lowered),
  };
}

/** The canonical cloud identity of a resource id, or undefined when the id is not one we can read. */
export function parseCloudId(uid: string, type: string, region?: string): CloudId | undefined {
  const arn = parseArn(uid);
  if (arn) return fromArn(arn);
  return fromAzureId(uid) ?? fromGcpName(uid) ?? fromAwsName(type, uid, region);
}

/**
 * Accounts compare ignoring case and AWS's dashed display form (`1234-5678-9012`); empty means unknown.
 */
export function normaliseAccount(raw: string | undefined | null): string | undefined {
  const text = raw?.trim();
  if (!text) return undefined;
  if (/^\d{4}-\d{4}-\d{4}$/.test(text)) return text.replaceAll('-', '');
  return text.toLowerCase();
}
