import { normaliseAccount, parseCloudId } from './cloud-ids.js';
import type { Resource } from './model.js';
import { normaliseHostname, normaliseIp } from './network-ids.js';

/**
 * Who a finding is about, in one canonical spelling.
 *
 * Identity precedence (first that applies wins):
 *
 * 1. Host-scoped findings (a CVE, or any finding on a generic `Host`) that carry a network identity:
 *    a. IP address (`ip:10.0.1.7`): network scanners, agents and cloud inventories all report it and all
 *       spell it the same way, which is what lets Wiz and Qualys land on one finding;
 *    b. host name (`host:api-1.internal`, full name, lower-case) when there is no IP.
 * 2. The provider id, canonicalised (`parseCloudId`): AWS ARN or bare name of a known type (the ARN and
 *    `my-bucket` of type AwsS3Bucket agree), Azure resource id (case-insensitive), GCP full resource name or
 *    self link.
 * 3. A generic host with nothing else: the scanner's host id (`hostid:123456`).
 * 4. Otherwise the source's uid as given, with its type (`uid:<type>:<uid>`), case kept: we do not know the
 *    provider's case rules, and merging two different resources is worse than missing one duplicate.
 *
 * The account is part of the finding key but not of the identity string: explicit account, else
 * `resource.account_uid`, else the account named inside the provider id.
 */
export type ResourceRef = Pick<Resource, 'uid' | 'type'> &
  Partial<Pick<Resource, 'region' | 'cloud_provider' | 'account_uid' | 'ip' | 'hostname'>>;

export type IdentityBasis = 'ip' | 'hostname' | 'cloud_id' | 'scanner_host_id' | 'uid';

/** One way to recognise the same machine across sources. */
export interface HostFacet {
  kind: 'ip' | 'hostname' | 'instance';
  /** Canonical value, prefixed by kind (`ip:10.0.1.7`, `host:web01`, `instance:aws:aws:ec2::instance/i-0abc`). */
  key: string;
}

export interface ResourceIdentity {
  key: string;
  basis: IdentityBasis;
  account: string | undefined;
  /** Every network or instance identity the resource carries, in precedence order (IP, host name, instance). */
  hostFacets: HostFacet[];
}

/** Type names that mean "a machine" whatever the source calls it (compared without case or punctuation). */
const GENERIC_HOST_TYPES = new Set(['host', 'server', 'virtualmachine', 'vm', 'endpoint', 'asset']);

export function isGenericHostType(type: string): boolean {
  return GENERIC_HOST_TYPES.has(type.toLowerCase().replace(/[^a-z]/g, ''));
}

export function resourceIdentity(
  resource: ResourceRef,
  options: { hostScoped: boolean; account?: string },
): ResourceIdentity {
  const cloud = parseCloudId(resource.uid, resource.type, resource.region);
  const genericHost = isGenericHostType(resource.type);
  const account =
    normaliseAccount(options.account) ??
    normaliseAccount(resource.account_uid) ??
    normaliseAccount(cloud?.account);

  const ip = normaliseIp(resource.ip) ?? normaliseIp(resource.uid);
  // a bare uid is a host name only on a host (bucket names look like DNS names too) and only when fully
  // qualified: a dotless uid is as likely a scanner's asset id
  const uidAsHost = genericHost && resource.uid.includes('.') ? normaliseHostname(resource.uid) : undefined;
  const hostname = normaliseHostname(resource.hostname) ?? uidAsHost;
  const hostFacets: HostFacet[] = [];
  if (ip) hostFacets.push({ kind: 'ip', key: `ip:${ip}` });
  if (hostname) hostFacets.push({ kind: 'hostname', key: `host:${hostname}` });
  if (cloud?.isInstance) hostFacets.push({ kind: 'instance', key: `instance:${cloud.key}` });

  const hostScoped = options.hostScoped || genericHost;
  const network = hostFacets.find((f) => f.kind !== 'instance');
  if (hostScoped && network) {
    return { key: network.key, basis: network.kind === 'ip' ? 'ip' : 'hostname', account, hostFacets };
  }
  if (cloud) return { key: cloud.key, basis: 'cloud_id', account, hostFacets };
  const uid = resource.uid.trim();
  if (genericHost) return { key: `hostid:${uid}`, basis: 'scanner_host_id', account, hostFacets };
  const caseless = resource.cloud_provider === 'azure';
  return {
    key: `uid:${resource.type.trim().toLowerCase()}:${caseless ? uid.toLowerCase() : uid}`,
    basis: 'uid',
    account,
    hostFacets,
  };
}
