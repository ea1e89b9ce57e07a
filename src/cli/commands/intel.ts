import type { Command } from 'commander';
import { action } from '../action.js';
import { out } from '../output.js';

/** How many added/removed CVEs to list by name before summarising. */
const LIST_LIMIT = 10;

const UPDATE_HELP = `
Sources (a file path or an http(s) URL; gzip is detected):
  --kev   CISA KEV catalog, JSON feed or CSV export
          https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json
  --epss  FIRST EPSS daily CSV (#model_version line, cve,epss,percentile), or the EPSS API JSON
          https://epss.empiricalsecurity.com/epss_scores-current.csv.gz

The refreshed snapshot is written to $ARX_HOME/intel/snapshot.json (default ./.arx) and is used instead of
the one shipped with Arx. Updating one source keeps the other. Nothing is written if any source is invalid.`;

async function arxHome(): Promise<string> {
  const { storeOptionsFromEnv } = await import('../../store/options.js');
  return storeOptionsFromEnv().home!;
}

function listed(cves: string[]): string {
  const shown = cves.slice(0, LIST_LIMIT).join(', ');
  return cves.length > LIST_LIMIT ? `${shown} and ${cves.length - LIST_LIMIT} more` : shown;
}

/** `arx intel update` and `arx intel show`: the KEV + EPSS snapshot that prioritisation uses. */
export function register(program: Command): void {
  const intel = program
    .command('intel')
    .description('threat intelligence (CISA KEV, FIRST EPSS) used to prioritise findings');

  intel
    .command('update')
    .description('refresh the KEV + EPSS snapshot from files or URLs')
    .option('--kev <file|url>', 'CISA KEV catalog (JSON or CSV)')
    .option('--epss <file|url>', 'FIRST EPSS scores (CSV, .csv.gz, or API JSON)')
    .addHelpText('after', UPDATE_HELP)
    .action(
      action(async (options: { kev?: string; epss?: string }, command: Command): Promise<undefined> => {
        const { updateIntel } = await import('../../core/intel/update.js');
        const { systemClock } = await import('../../core/clock.js');
        const result = await updateIntel({ home: await arxHome(), ...options, clock: systemClock });
        const { kev, epss, cvss } = result.diff;
        if (command.optsWithGlobals().json) {
          out.json({
            ok: true,
            path: result.path,
            previous: result.previous,
            kev,
            epss,
            cvss,
            warnings: result.warnings,
          });
          return;
        }
        out.line(`✔ intel snapshot written to ${result.path} (replacing the ${result.previous} one)`);
        out.line(
          `  KEV   ${kev.catalog_version ?? '(CSV, no version)'}: ${kev.after} CVEs, ` +
            `${kev.added.length} added, ${kev.removed.length} removed`,
        );
        if (kev.added.length) out.line(`        added: ${listed(kev.added)}`);
        if (kev.removed.length) out.line(`        removed: ${listed(kev.removed)}`);
        out.line(
          `  EPSS  ${epss.score_date ?? '(undated)'}${epss.model_version ? ` model ${epss.model_version}` : ''}: ` +
            `${epss.after} CVEs (was ${epss.before})`,
        );
        out.line(`  CVSS  ${cvss.after} CVEs`);
        for (const warning of result.warnings) out.err(`⚠ ${warning}`);
      }),
    );

  intel
    .command('show')
    .description('what the snapshot says about CVEs, or which snapshot is in use when none are given')
    .argument('[cve...]', 'CVE ids, e.g. CVE-2021-44228')
    .action(
      action(async (cves: string[], _options: unknown, command: Command): Promise<undefined> => {
        const { loadIntel } = await import('../../core/intel/load.js');
        const { normaliseCve } = await import('../../core/finding/fingerprint.js');
        const ids = cves.map((cve) => normaliseCve(cve));
        const index = await loadIntel({ home: await arxHome() });
        const { kev, epss, cvss } = index.snapshot;
        const about = {
          origin: index.origin,
          path: index.path,
          generated_at: index.snapshot.generated_at,
          kev: { catalog_version: kev.catalog_version, count: kev.count, source: kev.source },
          epss: {
            score_date: epss.score_date,
            model_version: epss.model_version,
            count: epss.count,
            source: epss.source,
          },
          cvss: { count: cvss.count, source: cvss.source },
        };
        const records = ids.map((cve) => ({ cve, intel: index.lookup(cve) ?? null }));
        if (command.optsWithGlobals().json) {
          out.json(ids.length ? { snapshot: about, records } : about);
          return;
        }
        if (!ids.length) {
          out.line(`snapshot: ${about.origin} (${about.path}), generated ${about.generated_at}`);
          out.line(
            `  KEV   ${about.kev.catalog_version ?? '(no version)'}: ${about.kev.count} CVEs  [${about.kev.source}]`,
          );
          out.line(
            `  EPSS  ${about.epss.score_date ?? '(undated)'}: ${about.epss.count} CVEs  [${about.epss.source}]`,
          );
          out.line(`  CVSS  ${about.cvss.count} CVEs  [${about.cvss.source}]`);
          return;
        }
        for (const { cve, intel: record } of records) {
          if (!record) {
            out.line(`${cve}: not in KEV, no EPSS score in the snapshot (${about.origin})`);
            continue;
          }
          out.line(cve);
          if (record.kev) {
            const k = record.kev;
            out.line(`  KEV     ${k.vendor} ${k.product}: ${k.name}`);
            out.line(
              `          added ${k.date_added}, due ${k.due_date ?? '-'}, ransomware use ${k.known_ransomware_use ? 'KNOWN' : 'unknown'}`,
            );
          } else out.line('  KEV     not listed');
          out.line(
            record.epss
              ? `  EPSS    ${record.epss.score} (percentile ${record.epss.percentile})${record.epss.date ? ` on ${record.epss.date}` : ''}`
              : '  EPSS    no score',
          );
          out.line(`  CVSS    ${record.cvss ?? 'unknown'}`);
        }
      }),
    );
}
