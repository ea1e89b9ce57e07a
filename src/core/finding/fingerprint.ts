import { hashOf } from '../canonical.js';
import { ArxError } from '../errors.js';
import type { Finding } from './model.js';
import { type IdentityBasis, type ResourceRef, resourceIdentity } from './resource-identity.js';

/**
 * Finding keys: a stable fingerprint of (resource identity, rule or CVE, account). Sinks derive their
 * idempotency keys from it (`jira:create:<finding_key>`), so it must not change when a source spells the same
 * resource differently, and must change when the account, rule or CVE differ. Identity precedence is
 * documented in resource-identity.ts.
 */

/** Bumping this re-keys every finding: only with a migration that maps old keys to new. */
export const FINDING_KEY_VERSION = 'fk/1';
export const DEDUPE_KEY_VERSION = 'dk/1';

/** 24 hex digits = 96 bits: collisions are out of reach for any realistic finding count, and it fits a label. */
const KEY_HEX_LENGTH = 24;

export interface FindingKeyInput {
  resource: ResourceRef;
  /** The check or control that failed (compliance, detection). */
  rule?: string;
  /** The vulnerability (wins over `rule` when both are given). */
  cve?: string;
  /** Overrides `resource.account_uid` and the account inside the provider id. */
  account?: string;
}

/** What the key was computed from, for `arx findings explain` and for auditors. */
export interface FindingKeyParts {
  version: string;
  resource: string;
  basis: IdentityBasis;
  account: string;
  subject: string;
}

const CVE_ID = /^CVE-\d{4}-\d{4,}$/;

export function normaliseCve(raw: string): string {
  const cve = raw.trim().toUpperCase();
  if (!CVE_ID.test(cve)) {
    throw new ArxError('finding_key_invalid', `"${raw}" is not a CVE id`, {
      fault: 'caller',
      hint: 'a CVE id looks like CVE-2021-44228',
    });
  }
  return cve;
}

function subjectOf(input: Pick<FindingKeyInput, 'rule' | 'cve'>): string {
  if (input.cve?.trim()) return `cve:${normaliseCve(input.cve)}`;
  // rule ids are compared ignoring case and spacing: `S3_Bucket_Public_Access ` is the same check
  const rule = input.rule?.trim().replace(/\s+/g, ' ').toLowerCase();
  if (rule) return `rule:${rule}`;
  throw new ArxError('finding_key_invalid', 'a finding key needs a rule or a CVE, and both are empty', {
    fault: 'caller',
    hint: 'pass `cve` for vulnerabilities and `rule` (check or control id) for everything else',
  });
}

export function findingKeyParts(input: FindingKeyInput): FindingKeyParts {
  const subject = subjectOf(input);
  const identity = resourceIdentity(input.resource, {
    hostScoped: subject.startsWith('cve:'),
    account: input.account,
  });
  return {
    version: FINDING_KEY_VERSION,
    resource: identity.key,
    basis: identity.basis,
    account: identity.account ?? '',
    subject,
  };
}

function shortHash(prefix: string, value: unknown): string {
  return `${prefix}${hashOf(value).slice(0, KEY_HEX_LENGTH)}`;
}

/**
 * `fk_` + 24 hex digits.
 * @example findingKey({ resource: { uid: 'arn:aws:s3:::logs', type: 'AwsS3Bucket', account_uid: '123456789012' },
 *   rule: 's3_bucket_public_access' })
 */
export function findingKey(input: FindingKeyInput): string {
  const { version, resource, account, subject } = findingKeyParts(input);
  return shortHash('fk_', { v: version, resource, account, subject });
}

/** The key of a normalised finding: its CVE if it has one, else its compliance control. */
export function findingKeyFor(
  finding: {
    resource: ResourceRef;
    vulnerability?: Pick<NonNullable<Finding['vulnerability']>, 'cve_uid'> | undefined;
    compliance?: Pick<NonNullable<Finding['compliance']>, 'control'> | undefined;
  },
  rule?: string,
): string {
  return findingKey({
    resource: finding.resource,
    cve: finding.vulnerability?.cve_uid,
    rule: rule ?? finding.compliance?.control,
  });
}

/**
 * Keys for "the same CVE (or rule) on the same asset, whichever source saw it". Unlike the finding key they
 * leave the account out, because a network scanner often does not know the cloud account a host lives in.
 * One key per host facet (IP, host name, instance id), so two findings are about the same asset when their
 * sets intersect; a resource with no host facet yields one key from its identity and account, which needs
 * no help from the network.
 *
 * Caveat: overlapping private address spaces (10.0.0.0/8 in two VPCs) can make two hosts share an IP
 * facet; callers that know both accounts should check they agree before merging.
 */
export function dedupeKeys(input: Omit<FindingKeyInput, 'account'> & { account?: string }): string[] {
  const subject = subjectOf(input);
  const identity = resourceIdentity(input.resource, { hostScoped: true, account: input.account });
  if (identity.hostFacets.length === 0) {
    return [
      shortHash('dk_', {
        v: DEDUPE_KEY_VERSION,
        asset: identity.key,
        account: identity.account ?? '',
        subject,
      }),
    ];
  }
  return identity.hostFacets.map((facet) =>
    shortHash('dk_', { v: DEDUPE_KEY_VERSION, asset: facet.key, subject }),
  );
}

/** The first dedupe key, by the identity precedence (IP, then host name, then instance id). */
export function dedupeKey(input: Omit<FindingKeyInput, 'account'> & { account?: string }): string {
  return dedupeKeys(input)[0]!;
}
