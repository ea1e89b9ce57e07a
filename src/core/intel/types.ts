/** Threat intelligence about one CVE: CISA KEV membership, FIRST EPSS, and a CVSS base score when known. */
export interface IntelRecord {
  cve: string;
  kev?: KevFacts;
  epss?: EpssFacts;
  /** CVSS v3 base score (NVD), when the EPSS feed carried one. */
  cvss?: number;
}

export interface KevFacts {
  date_added: string;
  due_date?: string;
  known_ransomware_use: boolean;
  vendor?: string;
  product?: string;
  name?: string;
}

export interface EpssFacts {
  /** Probability of exploitation activity in the next 30 days (0–1). */
  score: number;
  /** Share of all scored CVEs with a lower or equal score (0–1). */
  percentile: number;
  /** The day the score was computed, when the feed says. */
  date?: string;
}

/** How scoring and enrichment ask about a CVE; `undefined` means "nothing known", not "not exploited". */
export type IntelLookup = (cve: string) => IntelRecord | undefined;
