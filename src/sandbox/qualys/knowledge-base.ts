import { CVES } from '../data/cves.js';
import { qidForCve } from '../tenant/hosts.js';
import { qualysSeverity } from './detections.js';
import {
  inRanges,
  ParamError,
  type Params,
  parseDate,
  parseInteger,
  parseRanges,
  rejectUnknown,
} from './params.js';
import { cdata, element, isoSeconds, XML_HEADER } from './xml.js';

export const KB_PARAMS = [
  'action',
  'echo_request',
  'ids',
  'id_min',
  'id_max',
  'details',
  'last_modified_after',
  'last_modified_before',
  'published_after',
  'published_before',
  'is_patchable',
  'show_pci_reasons',
  'show_supported_modules_info',
] as const;

/**
 * `KNOWLEDGE_BASE_VULN_LIST_OUTPUT` for the QIDs the tenant uses: one QID per CVE, so a client maps a
 * detection's QID to its CVE here. Dates use the KEV `dateAdded` as the publication date.
 */
export function knowledgeBaseDocument(params: Params, at: number): string {
  rejectUnknown(params, KB_PARAMS);
  if (params.action !== 'list') throw new ParamError('Bad parameter action: it must be "list".');
  const details = params.details ?? 'Basic';
  if (!['Basic', 'All', 'None'].includes(details))
    throw new ParamError(`Bad parameter details: "${details}" (Basic, All, None).`);
  const ids = parseRanges('ids', params.ids);
  const idMin = parseInteger('id_min', params.id_min, 0);
  const idMax = parseInteger('id_max', params.id_max, Number.MAX_SAFE_INTEGER);
  const modifiedAfter = parseDate('last_modified_after', params.last_modified_after);
  const vulns = CVES.map((row, index) => ({ row, qid: qidForCve(index) }))
    .filter(({ qid }) => qid >= idMin && qid <= idMax && inRanges(qid, ids))
    .filter(({ row }) => modifiedAfter === undefined || Date.parse(row[7]) > modifiedAfter)
    .sort((a, b) => a.qid - b.qid)
    .map(({ row, qid }) => {
      const [cve, cvss, , , vendor, product, name, dateAdded, , os] = row;
      const published = `${dateAdded}T00:00:00Z`;
      const basic =
        details === 'None'
          ? ''
          : `${element('VULN_TYPE', 'Vulnerability')}${element('SEVERITY_LEVEL', qualysSeverity(cvss))}` +
            `<TITLE>${cdata(`${vendor} ${product}: ${name}`)}</TITLE>` +
            `${element('CATEGORY', os === 'windows' ? 'Windows' : 'Local')}` +
            `${element('LAST_SERVICE_MODIFICATION_DATETIME', published)}${element('PUBLISHED_DATETIME', published)}` +
            `${element('PATCHABLE', 1)}` +
            `<CVE_LIST><CVE><ID>${cdata(cve)}</ID><URL>${cdata(`https://nvd.nist.gov/vuln/detail/${cve}`)}</URL></CVE></CVE_LIST>` +
            `<CVSS_V3><BASE>${cvss}</BASE></CVSS_V3>`;
      const all =
        details === 'All'
          ? `<DIAGNOSIS>${cdata(`${vendor} ${product} is affected by ${cve} (${name}).`)}</DIAGNOSIS>` +
            `<CONSEQUENCE>${cdata('Successful exploitation is known to happen in the wild (CISA KEV).')}</CONSEQUENCE>` +
            `<SOLUTION>${cdata(`Apply the vendor's update for ${cve}.`)}</SOLUTION>`
          : '';
      return `<VULN>${element('QID', qid)}${basic}${all}</VULN>`;
    });
  return (
    `${XML_HEADER}<!DOCTYPE KNOWLEDGE_BASE_VULN_LIST_OUTPUT SYSTEM "https://qualysapi.qualys.com/api/2.0/fo/knowledge_base/vuln/knowledge_base_vuln_list_output.dtd">\n` +
    `<KNOWLEDGE_BASE_VULN_LIST_OUTPUT><RESPONSE><DATETIME>${isoSeconds(at)}</DATETIME>` +
    (vulns.length > 0 ? `<VULN_LIST>${vulns.join('')}</VULN_LIST>` : '') +
    '</RESPONSE></KNOWLEDGE_BASE_VULN_LIST_OUTPUT>\n'
  );
}
