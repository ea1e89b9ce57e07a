import type { ImportedRecord } from './import-file.js';

/**
 * The `{ imported, merged, quarantined }` tally of an import. `merged` counts findings whose key was already
 * known (earlier in the same import, or in the store when the caller says so): their source record becomes
 * one more alias of an existing finding rather than a new finding.
 */
export interface ImportSummary {
  imported: number;
  merged: number;
  quarantined: number;
}

export interface QuarantineNote {
  at: string;
  path: string;
  reason: string;
}

export type Outcome = keyof ImportSummary;

export interface ImportTally {
  /** `exists`: the store already holds this finding key. */
  add(record: ImportedRecord, options?: { exists?: boolean }): Outcome;
  summary(): ImportSummary;
  /** Why each quarantined record was set aside (the first `limit`, so a bad file cannot flood the output). */
  quarantines(): QuarantineNote[];
}

/** Enough reasons to see the pattern of a bad file without flooding a terminal. */
export const QUARANTINE_NOTES_LIMIT = 100;

export function createImportTally(limit = QUARANTINE_NOTES_LIMIT): ImportTally {
  const counts: ImportSummary = { imported: 0, merged: 0, quarantined: 0 };
  const seen = new Set<string>();
  const notes: QuarantineNote[] = [];
  return {
    add({ at, result }, options = {}) {
      let outcome: Outcome;
      if (!result.ok) {
        outcome = 'quarantined';
        if (notes.length < limit) notes.push({ at, path: result.path, reason: result.reason });
      } else {
        const key = result.finding.finding_key;
        outcome = options.exists || seen.has(key) ? 'merged' : 'imported';
        seen.add(key);
      }
      counts[outcome] += 1;
      return outcome;
    },
    summary: () => ({ ...counts }),
    quarantines: () => [...notes],
  };
}
