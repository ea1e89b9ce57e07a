import { UsageError } from '../core/errors.js';
import type { IngestOptions } from './ingest.js';
import type { NormaliseResult } from './normalise/result.js';
import { normaliseDetectionPage } from './qualys/normalise.js';
import type { KnowledgeBase, KnowledgeBaseEntry, QualysHost } from './qualys/normalise-xml.js';
import { QUALYS_KB_BATCH } from './qualys/operations.js';
import { WIZ_NORMALISERS, type WizRecordKind } from './wiz/normalise.js';
import { WIZ_FINDING_KINDS, type WizFindingKind } from './wiz/operations.js';

/**
 * How each source is ingested, as data: the passes (one read operation and watermark scope each), how to
 * count a page's records, and how to turn a page into normalise results.
 */
export type IngestSource = 'wiz' | 'qualys';
export const INGEST_SOURCES: readonly IngestSource[] = ['wiz', 'qualys'];

export interface IngestPass {
  /** Watermark scope under the source (`issues`, `vulnerabilities:resolved`, `detections`). */
  scope: string;
  operation: string;
  params: Record<string, unknown>;
  cursorParam: string;
  /** The read param the watermark goes into. */
  sinceParam: string;
  /** Only meaningful once a watermark exists (a first full read already covers it). */
  onlyIncremental?: boolean;
}

export interface IngestPlan {
  passes(options: IngestOptions): IngestPass[];
  /** Raw records on a page. */
  count(items: unknown[]): number;
  /** A page → results; may read more through the gate (Qualys KnowledgeBase). State lives for one ingest. */
  normaliser(options: IngestOptions): (items: unknown[], pass: IngestPass) => Promise<NormaliseResult[]>;
}

const WIZ_RECORD_KIND: Record<WizFindingKind, WizRecordKind> = {
  issues: 'issue',
  vulnerabilities: 'vulnerability',
  configuration: 'configuration',
};

/**
 * Wiz's incremental field differs by kind (api-contracts §1.2–1.3): issues by `statusChangedAt`; findings
 * by first seen, plus a second pass for those resolved since, which a first-seen filter would miss.
 */
function wizPasses(kind: WizFindingKind, options: IngestOptions): IngestPass[] {
  const params = {
    kind,
    ...options.filters,
    ...(options.pageSize ? { first: options.pageSize } : {}),
  };
  const pass = { operation: 'wiz:findings:read', cursorParam: 'after', sinceParam: 'since' };
  if (kind !== 'vulnerabilities') return [{ ...pass, scope: kind, params }];
  return [
    { ...pass, scope: kind, params },
    {
      ...pass,
      scope: `${kind}:resolved`,
      params: { ...params, status: ['RESOLVED'] },
      sinceParam: 'resolvedSince',
      onlyIncremental: true,
    },
  ];
}

const wizPlan: IngestPlan = {
  passes(options) {
    const kinds = options.kinds ?? WIZ_FINDING_KINDS;
    for (const kind of kinds) {
      if (!(WIZ_FINDING_KINDS as readonly string[]).includes(kind)) {
        throw new UsageError(`unknown Wiz finding kind "${kind}"`, {
          hint: `kinds: ${WIZ_FINDING_KINDS.join(', ')}`,
        });
      }
    }
    return kinds.flatMap((kind) => wizPasses(kind as WizFindingKind, options));
  },
  count: (items) => items.length,
  normaliser(options) {
    const ctx = { lookup: options.intel, accounts: options.accounts };
    return async (items, pass) => {
      const normalise = WIZ_NORMALISERS[WIZ_RECORD_KIND[pass.params.kind as WizFindingKind]];
      return items.map((node) => normalise(node, ctx));
    };
  },
};

const qualysPlan: IngestPlan = {
  passes: (options) => [
    {
      scope: 'detections',
      operation: 'qualys:vulnerabilities:read',
      params: { ...options.filters, ...(options.pageSize ? { truncation: options.pageSize } : {}) },
      cursorParam: 'next_url',
      sinceParam: 'since',
    },
  ],
  count: (items) => (items as QualysHost[]).reduce((n, host) => n + host.detections.length, 0),
  normaliser(options) {
    // QID → KnowledgeBase entry for this run: each QID is asked for once, however many pages name it
    const knowledgeBase: KnowledgeBase = new Map();
    const asked = new Set<string>();
    return async (items) => {
      const hosts = items as QualysHost[];
      const wanted = [
        ...new Set(hosts.flatMap((h) => h.detections.map((d) => d.qid)).filter((q): q is string => !!q)),
      ].filter((qid) => !asked.has(qid) && /^\d+$/.test(qid));
      for (let i = 0; i < wanted.length; i += QUALYS_KB_BATCH) {
        const batch = wanted.slice(i, i + QUALYS_KB_BATCH);
        const outcome = await options.gate.execute<{ items: KnowledgeBaseEntry[] }>(
          options.context,
          'qualys:knowledgebase:read',
          { qids: batch.map(Number) },
        );
        for (const qid of batch) asked.add(qid);
        if (outcome.status !== 'done') continue;
        for (const entry of outcome.result.items) knowledgeBase.set(entry.qid, entry);
      }
      // a QID the KnowledgeBase does not know is quarantined by the normaliser, naming the QID
      return [
        ...normaliseDetectionPage(
          { hosts },
          { knowledgeBase, lookup: options.intel, accounts: options.accounts },
        ),
      ];
    };
  },
};

export const INGEST_PLANS: Record<IngestSource, IngestPlan> = { wiz: wizPlan, qualys: qualysPlan };
