import type { IntelSnapshot, KevRow } from './snapshot.js';
import type { IntelLookup, IntelRecord } from './types.js';

/** Where the snapshot in use came from: shipped with Arx, or refreshed by `arx intel update` into ARX_HOME. */
export type IntelOrigin = 'shipped' | 'refreshed' | 'memory';

export interface IntelIndex {
  lookup: IntelLookup;
  origin: IntelOrigin;
  /** The file read, when read from one. */
  path?: string;
  snapshot: IntelSnapshot;
}

/** Rows are indexed by CVE; a record is assembled only when asked for, so loading a 300k-CVE EPSS feed is cheap. */
export function indexSnapshot(
  snapshot: IntelSnapshot,
  origin: IntelOrigin = 'memory',
  path?: string,
): IntelIndex {
  const kev = new Map<string, KevRow>(snapshot.kev.rows.map((row) => [row[0], row]));
  const epss = new Map(snapshot.epss.rows.map((row) => [row[0], row]));
  const cvss = new Map(snapshot.cvss.rows.map((row) => [row[0], row[1]]));
  const epssDate = snapshot.epss.score_date ?? undefined;

  const lookup: IntelLookup = (raw) => {
    const cve = raw.trim().toUpperCase();
    const k = kev.get(cve);
    const e = epss.get(cve);
    const c = cvss.get(cve);
    if (!k && !e && c === undefined) return undefined;
    const record: IntelRecord = { cve };
    if (k) {
      const [, date_added, due_date, known_ransomware_use, vendor, product, name] = k;
      record.kev = {
        date_added,
        known_ransomware_use,
        vendor,
        product,
        name,
        ...(due_date ? { due_date } : {}),
      };
    }
    if (e) record.epss = { score: e[1], percentile: e[2], ...(epssDate ? { date: epssDate } : {}) };
    if (c !== undefined) record.cvss = c;
    return record;
  };
  return { lookup, origin, snapshot, ...(path ? { path } : {}) };
}
