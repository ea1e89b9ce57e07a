import {
  cveRow,
  type Host,
  isQualysHost,
  packageFor,
  QUALYS_HOST_ID_BASE,
  qidForCve,
} from '../tenant/hosts.js';
import type { Lifecycle } from '../tenant/lifecycle.js';
import type { DemoTenant } from '../tenant/tenant.js';
import {
  inRanges,
  ParamError,
  type Params,
  parseDate,
  parseFlag,
  parseInteger,
  parseRanges,
  rejectUnknown,
} from './params.js';
import { cdata, element, isoSeconds, XML_HEADER } from './xml.js';

export const DETECTION_PARAMS = [
  'action',
  'echo_request',
  'truncation_limit',
  'id_min',
  'id_max',
  'ids',
  'severities',
  'status',
  'qids',
  'show_qds',
  'show_qds_factors',
  'qds_min',
  'qds_max',
  'detection_updated_since',
  'detection_updated_before',
  'vm_processed_after',
  'vm_processed_before',
  'show_results',
  'include_vuln_type',
  'output_format',
  'show_igs',
  'active_kernels_only',
  'arf_kernel_filter',
] as const;

const STATUSES = ['New', 'Active', 'Re-Opened', 'Fixed'] as const;
type DetectionStatus = (typeof STATUSES)[number];
/** Fixed detections are left out unless asked for, as Qualys does. */
const DEFAULT_STATUSES: DetectionStatus[] = ['New', 'Active', 'Re-Opened'];
const DEFAULT_TRUNCATION = 1000;

export interface DetectionQuery {
  params: Params;
  truncation: number;
  ids?: Array<[number, number]>;
  idMin: number;
  idMax: number;
  severities?: Array<[number, number]>;
  qids?: Array<[number, number]>;
  statuses: DetectionStatus[];
  showQds: boolean;
  showQdsFactors: boolean;
  qdsMin: number;
  qdsMax: number;
  updatedSince?: number;
  updatedBefore?: number;
  processedAfter?: number;
  processedBefore?: number;
  showResults: boolean;
}

export function parseDetectionQuery(params: Params, allowUnlimited: boolean): DetectionQuery {
  rejectUnknown(params, DETECTION_PARAMS);
  if (params.action !== 'list') throw new ParamError('Bad parameter action: it must be "list".');
  const truncation = parseInteger('truncation_limit', params.truncation_limit, DEFAULT_TRUNCATION);
  if (truncation === 0 && !allowUnlimited)
    throw new ParamError('Bad parameter truncation_limit: it must be at least 1.');
  const statuses = (params.status ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const status of statuses) {
    if (!STATUSES.includes(status as DetectionStatus)) {
      throw new ParamError(`Bad parameter status: "${status}" (allowed: ${STATUSES.join(', ')}).`);
    }
  }
  return {
    params,
    truncation,
    ids: parseRanges('ids', params.ids),
    idMin: parseInteger('id_min', params.id_min, 0),
    idMax: parseInteger('id_max', params.id_max, Number.MAX_SAFE_INTEGER),
    severities: parseRanges('severities', params.severities),
    qids: parseRanges('qids', params.qids),
    statuses: statuses.length > 0 ? (statuses as DetectionStatus[]) : DEFAULT_STATUSES,
    showQds: parseFlag('show_qds', params.show_qds, false),
    showQdsFactors: parseFlag('show_qds_factors', params.show_qds_factors, false),
    qdsMin: parseInteger('qds_min', params.qds_min, 0),
    qdsMax: parseInteger('qds_max', params.qds_max, 100),
    updatedSince: parseDate('detection_updated_since', params.detection_updated_since),
    updatedBefore: parseDate('detection_updated_before', params.detection_updated_before),
    processedAfter: parseDate('vm_processed_after', params.vm_processed_after),
    processedBefore: parseDate('vm_processed_before', params.vm_processed_before),
    showResults: parseFlag('show_results', params.show_results, true),
  };
}

export function qualysSeverity(cvss: number): number {
  return cvss >= 9 ? 5 : cvss >= 7 ? 4 : cvss >= 4 ? 3 : cvss > 0 ? 2 : 1;
}

/** Qualys Detection Score (0-100) as a blend of CVSS and EPSS; the blend is ours, the inputs are real. */
function qds(cvss: number, epss: number): { score: number; severity: string } {
  const score = Math.min(100, Math.round(cvss * 6 + epss * 40));
  const severity = score >= 90 ? 'CRITICAL' : score >= 70 ? 'HIGH' : score >= 40 ? 'MEDIUM' : 'LOW';
  return { score, severity };
}

function detectionStatus(lifecycle: Lifecycle, firstSeenScan: boolean): DetectionStatus {
  if (lifecycle.status === 'RESOLVED') return 'Fixed';
  if (lifecycle.reopened) return 'Re-Opened';
  return firstSeenScan ? 'New' : 'Active';
}

/** When the agent's results for a host were last processed: just after the scan, staggered per host. */
function processedAt(tenant: DemoTenant, host: Host): number {
  return tenant.scannedAt + (host.index % 600) * 1000;
}

function detectionXml(
  tenant: DemoTenant,
  query: DetectionQuery,
  host: Host,
  vuln: number,
): string | undefined {
  const cveIndex = tenant.cveOfVuln(vuln, host);
  const row = cveRow(cveIndex);
  const qid = qidForCve(cveIndex);
  const severity = qualysSeverity(row[1]);
  if (!inRanges(severity, query.severities) || !inRanges(qid, query.qids)) return undefined;
  const lifecycle = tenant.vulnLifecycle(vuln);
  const created = tenant.createdAt('vuln', vuln, tenant.vulnJitter(vuln));
  const status = detectionStatus(
    lifecycle,
    lifecycle.timesFound === 1 && lifecycle.lastSeenAt === tenant.scannedAt,
  );
  if (!query.statuses.includes(status)) return undefined;
  const updated = Math.max(lifecycle.statusChangedAt, lifecycle.lastSeenAt);
  if (query.updatedSince !== undefined && !(updated > query.updatedSince)) return undefined;
  if (query.updatedBefore !== undefined && !(updated < query.updatedBefore)) return undefined;
  const score = qds(row[1], row[2]);
  if (
    (query.showQds || query.params.qds_min || query.params.qds_max) &&
    (score.score < query.qdsMin || score.score > query.qdsMax)
  ) {
    return undefined;
  }
  const pkg = packageFor(tenant.seed, vuln, row);
  const parts = [
    element('UNIQUE_VULN_ID', 100_000_000 + vuln),
    element('QID', qid),
    element('TYPE', 'Confirmed'),
    element('SEVERITY', severity),
    element('SSL', 0),
    query.showResults
      ? `<RESULTS>${cdata(`Package\tInstalled Version\tRequired Version\n${pkg.name}\t${pkg.version}\t${pkg.fixedVersion ?? 'none'}`)}</RESULTS>`
      : '',
    element('STATUS', status),
    element('FIRST_FOUND_DATETIME', isoSeconds(created)),
    element('LAST_FOUND_DATETIME', isoSeconds(lifecycle.lastSeenAt)),
    query.showQds ? `<QDS severity="${score.severity}">${score.score}</QDS>` : '',
    query.showQdsFactors
      ? `<QDS_FACTORS><QDS_FACTOR name="CVSS">${cdata(String(row[1]))}</QDS_FACTOR>` +
        `<QDS_FACTOR name="epss">${cdata(String(row[2]))}</QDS_FACTOR>` +
        `<QDS_FACTOR name="CISA_vuln">${cdata('YES')}</QDS_FACTOR></QDS_FACTORS>`
      : '',
    element('TIMES_FOUND', lifecycle.timesFound),
    element('LAST_TEST_DATETIME', isoSeconds(tenant.scannedAt)),
    element('LAST_UPDATE_DATETIME', isoSeconds(updated)),
    lifecycle.resolvedAt ? element('LAST_FIXED_DATETIME', isoSeconds(lifecycle.resolvedAt)) : '',
    element('IS_IGNORED', 0),
    element('IS_DISABLED', 0),
    element('LAST_PROCESSED_DATETIME', isoSeconds(processedAt(tenant, host))),
  ];
  return `<DETECTION>${parts.join('')}</DETECTION>`;
}

/** A host's `<HOST>` element, or undefined when the host or none of its detections match. */
function hostXml(tenant: DemoTenant, query: DetectionQuery, hostIndex: number): string | undefined {
  if (!isQualysHost(hostIndex)) return undefined;
  const id = QUALYS_HOST_ID_BASE + hostIndex;
  if (id < query.idMin || id > query.idMax || !inRanges(id, query.ids)) return undefined;
  const host = tenant.host(hostIndex);
  const processed = processedAt(tenant, host);
  if (query.processedAfter !== undefined && !(processed > query.processedAfter)) return undefined;
  if (query.processedBefore !== undefined && !(processed < query.processedBefore)) return undefined;
  const detections: string[] = [];
  for (let vuln = hostIndex; vuln < tenant.count('vuln'); vuln += tenant.hosts) {
    const xml = detectionXml(tenant, query, host, vuln);
    if (xml) detections.push(xml);
  }
  if (detections.length === 0) return undefined;
  return (
    `<HOST>${element('ID', id)}${element('ASSET_ID', host.qualys!.assetId)}${element('IP', host.ip)}` +
    `${element('TRACKING_METHOD', 'AGENT')}<OS>${cdata(host.osName)}</OS><DNS>${cdata(host.hostname)}</DNS>` +
    `<DNS_DATA><HOSTNAME>${cdata(host.hostname.split('.')[0]!)}</HOSTNAME><FQDN>${cdata(host.hostname)}</FQDN></DNS_DATA>` +
    `${element('LAST_SCAN_DATETIME', isoSeconds(processed))}${element('LAST_VM_SCANNED_DATE', isoSeconds(processed))}` +
    `${element('LAST_VM_AUTH_SCANNED_DATE', isoSeconds(processed))}` +
    `<DETECTION_LIST>${detections.join('')}</DETECTION_LIST></HOST>`
  );
}

/**
 * The `HOST_LIST_VM_DETECTION_OUTPUT` document, streamed host by host (memory stays O(one host) even with
 * `truncation_limit=0`). When more hosts match beyond the limit, a WARNING 1980 carries the next page's URL:
 * the same parameters with `id_min` past the last host sent.
 */
export async function* detectionDocument(
  tenant: DemoTenant,
  query: DetectionQuery,
  requestUrl: string,
): AsyncGenerator<string> {
  yield `${XML_HEADER}<!DOCTYPE HOST_LIST_VM_DETECTION_OUTPUT SYSTEM "https://qualysapi.qualys.com/api/2.0/fo/asset/host/vm/detection/host_list_vm_detection_output.dtd">\n`;
  yield `<HOST_LIST_VM_DETECTION_OUTPUT><RESPONSE><DATETIME>${isoSeconds(tenant.scannedAt)}</DATETIME>`;
  const first = Math.max(0, query.idMin - QUALYS_HOST_ID_BASE);
  let sent = 0;
  let lastId = 0;
  let more = false;
  let opened = false;
  for (let hostIndex = first; hostIndex < tenant.hosts; hostIndex++) {
    const xml = hostXml(tenant, query, hostIndex);
    if (!xml) continue;
    if (query.truncation > 0 && sent === query.truncation) {
      more = true;
      break;
    }
    if (!opened) {
      yield '<HOST_LIST>';
      opened = true;
    }
    yield xml;
    sent++;
    lastId = QUALYS_HOST_ID_BASE + hostIndex;
  }
  if (opened) yield '</HOST_LIST>';
  if (more) {
    const next = new URL(requestUrl);
    next.search = new URLSearchParams({ ...query.params, id_min: String(lastId + 1) }).toString();
    yield `<WARNING><CODE>1980</CODE><TEXT>${query.truncation} record limit exceeded. Use URL to get next batch of results.</TEXT><URL>${cdata(next.toString())}</URL></WARNING>`;
  }
  yield '</RESPONSE></HOST_LIST_VM_DETECTION_OUTPUT>\n';
}
