import type { Vulnerability } from '../finding/model.js';
import type { IntelLookup } from './types.js';

/**
 * A vulnerability with KEV, EPSS and CVSS filled in from intel. What the scanner said about CVSS is kept
 * (it may be a vendor-specific vector); EPSS and KEV come from the dated snapshot when it knows the CVE,
 * because a scanner's copy is often days old.
 */
export function enrichVulnerability<V extends Pick<Vulnerability, 'cve_uid'> & Partial<Vulnerability>>(
  vulnerability: V,
  lookup: IntelLookup,
): V & Partial<Pick<Vulnerability, 'cvss_score' | 'epss_score' | 'epss_percentile' | 'kev'>> {
  const intel = lookup(vulnerability.cve_uid);
  if (!intel) return vulnerability;
  const out = { ...vulnerability };
  if (out.cvss_score === undefined && intel.cvss !== undefined) out.cvss_score = intel.cvss;
  if (intel.epss) {
    out.epss_score = intel.epss.score;
    out.epss_percentile = intel.epss.percentile;
  }
  if (intel.kev) {
    out.kev = {
      date_added: intel.kev.date_added,
      known_ransomware_use: intel.kev.known_ransomware_use,
      ...(intel.kev.due_date ? { due_date: intel.kev.due_date } : {}),
    };
  }
  return out;
}
