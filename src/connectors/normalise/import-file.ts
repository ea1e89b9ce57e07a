import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { ArxError, isArxError, UsageError } from '../../core/errors.js';
import { normaliseDetectionPage } from '../qualys/normalise.js';
import { type KnowledgeBase, parseKnowledgeBase, parseQualysXml, rootName } from '../qualys/normalise-xml.js';
import {
  WIZ_NORMALISERS,
  type WizNormaliseContext,
  type WizRecordKind,
  wizRecordKind,
} from '../wiz/normalise.js';
import type { NormaliseContext } from './context.js';
import { type NormaliseResult, quarantine } from './result.js';

/**
 * Saved API payloads → normalise results: the engine of `arx findings import --source wiz|qualys FILE`.
 * Wiz: a full GraphQL response (or several, as an array), a connection `{nodes}`, an array of nodes, or
 * NDJSON with one node per line. Qualys: the host list detection XML, with the KnowledgeBase given apart.
 * Each result says where in the file it came from, so a quarantined record can be found again.
 */
export type ImportSource = 'wiz' | 'qualys';
export const IMPORT_SOURCES: readonly ImportSource[] = ['wiz', 'qualys'];

export interface ImportedRecord {
  /** Where in the file: `data.issues.nodes[3]`, `line 7`, `HOST[0].DETECTION_LIST.DETECTION[1]`. */
  at: string;
  result: NormaliseResult;
}

export interface ImportOptions extends NormaliseContext, Pick<WizNormaliseContext, 'portalUrl'> {
  source: ImportSource;
  /** Required for Qualys detections: QID → CVEs. */
  knowledgeBase?: KnowledgeBase;
}

/** GraphQL connection field names → the kind of node they hold (aliases as in api-contracts §1.2–1.4). */
const WIZ_CONNECTIONS: Record<string, WizRecordKind> = {
  issues: 'issue',
  issuesV2: 'issue',
  vulnerabilityFindings: 'vulnerability',
  configurationFindings: 'configuration',
};

const UNKNOWN_WIZ_RECORD =
  'not a Wiz issue, vulnerability finding or configuration finding (none of sourceRule/entitySnapshot, vulnerableAsset, rule+result)';

/** Reads a payload file and yields one result per record; NDJSON files are streamed line by line. */
export async function* importFile(file: string, options: ImportOptions): AsyncGenerator<ImportedRecord> {
  if (options.source === 'wiz' && /\.(ndjson|jsonl)$/i.test(file)) {
    const lines = createInterface({
      input: createReadStream(file, 'utf8'),
      crlfDelay: Number.POSITIVE_INFINITY,
    });
    try {
      let n = 0;
      for await (const line of lines) {
        n += 1;
        if (line.trim() !== '') yield* wizLine(line, n, options);
      }
    } catch (err) {
      throw fileError(file, err);
    }
    return;
  }
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw fileError(file, err);
  }
  yield* importText(text, options, file);
}

/** The same over text already in memory (pure: no I/O). */
export function* importText(
  text: string,
  options: ImportOptions,
  name = 'payload',
): Generator<ImportedRecord> {
  const trimmed = text.trimStart();
  if (trimmed === '') throw new UsageError(`${name} is empty`);
  if (options.source === 'qualys') {
    if (!trimmed.startsWith('<')) {
      throw new UsageError(
        `${name}: Qualys payloads are XML (HOST_LIST_VM_DETECTION_OUTPUT); this is not XML`,
      );
    }
    yield* qualysXml(text, options, name);
    return;
  }
  if (trimmed.startsWith('<')) {
    throw new UsageError(
      `${name}: Wiz payloads are JSON or NDJSON; this looks like XML (use --source qualys?)`,
    );
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    // not one JSON document: NDJSON, one record per line
    let n = 0;
    for (const line of text.split(/\r?\n/)) {
      n += 1;
      if (line.trim() !== '') yield* wizLine(line, n, options);
    }
    return;
  }
  yield* wizDocument(doc, '', options);
}

function* wizLine(line: string, n: number, options: ImportOptions): Generator<ImportedRecord> {
  let doc: unknown;
  try {
    doc = JSON.parse(line);
  } catch (err) {
    const why = err instanceof Error ? err.message : 'parse error';
    yield {
      at: `line ${n}`,
      result: quarantine(`line ${n} is not valid JSON: ${why.slice(0, 120)}`, '', line),
    };
    return;
  }
  yield* wizDocument(doc, `line ${n}`, options);
}

/** A GraphQL response, a connection, an array of either or of nodes, or one node. */
function* wizDocument(
  doc: unknown,
  at: string,
  options: ImportOptions,
  kind?: WizRecordKind,
): Generator<ImportedRecord> {
  const here = (suffix: string) => (at ? `${at}${suffix.startsWith('[') ? '' : '.'}${suffix}` : suffix);
  if (Array.isArray(doc)) {
    for (const [i, item] of doc.entries()) yield* wizDocument(item, here(`[${i}]`), options, kind);
    return;
  }
  if (doc && typeof doc === 'object') {
    const record = doc as Record<string, unknown>;
    if ('errors' in record && !record.data) {
      const first = Array.isArray(record.errors)
        ? (record.errors[0] as { message?: unknown })?.message
        : undefined;
      throw new ArxError(
        'import_graphql_error',
        `${at || 'file'}: the saved response is a GraphQL error: ${String(first ?? 'unknown')}`,
        {
          fault: 'caller',
          hint: 'save the response of a successful query (it has a "data" object)',
        },
      );
    }
    if (record.data && typeof record.data === 'object') {
      for (const [field, connection] of Object.entries(record.data)) {
        yield* wizDocument(connection, here(`data.${field}`), options, WIZ_CONNECTIONS[field] ?? kind);
      }
      return;
    }
    if (Array.isArray(record.nodes)) {
      yield* wizDocument(record.nodes, here('nodes'), options, kind);
      return;
    }
  }
  const nodeKind = kind ?? wizRecordKind(doc);
  const result = nodeKind ? WIZ_NORMALISERS[nodeKind](doc, options) : quarantine(UNKNOWN_WIZ_RECORD, '', doc);
  yield { at: at || 'record', result };
}

function* qualysXml(text: string, options: ImportOptions, name: string): Generator<ImportedRecord> {
  let root: ReturnType<typeof parseQualysXml>;
  try {
    root = parseQualysXml(text);
  } catch (err) {
    // a broken file is the caller's to fix, whatever the parser calls it
    if (isArxError(err)) throw new UsageError(`${name}: ${err.message}`);
    throw err;
  }
  if (root.KNOWLEDGE_BASE_VULN_LIST_OUTPUT) {
    throw new UsageError(
      `${name} is a KnowledgeBase file: pass it as the KnowledgeBase (--kb), with a detection file`,
    );
  }
  if (!root.HOST_LIST_VM_DETECTION_OUTPUT) {
    throw new UsageError(`${name}: expected HOST_LIST_VM_DETECTION_OUTPUT, found ${rootName(root)}`);
  }
  if (!options.knowledgeBase) {
    throw new UsageError(
      `${name}: Qualys detections name QIDs, not CVEs; pass the KnowledgeBase XML for their QIDs (--kb FILE)`,
    );
  }
  for (const result of normaliseDetectionPage(text, { ...options, knowledgeBase: options.knowledgeBase })) {
    yield { at: result.ok ? `qualys:${result.finding.sources[0]?.uid}` : result.path, result };
  }
}

/** Reads KnowledgeBase XML files into one QID map. */
export async function loadKnowledgeBase(files: readonly string[]): Promise<KnowledgeBase> {
  const kb: KnowledgeBase = new Map();
  for (const file of files) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      throw fileError(file, err);
    }
    parseKnowledgeBase(text, kb);
  }
  return kb;
}

function fileError(file: string, err: unknown): ArxError {
  if (isArxError(err)) return err;
  const code = (err as { code?: string })?.code;
  if (code === 'ENOENT') return new UsageError(`${file}: no such file`);
  if (code === 'EISDIR') return new UsageError(`${file} is a directory, not a payload file`);
  return new UsageError(`${file}: cannot read (${code ?? String(err)})`);
}
