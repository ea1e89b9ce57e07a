/**
 * Builds the intel snapshot shipped with Arx (`data/intel/snapshot.json`) from the reference data set:
 * the CISA KEV catalog and the KEV+EPSS+NVD join, with the source repository and commit of each recorded
 * from the data set's MANIFEST.json. Runs at build time only; tests and the CLI never read the data set.
 *
 *   npx tsx scripts/build-intel-snapshot.ts [--data ../shared/data] [--out data/intel/snapshot.json]
 */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { writeSnapshotAtomically } from '../src/core/intel/load.js';
import { parseEpssCsv } from '../src/core/intel/parse-epss.js';
import { parseKevJson } from '../src/core/intel/parse-kev.js';
import { buildSnapshot } from '../src/core/intel/snapshot.js';

const KEV_FILE = 'kev/known_exploited_vulnerabilities.json';
const EPSS_FILE = 'epss/epss_kev_nvd_2025-08-26.csv';

interface ManifestEntry {
  path: string;
  repo?: string;
  commit?: string;
  source_path?: string;
  sha256?: string;
}

function provenance(manifest: ManifestEntry[], path: string): string {
  const entry = manifest.find((e) => e.path === path);
  if (!entry?.repo) return path;
  return `github.com/${entry.repo}@${entry.commit?.slice(0, 12)}:${entry.source_path ?? path} (sha256 ${entry.sha256?.slice(0, 16)}…)`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      data: { type: 'string', default: '../shared/data' },
      out: { type: 'string', default: 'data/intel/snapshot.json' },
    },
  });
  const data = resolve(values.data!);
  const manifestRaw = JSON.parse(await readFile(join(data, 'MANIFEST.json'), 'utf8')) as
    | { files?: ManifestEntry[] }
    | ManifestEntry[];
  const manifest = Array.isArray(manifestRaw) ? manifestRaw : (manifestRaw.files ?? []);

  const kevSource = provenance(manifest, KEV_FILE);
  const epssSource = provenance(manifest, EPSS_FILE);
  const catalog = parseKevJson(await readFile(join(data, KEV_FILE), 'utf8'), KEV_FILE);
  const feed = parseEpssCsv(await readFile(join(data, EPSS_FILE), 'utf8'), EPSS_FILE);

  const kevCves = new Set(catalog.entries.map((e) => e.cve));
  const missing = feed.entries.filter((e) => !kevCves.has(e.cve)).length;
  const snapshot = buildSnapshot({
    kev: { catalog, source: kevSource },
    epss: { feed, source: `FIRST EPSS via ${epssSource}` },
    generatedAt: new Date(),
  });
  // the join's CVSS column is NVD's v3 base score
  snapshot.cvss.source = `NVD CVSS v3 base score via ${epssSource}`;
  await writeSnapshotAtomically(resolve(values.out!), snapshot);
  console.log(
    `wrote ${values.out}: KEV ${snapshot.kev.catalog_version} (${snapshot.kev.count} CVEs), ` +
      `EPSS ${snapshot.epss.score_date} (${snapshot.epss.count}), CVSS ${snapshot.cvss.count}` +
      (missing ? `; ${missing} EPSS rows are not in the KEV catalog` : ''),
  );
}

await main();
