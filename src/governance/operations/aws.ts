import { z } from 'zod';
import { hashOf } from '../../core/canonical.js';
import { defineOperations } from '../catalog.js';

// Seed declarations for remediation; the AWS connector issue moves this file next to the connector.
const target = {
  accountId: z.string().regex(/^\d{12}$/, 'a 12-digit AWS account id'),
  region: z.string().min(1).default('us-east-1'),
};

export const awsOperations = defineOperations('aws', [
  {
    name: 's3:put-public-access-block',
    verb: 'containment',
    risk: 'HIGH',
    description: 'Block all public access to an S3 bucket',
    params: z.looseObject({ ...target, bucket: z.string().min(3) }),
    idempotencyKey: (p) => `aws:s3:public-access-block:${p.accountId}:${p.bucket}`,
  },
  {
    name: 'ec2:revoke-security-group-ingress',
    verb: 'destructive',
    risk: 'HIGH',
    description: 'Remove inbound rules from an EC2 security group',
    params: z.looseObject({
      ...target,
      groupId: z.string().regex(/^sg-[0-9a-f]+$/, 'a security group id such as sg-0abc1234'),
      permissions: z
        .array(
          z.object({
            protocol: z.string(),
            fromPort: z.number().int(),
            toPort: z.number().int(),
            cidr: z.string(),
          }),
        )
        .min(1),
    }),
    idempotencyKey: (p) => `aws:ec2:revoke:${p.groupId}:${hashOf(p.permissions).slice(0, 16)}`,
  },
  {
    name: 'iam:deactivate-access-key',
    verb: 'containment',
    risk: 'CRITICAL',
    description: 'Deactivate an IAM access key (leaked credential containment)',
    params: z.looseObject({ ...target, userName: z.string().min(1), accessKeyId: z.string().min(16) }),
    idempotencyKey: (p) => `aws:iam:deactivate:${p.accessKeyId}`,
  },
]);
