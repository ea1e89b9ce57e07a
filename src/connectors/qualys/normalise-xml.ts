import { XMLParser } from 'fast-xml-parser';
import { ArxError } from '../../core/errors.js';

/**
 * Qualys VM API XML (api-contracts §5.2–5.4) parsed into plain records, one page at a time: the host list
 * detection output, the KnowledgeBase, and `SIMPLE_RETURN` errors. Handles the quirks the contract lists:
 * CDATA values, the literal string `null`, self-closing empty elements, and one-vs-many children.
 */

export interface QualysDetection {
  uniqueVulnId?: string;
  qid?: string;
  type?: string;
  severity?: string;
  port?: string;
  protocol?: string;
  status?: string;
  firstFound?: string;
  lastFound?: string;
  isIgnored: boolean;
  isDisabled: boolean;
  qds?: string;
  qdsFactors: Record<string, string>;
  results?: string;
  /** Index of this detection within its host, for quarantine paths. */
  index: number;
}

export interface QualysHost {
  id?: string;
  assetId?: string;
  ip?: string;
  ipv6?: string;
  trackingMethod?: string;
  os?: string;
  dns?: string;
  fqdn?: string;
  netbios?: string;
  cloudProvider?: string;
  cloudService?: string;
  cloudResourceId?: string;
  cloudAccountId?: string;
  ec2InstanceId?: string;
  lastScan?: string;
  tags: string[];
  detections: QualysDetection[];
  /** Index of this host within the page. */
  index: number;
}

export interface DetectionPage {
  datetime?: string;
  hosts: QualysHost[];
  /** `WARNING/URL` when `WARNING/CODE` is 1980: the next page. */
  nextUrl?: string;
}

export interface KnowledgeBaseEntry {
  qid: string;
  title?: string;
  severity?: string;
  category?: string;
  cves: string[];
  cvssV3?: number;
  cvssV2?: number;
  patchable?: boolean;
  diagnosis?: string;
  solution?: string;
}
export type KnowledgeBase = Map<string, KnowledgeBaseEntry>;

/** Elements that repeat; everything else is read as a single child. */
const REPEATED = new Set(['HOST', 'DETECTION', 'QDS_FACTOR', 'TAG', 'VULN', 'CVE']);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  isArray: (name) => REPEATED.has(name),
  // entity expansion bounded: a hostile DOCTYPE must not blow up memory
  processEntities: { enabled: true, maxTotalExpansions: 10_000, maxExpandedLength: 1_000_000 },
});

type Node = Record<string, unknown>;

/** `WARNING/CODE` that means "more results: fetch WARNING/URL" (§5.2). */
export const QUALYS_MORE_RESULTS_CODE = '1980';

export function parseQualysXml(xml: string): Node {
  let doc: unknown;
  try {
    doc = parser.parse(xml, true);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new ArxError('malformed_payload', `Qualys XML is not well formed: ${reason.slice(0, 200)}`, {
      fault: 'tool',
      retryable: false,
    });
  }
  const root = doc as Node;
  const error = node(root.SIMPLE_RETURN);
  if (error) {
    const response = node(error.RESPONSE);
    const code = text(response?.CODE) ?? 'unknown';
    throw new ArxError('qualys_error', `Qualys error ${code}: ${text(response?.TEXT) ?? 'no text'}`, {
      fault: 'tool',
      retryable: false,
      details: { qualysCode: code },
    });
  }
  return root;
}

/** One page of `HOST_LIST_VM_DETECTION_OUTPUT`. */
export function parseDetectionPage(xml: string): DetectionPage {
  const root = parseQualysXml(xml);
  const output = node(root.HOST_LIST_VM_DETECTION_OUTPUT);
  if (!output) {
    throw new ArxError(
      'malformed_payload',
      `expected HOST_LIST_VM_DETECTION_OUTPUT, found ${rootName(root)}`,
      {
        fault: 'caller',
        hint: 'pass the XML returned by /api/2.0/fo/asset/host/vm/detection/?action=list',
      },
    );
  }
  const response = node(output.RESPONSE) ?? {};
  const hosts = list(node(response.HOST_LIST)?.HOST).map((h, index) => readHost(node(h) ?? {}, index));
  const warning = node(response.WARNING);
  const nextUrl = text(warning?.CODE) === QUALYS_MORE_RESULTS_CODE ? text(warning?.URL) : undefined;
  return { datetime: text(response.DATETIME), hosts, nextUrl };
}

/** `KNOWLEDGE_BASE_VULN_LIST_OUTPUT` → QID-keyed map. */
export function parseKnowledgeBase(xml: string, into: KnowledgeBase = new Map()): KnowledgeBase {
  const root = parseQualysXml(xml);
  const output = node(root.KNOWLEDGE_BASE_VULN_LIST_OUTPUT);
  if (!output) {
    throw new ArxError(
      'malformed_payload',
      `expected KNOWLEDGE_BASE_VULN_LIST_OUTPUT, found ${rootName(root)}`,
      {
        fault: 'caller',
        hint: 'pass the XML returned by /api/2.0/fo/knowledge_base/vuln/?action=list',
      },
    );
  }
  const vulns = list(node(node(output.RESPONSE)?.VULN_LIST)?.VULN);
  for (const raw of vulns) {
    const v = node(raw) ?? {};
    const qid = text(v.QID);
    if (!qid) continue;
    into.set(qid, {
      qid,
      title: text(v.TITLE),
      severity: text(v.SEVERITY_LEVEL),
      category: text(v.CATEGORY),
      cves: list(node(v.CVE_LIST)?.CVE)
        .map((c) => text(node(c)?.ID))
        .filter((c): c is string => c !== undefined),
      cvssV3: number(node(v.CVSS_V3)?.BASE),
      cvssV2: number(node(v.CVSS)?.BASE),
      patchable: flag(v.PATCHABLE),
      diagnosis: text(v.DIAGNOSIS),
      solution: text(v.SOLUTION),
    });
  }
  return into;
}

export function rootName(root: Node): string {
  return Object.keys(root).find((k) => !k.startsWith('?') && !k.startsWith('!')) ?? 'nothing';
}

function readHost(h: Node, index: number): QualysHost {
  const dnsData = node(h.DNS_DATA);
  return {
    id: text(h.ID),
    assetId: text(h.ASSET_ID),
    ip: text(h.IP),
    ipv6: text(h.IPV6),
    trackingMethod: text(h.TRACKING_METHOD),
    os: text(h.OS),
    dns: text(h.DNS) ?? text(dnsData?.HOSTNAME),
    fqdn: text(dnsData?.FQDN),
    netbios: text(h.NETBIOS),
    cloudProvider: text(h.CLOUD_PROVIDER),
    cloudService: text(h.CLOUD_SERVICE),
    cloudResourceId: text(h.CLOUD_RESOURCE_ID),
    cloudAccountId: text(h.CLOUD_ACCOUNT_ID),
    ec2InstanceId: text(h.EC2_INSTANCE_ID),
    lastScan: text(h.LAST_SCAN_DATETIME) ?? text(h.LAST_VM_SCANNED_DATE),
    tags: list(node(h.TAGS)?.TAG)
      .map((t) => text(node(t)?.NAME))
      .filter((t): t is string => t !== undefined),
    detections: list(node(h.DETECTION_LIST)?.DETECTION).map((d, i) => readDetection(node(d) ?? {}, i)),
    index,
  };
}

function readDetection(d: Node, index: number): QualysDetection {
  const factors: Record<string, string> = {};
  for (const f of list(node(d.QDS_FACTORS)?.QDS_FACTOR)) {
    const factor = node(f);
    const name = typeof factor?.['@_name'] === 'string' ? factor['@_name'] : undefined;
    const value = text(factor);
    if (name && value !== undefined) factors[name.toLowerCase()] = value;
  }
  return {
    uniqueVulnId: text(d.UNIQUE_VULN_ID),
    qid: text(d.QID),
    type: text(d.TYPE),
    severity: text(d.SEVERITY),
    port: text(d.PORT),
    protocol: text(d.PROTOCOL),
    status: text(d.STATUS),
    firstFound: text(d.FIRST_FOUND_DATETIME),
    lastFound: text(d.LAST_FOUND_DATETIME),
    isIgnored: flag(d.IS_IGNORED) ?? false,
    isDisabled: flag(d.IS_DISABLED) ?? false,
    qds: text(d.QDS),
    qdsFactors: factors,
    results: text(d.RESULTS),
    index,
  };
}

function node(value: unknown): Node | undefined {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Node) : undefined;
}

function list(value: unknown): unknown[] {
  if (value === undefined || value === null || value === '') return [];
  return Array.isArray(value) ? value : [value];
}

/** Element text: CDATA and plain text alike; empty, self-closing and the literal `null` read as absent. */
export function text(value: unknown): string | undefined {
  let raw: unknown = value;
  const n = node(value);
  if (n) raw = n['#text'];
  if (typeof raw === 'number' || typeof raw === 'boolean') raw = String(raw);
  if (typeof raw !== 'string') return undefined;
  const trimmed = raw.trim();
  return trimmed === '' || trimmed.toLowerCase() === 'null' ? undefined : trimmed;
}

function number(value: unknown): number | undefined {
  const t = text(value);
  if (t === undefined) return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : undefined;
}

function flag(value: unknown): boolean | undefined {
  const t = text(value);
  if (t === undefined) return undefined;
  return t === '1' || t.toLowerCase() === 'true' || t.toLowerCase() === 'yes';
}
