import type { Command } from 'commander';
import type { Finding } from '../../core/finding/model.js';
import type { Store } from '../../store/open.js';
import { action } from '../action.js';
import { out } from '../output.js';

/**
 * `arx findings import|list|show`: saved Wiz/Qualys API payloads into the store (normalised, scored, each
 * source record an alias of its finding, malformed records quarantined with their reason), and the
 * findings as the workflows see them.
 */
const IMPORT_HELP = `
Files:
  wiz     a saved GraphQL response (issuesV2, vulnerabilityFindings, configurationFindings), an array of
          them or of nodes, or NDJSON with one node per line
  qualys  the Host List Detection XML; Qualys names QIDs, not CVEs, so pass the KnowledgeBase XML for
          those QIDs with --kb (repeatable)

Examples:
  arx findings import --source wiz issues.json
  arx findings import --source qualys detections.xml --kb kb.xml --json`;

/** Rows a batch holds before it is written: one multi-row upsert per batch. */
const IMPORT_BATCH = 500;
const SEVERITY_WORDS = ['critical', 'high', 'medium', 'low', 'informational'] as const;
const STATUS_WORDS = ['new', 'in_progress', 'suppressed', 'resolved'] as const;

async function withStore<T>(owner: string, work: (store: Store) => Promise<T>): Promise<T> {
  const { openStore } = await import('../../store/open.js');
  const { storeOptionsFromEnv } = await import('../../store/options.js');
  const store = await openStore({ ...storeOptionsFromEnv(), owner });
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

/** `--severity high,critical` (repeatable), checked against the allowed words. */
function listOption<const W extends readonly string[]>(flag: string, allowed: W) {
  return async (values: string[] | undefined): Promise<W[number][] | undefined> => {
    if (!values || values.length === 0) return undefined;
    const { UsageError } = await import('../../core/errors.js');
    const words = values.flatMap((v) => v.split(',')).map((v) => v.trim().toLowerCase().replace('-', '_'));
    for (const word of words) {
      if (!allowed.includes(word)) {
        throw new UsageError(`${flag}: "${word}" is not one of ${allowed.join(', ')}`);
      }
    }
    return words as W[number][];
  };
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** What `list` and `show` print per finding: the fields people and scripts read, sources as `{vendor, id}`. */
export function findingView(finding: Finding) {
  return {
    finding_key: finding.finding_key,
    title: finding.title,
    class: finding.class,
    severity: finding.severity,
    status: finding.status,
    resource: finding.resource,
    ...(finding.vulnerability ? { vulnerability: finding.vulnerability } : {}),
    ...(finding.compliance ? { compliance: finding.compliance } : {}),
    sources: finding.sources.map((s) => ({
      vendor: s.vendor,
      id: s.uid,
      ...(s.product ? { product: s.product } : {}),
      ...(s.url ? { url: s.url } : {}),
      ...(s.tickets.length > 0 ? { tickets: s.tickets } : {}),
    })),
    priority: finding.priority ?? null,
    first_seen_time: finding.first_seen_time,
    last_seen_time: finding.last_seen_time,
  };
}

export function register(program: Command): void {
  const findings = program
    .command('findings')
    .description('findings from Wiz and Qualys: import saved payloads, list, show');

  findings
    .command('import')
    .description('import a saved Wiz or Qualys API payload (JSON, NDJSON, XML)')
    .requiredOption('--source <wiz|qualys>', 'which tool the file came from')
    .argument('<file>', 'the payload file')
    .option('--kb <file>', 'Qualys KnowledgeBase XML for the QIDs (repeatable)', collect)
    .addHelpText('after', IMPORT_HELP)
    .action(
      action(async (file: string, options: { source: string; kb?: string[] }, command: Command) => {
        const { UsageError } = await import('../../core/errors.js');
        const { IMPORT_SOURCES, importFile, loadKnowledgeBase } = await import(
          '../../connectors/normalise/import-file.js'
        );
        const { persistResults } = await import('../../connectors/persist-findings.js');
        const { loadIntel } = await import('../../core/intel/load.js');
        const { storeOptionsFromEnv } = await import('../../store/options.js');
        const source = options.source.toLowerCase();
        if (!(IMPORT_SOURCES as readonly string[]).includes(source)) {
          throw new UsageError(`--source: "${options.source}" is not one of ${IMPORT_SOURCES.join(', ')}`);
        }
        if (options.kb && source !== 'qualys') throw new UsageError('--kb applies to --source qualys only');
        const intel = await loadIntel({ home: storeOptionsFromEnv().home! });
        const knowledgeBase = options.kb ? await loadKnowledgeBase(options.kb) : undefined;
        const records = importFile(file, {
          source: source as 'wiz' | 'qualys',
          lookup: intel.lookup,
          ...(knowledgeBase ? { knowledgeBase } : {}),
        });
        const summary = { imported: 0, merged: 0, quarantined: 0 };
        const quarantines: Array<{ at: string; path: string; reason: string }> = [];
        await withStore('arx findings import', async (store) => {
          let batch: Array<{
            at: string;
            result: import('../../connectors/normalise/result.js').NormaliseResult;
          }> = [];
          const flush = async () => {
            const counts = await persistResults(
              { store, source, intel: intel.lookup },
              batch.map((r) => r.result),
            );
            summary.imported += counts.imported;
            summary.merged += counts.merged;
            summary.quarantined += counts.quarantined;
            batch = [];
          };
          for await (const record of records) {
            if (!record.result.ok) {
              quarantines.push({ at: record.at, path: record.result.path, reason: record.result.reason });
            }
            batch.push(record);
            if (batch.length >= IMPORT_BATCH) await flush();
          }
          await flush();
        });
        if (command.optsWithGlobals().json) {
          out.json({ ...summary, quarantines });
          return;
        }
        out.line(
          `✔ ${file}: ${summary.imported} imported, ${summary.merged} merged, ${summary.quarantined} quarantined`,
        );
        for (const q of quarantines) out.line(`  quarantined ${q.at}: ${q.reason}`);
        return undefined;
      }),
    );

  findings
    .command('list')
    .description('list findings, highest priority first')
    .option('--severity <list>', `only these severities (${SEVERITY_WORDS.join(', ')})`, collect)
    .option('--status <list>', `only these statuses (${STATUS_WORDS.join(', ')})`, collect)
    .option('--limit <n>', 'at most this many (default 50)', '50')
    .action(
      action(async (options: { severity?: string[]; status?: string[]; limit: string }, command: Command) => {
        const { UsageError } = await import('../../core/errors.js');
        const { FindingsRepo } = await import('../../store/findings-repo.js');
        const severity = await listOption('--severity', SEVERITY_WORDS)(options.severity);
        const status = await listOption('--status', STATUS_WORDS)(options.status);
        const limit = Number(options.limit);
        if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
          throw new UsageError(`--limit: "${options.limit}" is not a whole number from 1 to 1000`);
        }
        const page = await withStore('arx findings list', (store) =>
          new FindingsRepo(store.db, store.clock).list({
            order: 'priority',
            limit,
            ...(severity ? { severity } : {}),
            ...(status ? { status } : {}),
          }),
        );
        if (command.optsWithGlobals().json) {
          out.json(page.items.map(findingView));
          return;
        }
        if (page.items.length === 0) {
          out.line('no findings (import some: arx findings import --source wiz FILE)');
          return;
        }
        for (const f of page.items) {
          const priority = f.priority
            ? `${f.priority.label} ${String(f.priority.score).padStart(5)}`
            : '   -     ';
          out.line(
            `${priority}  ${f.severity.padEnd(13)} ${f.status.padEnd(11)} ${f.finding_key}  ${f.title.slice(0, 70)}`,
          );
          out.line(`${' '.repeat(11)}${f.resource.uid}  [${f.sources.map((s) => s.vendor).join(', ')}]`);
        }
        if (page.next) out.line(`\nmore findings match: raise --limit (now ${limit})`);
        return undefined;
      }),
    );

  findings
    .command('show')
    .description('one finding: resource, sources, and why it has its priority')
    .argument('<key>', 'the finding key (fk_…)')
    .action(
      action(async (key: string, _options: unknown, command: Command) => {
        const { ArxError } = await import('../../core/errors.js');
        const { FindingsRepo } = await import('../../store/findings-repo.js');
        const finding = await withStore('arx findings show', (store) =>
          new FindingsRepo(store.db, store.clock).get(key),
        );
        if (!finding) {
          throw new ArxError('not_found', `no finding with key "${key}"`, {
            fault: 'caller',
            hint: 'list the keys with: arx findings list',
          });
        }
        const view = findingView(finding);
        if (command.optsWithGlobals().json) {
          out.json(view);
          return;
        }
        out.line(`${view.finding_key}  ${view.title}`);
        out.line(`  ${view.class}, ${view.severity}, ${view.status}`);
        out.line(`  resource  ${view.resource.uid} (${view.resource.type})`);
        for (const s of view.sources) out.line(`  source    ${s.vendor} ${s.id}${s.url ? `  ${s.url}` : ''}`);
        if (view.priority) {
          out.line(`  priority  ${view.priority.label} ${view.priority.score}`);
          for (const f of view.priority.factors) {
            out.line(`            ${f.points >= 0 ? '+' : ''}${f.points}  ${f.name}: ${f.reason}`);
          }
        }
        out.line(`  seen      ${view.first_seen_time} … ${view.last_seen_time}`);
        return undefined;
      }),
    );
}
