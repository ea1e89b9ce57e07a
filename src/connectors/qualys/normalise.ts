import { compact } from '../../core/compact.js';
import { isArxError } from '../../core/errors.js';
import { findingKey, normaliseCve } from '../../core/finding/fingerprint.js';
import type {
  FindingInput,
  FindingStatus,
  Resource,
  Severity,
  Vulnerability,
} from '../../core/finding/model.js';
import {
  enrichVulnerability,
  environmentOf,
  isoTime,
  type NormaliseContext,
  ownerOf,
} from '../normalise/context.js';
import { accept, type NormaliseResult, quarantine } from '../normalise/result.js';
import {
  type DetectionPage,
  type KnowledgeBase,
  type KnowledgeBaseEntry,
  parseDetectionPage,
  type QualysDetection,
  type QualysHost,
} from './normalise-xml.js';

/**
 * Qualys host detections → findings. A detection names a QID, not a CVE (api-contracts §5.2), so the
 * KnowledgeBase map (§5.3) turns it into one finding per CVE: the same CVE on the same host then keys the
 * same way as Wiz's. A QID the KnowledgeBase lists without any CVE becomes one finding keyed by the QID.
 */

export interface QualysNormaliseContext extends NormaliseContext {
  /** QID → KnowledgeBase entry; a detection whose QID is missing is quarantined, never keyed by guesswork. */
  knowledgeBase: KnowledgeBase;
}

/** Qualys severity levels 1 (minimal) … 5 (urgent) onto ours. */
export const QUALYS_SEVERITY: Record<string, Severity> = {
  '1': 'informational',
  '2': 'low',
  '3': 'medium',
  '4': 'high',
  '5': 'critical',
};

/** Detection `STATUS` (compared lower-case). Ignored or disabled detections are suppressed whatever it says. */
export const QUALYS_STATUS: Record<string, FindingStatus> = {
  new: 'new',
  active: 'new',
  're-opened': 'new',
  reopened: 'new',
  fixed: 'resolved',
};

const CLOUD_PROVIDERS: Record<string, Resource['cloud_provider']> = {
  aws: 'aws',
  azure: 'azure',
  gcp: 'gcp',
  oci: 'oci',
};

/** A scanner host seen in the cloud is the cloud's instance; otherwise a generic host. */
const INSTANCE_TYPES: Record<string, string> = {
  aws: 'AwsEc2Instance',
  azure: 'AzureVirtualMachine',
  gcp: 'GcpComputeInstance',
};

/** The host's resource, or the field that makes it unidentifiable. */
export function qualysHostResource(
  host: QualysHost,
  ctx: NormaliseContext = {},
): { ok: true; resource: Resource } | { ok: false; reason: string } {
  const provider = host.cloudProvider
    ? (CLOUD_PROVIDERS[host.cloudProvider.toLowerCase()] ?? 'other')
    : undefined;
  const instanceId = host.cloudResourceId ?? host.ec2InstanceId;
  const instanceType = provider
    ? INSTANCE_TYPES[provider]
    : host.ec2InstanceId
      ? 'AwsEc2Instance'
      : undefined;
  const hostname = host.fqdn ?? host.dns;
  const ip = host.ip ?? host.ipv6;
  let uid: string | undefined;
  let type = 'Host';
  if (instanceId && instanceType) {
    uid = instanceId;
    type = instanceType;
  } else {
    // the Qualys host id is prefixed so it can never pass for a host name
    uid = hostname ?? ip ?? (host.id ? `qualys:host/${host.id}` : undefined);
  }
  if (!uid) return { ok: false, reason: 'HOST has no ID, IP, DNS or cloud instance id to identify it' };
  const tags = Object.fromEntries(host.tags.map((t) => [t, '']));
  const account = host.cloudAccountId ? ctx.accounts?.[host.cloudAccountId] : undefined;
  const resource = compact({
    uid,
    type,
    name: host.dns ?? host.netbios ?? ip,
    cloud_provider: provider ?? (host.ec2InstanceId ? 'aws' : undefined),
    account_uid: host.cloudAccountId,
    account_name: account?.name,
    tags,
    environment: environmentOf(tags, account),
    owner: ownerOf(tags, account),
    criticality: account?.criticality,
    ip,
    hostname,
  }) as Resource;
  return { ok: true, resource };
}

function statusOf(detection: QualysDetection): FindingStatus | undefined {
  if (detection.isIgnored || detection.isDisabled) return 'suppressed';
  if (!detection.status) return 'new';
  return QUALYS_STATUS[detection.status.toLowerCase()];
}

function vulnerabilityFor(cve: string, kb: KnowledgeBaseEntry, detection: QualysDetection): Vulnerability {
  const factorCvss = Number(detection.qdsFactors.cvss);
  const factorEpss = Number(detection.qdsFactors.epss);
  const cvss = kb.cvssV3 ?? (Number.isFinite(factorCvss) ? factorCvss : undefined) ?? kb.cvssV2;
  return compact({
    cve_uid: cve,
    title: kb.title,
    cvss_score: cvss !== undefined && cvss >= 0 && cvss <= 10 ? cvss : undefined,
    cvss_version:
      kb.cvssV3 !== undefined ? '3.x' : kb.cvssV2 !== undefined && cvss === kb.cvssV2 ? '2.0' : undefined,
    epss_score: Number.isFinite(factorEpss) && factorEpss >= 0 && factorEpss <= 1 ? factorEpss : undefined,
    is_fix_available: kb.patchable,
    packages: [],
    vendor_uid: `qid:${kb.qid}`,
  }) as Vulnerability;
}

/**
 * One detection on one host → one result per CVE of its QID (or one keyed by the QID when it has none).
 * `path` locates the detection for quarantine reasons (`HOST[0].DETECTION_LIST.DETECTION[2]`).
 */
export function normaliseQualysDetection(
  host: QualysHost,
  detection: QualysDetection,
  ctx: QualysNormaliseContext,
): NormaliseResult[] {
  const path = `HOST[${host.index}].DETECTION_LIST.DETECTION[${detection.index}]`;
  const raw = { host: { id: host.id, ip: host.ip, dns: host.dns }, detection };
  const fail = (reason: string, field: string) => [quarantine(reason, `${path}.${field}`, raw)];

  const identity = qualysHostResource(host, ctx);
  if (!identity.ok) return [quarantine(identity.reason, `HOST[${host.index}].ID`, raw)];
  if (!detection.qid) return fail('QID is missing', 'QID');
  const kb = ctx.knowledgeBase.get(detection.qid);
  if (!kb) {
    return fail(
      `QID ${detection.qid} is not in the KnowledgeBase map: fetch it (knowledge_base/vuln/?action=list&ids=${detection.qid}) so its CVEs are known`,
      'QID',
    );
  }
  const severityLevel = detection.severity ?? kb.severity;
  const severity = severityLevel ? QUALYS_SEVERITY[severityLevel] : undefined;
  if (!severity)
    return fail(`SEVERITY ${JSON.stringify(severityLevel ?? null)} is not a level 1–5`, 'SEVERITY');
  const status = statusOf(detection);
  if (!status) {
    return fail(
      `STATUS "${detection.status}" is not one of ${Object.keys(QUALYS_STATUS).join(', ')}`,
      'STATUS',
    );
  }
  const first =
    isoTime(detection.firstFound) ??
    isoTime(detection.lastFound) ??
    isoTime(host.lastScan) ??
    isoTime(ctx.observedAt);
  if (!first) return fail('FIRST_FOUND_DATETIME is missing or not a timestamp', 'FIRST_FOUND_DATETIME');
  const last = isoTime(detection.lastFound) ?? first;

  const resource = identity.resource;
  const sourceId =
    detection.uniqueVulnId ?? `${host.id ?? resource.uid}-${detection.qid}-${detection.port ?? '0'}`;
  const base = (sourceUid: string): Omit<FindingInput, 'finding_key' | 'title'> => ({
    class: 'vulnerability',
    desc: kb.diagnosis,
    severity,
    status,
    resource,
    sources: [
      {
        vendor: 'qualys',
        product: 'Qualys VMDR',
        uid: sourceUid,
        tickets: [],
        first_seen_time: first,
        last_seen_time: last,
      },
    ],
    first_seen_time: first,
    last_seen_time: last,
    remediation: kb.solution ? { desc: kb.solution, references: [] } : undefined,
  });
  const qidTitle = kb.title ?? `Qualys QID ${kb.qid}`;

  if (kb.cves.length === 0) {
    const control = `qualys-qid-${kb.qid}`;
    return [
      accept(
        {
          ...base(sourceId),
          finding_key: findingKey({ resource, rule: control }),
          title: qidTitle,
          compliance: { control, control_name: kb.title, standards: [], requirements: [] },
        },
        raw,
      ),
    ];
  }

  return kb.cves.map((rawCve) => {
    let cve: string;
    try {
      cve = normaliseCve(rawCve);
    } catch (err) {
      if (!isArxError(err)) throw err;
      return quarantine(
        `KnowledgeBase QID ${kb.qid} lists "${rawCve}", which is not a CVE id`,
        `${path}.QID`,
        raw,
      );
    }
    return accept(
      {
        ...base(`${sourceId}:${cve}`),
        finding_key: findingKey({ resource, cve }),
        title: `${cve}: ${qidTitle}`,
        vulnerability: enrichVulnerability(vulnerabilityFor(cve, kb, detection), ctx.lookup),
      },
      raw,
    );
  });
}

/** Every detection of one page, host by host: the page can be dropped as soon as it is consumed. */
export function* normaliseDetectionPage(
  page: DetectionPage | string,
  ctx: QualysNormaliseContext,
): Generator<NormaliseResult> {
  const parsed = typeof page === 'string' ? parseDetectionPage(page) : page;
  // the page's own DATETIME stands in for a detection with no timestamp at all
  const withTime = { ...ctx, observedAt: ctx.observedAt ?? parsed.datetime };
  for (const host of parsed.hosts) {
    for (const detection of host.detections) yield* normaliseQualysDetection(host, detection, withTime);
  }
}
