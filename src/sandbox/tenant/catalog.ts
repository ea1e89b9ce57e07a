import type { CloudProvider, Environment } from './types.js';

/** Fixed shape of the demo organisation; names and ids are drawn from the seed. */
export const TEAMS = [
  { id: 'payments', name: 'Payments', businessUnit: 'Commerce' },
  { id: 'platform', name: 'Platform', businessUnit: 'Engineering' },
  { id: 'data', name: 'Data', businessUnit: 'Analytics' },
  { id: 'identity', name: 'Identity', businessUnit: 'Security' },
  { id: 'web', name: 'Web', businessUnit: 'Commerce' },
  { id: 'mobile', name: 'Mobile', businessUnit: 'Consumer' },
] as const;

/** One row per cloud account: provider, environment, owning team. */
export const ACCOUNT_LAYOUT: ReadonlyArray<readonly [CloudProvider, Environment, string]> = [
  ['AWS', 'prod', 'payments'],
  ['AWS', 'staging', 'payments'],
  ['AWS', 'prod', 'platform'],
  ['AWS', 'dev', 'platform'],
  ['AWS', 'prod', 'web'],
  ['AWS', 'prod', 'identity'],
  ['Azure', 'prod', 'data'],
  ['Azure', 'dev', 'mobile'],
  ['GCP', 'prod', 'data'],
  ['GCP', 'staging', 'mobile'],
];

export const REGIONS: Record<CloudProvider, readonly string[]> = {
  AWS: ['us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-southeast-2'],
  Azure: ['eastus', 'westeurope', 'northeurope'],
  GCP: ['us-central1', 'europe-west1', 'asia-northeast1'],
};

export const FIRST_NAMES = [
  'Ana',
  'Bo',
  'Chen',
  'Dara',
  'Eli',
  'Farah',
  'Gus',
  'Hana',
  'Ivo',
  'Jun',
  'Kai',
  'Lena',
];
export const LAST_NAMES = ['Okafor', 'Lindqvist', 'Moreau', 'Tanaka', 'Silva', 'Novak', 'Haddad', 'Kowalski'];
export const EMAIL_DOMAIN = 'acme.example';

/** Wiz entity type, native type and a resource-name stem per resource type. */
export const ENTITY_TYPES: Record<string, readonly [wizType: string, nativeType: string, stem: string]> = {
  AwsS3Bucket: ['BUCKET', 's3#Bucket', 'bucket'],
  AwsEc2Instance: ['VIRTUAL_MACHINE', 'ec2#Instance', 'vm'],
  AwsEc2SecurityGroup: ['FIREWALL', 'ec2#SecurityGroup', 'sg'],
  AwsIamPolicy: ['ACCESS_ROLE_PERMISSION', 'iam#Policy', 'policy'],
  AwsIamUser: ['USER_ACCOUNT', 'iam#User', 'user'],
  AwsIamRole: ['ACCESS_ROLE', 'iam#Role', 'role'],
  AwsRdsDbInstance: ['DB_SERVER', 'rds#DBInstance', 'db'],
  AwsRdsDbCluster: ['DB_SERVER', 'rds#DBCluster', 'dbcluster'],
  AwsCloudTrailTrail: ['CLOUD_LOG_CONFIGURATION', 'cloudtrail#Trail', 'trail'],
  AwsLambdaFunction: ['SERVERLESS', 'lambda#Function', 'fn'],
  AwsKmsKey: ['ENCRYPTION_KEY', 'kms#Key', 'key'],
  AwsEksCluster: ['KUBERNETES_CLUSTER', 'eks#Cluster', 'eks'],
  AwsEc2Volume: ['VOLUME', 'ec2#Volume', 'vol'],
  AwsElbv2LoadBalancer: ['LOAD_BALANCER', 'elbv2#LoadBalancer', 'alb'],
  AwsDynamoDbTable: ['DATABASE', 'dynamodb#Table', 'table'],
  AwsEcrRepository: ['CONTAINER_REGISTRY', 'ecr#Repository', 'repo'],
  AwsSecretsManagerSecret: ['SECRET', 'secretsmanager#Secret', 'secret'],
  AwsCloudFrontDistribution: ['CDN', 'cloudfront#Distribution', 'cdn'],
  AwsOpenSearchServiceDomain: ['DATABASE', 'opensearch#Domain', 'search'],
  AwsEfsFileSystem: ['FILE_SYSTEM_SERVICE', 'efs#FileSystem', 'efs'],
  AwsEcsTaskDefinition: ['CONTAINER_SERVICE', 'ecs#TaskDefinition', 'task'],
  AwsApiGatewayStage: ['API_GATEWAY', 'apigateway#Stage', 'api'],
  'Microsoft.Storage/storageAccounts': ['BUCKET', 'Microsoft.Storage/storageAccounts', 'st'],
  'Microsoft.KeyVault/vaults': ['SECRET_CONTAINER', 'Microsoft.KeyVault/vaults', 'kv'],
  'Microsoft.Network/networkSecurityGroups': ['FIREWALL', 'Microsoft.Network/networkSecurityGroups', 'nsg'],
  'Microsoft.Sql/servers': ['DB_SERVER', 'Microsoft.Sql/servers', 'sql'],
  'Microsoft.Compute/virtualMachines': ['VIRTUAL_MACHINE', 'Microsoft.Compute/virtualMachines', 'vm'],
  'Microsoft.Security/pricings': ['CLOUD_ORGANIZATION', 'Microsoft.Security/pricings', 'defender'],
  'Microsoft.Entra/policies': ['ACCESS_ROLE_PERMISSION', 'Microsoft.Entra/policies', 'policy'],
  'storage.googleapis.com/Bucket': ['BUCKET', 'storage#Bucket', 'bucket'],
  'compute.googleapis.com/Instance': ['VIRTUAL_MACHINE', 'compute#Instance', 'vm'],
  'compute.googleapis.com/Firewall': ['FIREWALL', 'compute#Firewall', 'fw'],
  'iam.googleapis.com/ServiceAccount': ['SERVICE_ACCOUNT', 'iam#ServiceAccount', 'sa'],
  'iam.googleapis.com/ServiceAccountKey': ['ACCESS_KEY', 'iam#ServiceAccountKey', 'sakey'],
  'sqladmin.googleapis.com/Instance': ['DB_SERVER', 'sqladmin#Instance', 'sql'],
  'cloudkms.googleapis.com/CryptoKey': ['ENCRYPTION_KEY', 'cloudkms#CryptoKey', 'key'],
  'logging.googleapis.com/LogSink': ['CLOUD_LOG_CONFIGURATION', 'logging#LogSink', 'sink'],
};

export const WORKLOAD_NAMES = [
  'api',
  'checkout',
  'ledger',
  'auth',
  'search',
  'etl',
  'web',
  'worker',
  'gateway',
  'reports',
];

/** Wiz Controls behind TOXIC_COMBINATION issues (written for the demo). */
export const TOXIC_CONTROLS = [
  {
    id: 'wc-id-1001',
    name: 'Publicly exposed resource with a critical misconfiguration',
    severity: 'CRITICAL',
  },
  { id: 'wc-id-1002', name: 'Internet-facing workload with admin privileges', severity: 'HIGH' },
  { id: 'wc-id-1003', name: 'Unencrypted data store reachable from the internet', severity: 'HIGH' },
] as const;

/** Cloud event rules behind THREAT_DETECTION issues (written for the demo). */
export const THREAT_RULES = [
  { id: 'cer-2001', name: 'API calls from a Tor exit node', severity: 'HIGH', sourceType: 'CLOUDTRAIL' },
  {
    id: 'cer-2002',
    name: 'Crypto-mining process started on a VM',
    severity: 'CRITICAL',
    sourceType: 'SENSOR',
  },
  {
    id: 'cer-2003',
    name: 'Access key used from two countries within an hour',
    severity: 'MEDIUM',
    sourceType: 'CLOUDTRAIL',
  },
] as const;

export const OS_NAMES = {
  linux: ['Amazon Linux 2', 'Ubuntu 22.04 LTS', 'Red Hat Enterprise Linux 8.9', 'Debian 12'],
  windows: ['Windows Server 2019 Datacenter', 'Windows Server 2022 Datacenter'],
} as const;
