import type { CredentialField } from '../kit/credentials.js';

/**
 * AWS credentials for remediation, ahead of the AWS connector: an access key (with its session token for
 * temporary credentials) under the standard AWS variable names, or a role Arx assumes. The role and its
 * ExternalId (the confused-deputy guard) are arx.yaml settings only: no variable names them.
 */
export const AWS_CREDENTIAL_FIELDS: readonly CredentialField[] = [
  {
    name: 'accessKeyId',
    config: 'access_key_id',
    env: 'AWS_ACCESS_KEY_ID',
    description: 'AWS access key id',
    identifies: true,
  },
  {
    name: 'secretAccessKey',
    config: 'secret_access_key',
    env: 'AWS_SECRET_ACCESS_KEY',
    secret: true,
    description: 'AWS secret access key',
  },
  {
    name: 'sessionToken',
    config: 'session_token',
    env: 'AWS_SESSION_TOKEN',
    secret: true,
    description: 'AWS session token of temporary credentials',
  },
  {
    name: 'region',
    config: 'region',
    env: 'AWS_REGION',
    description: 'AWS region',
  },
  {
    name: 'roleArn',
    config: 'role_arn',
    description: 'IAM role Arx assumes for remediation (arn:aws:iam::<account>:role/<name>)',
    identifies: true,
  },
  {
    name: 'externalId',
    config: 'external_id',
    secret: true,
    description: 'ExternalId the role trust policy requires of AssumeRole',
  },
];
