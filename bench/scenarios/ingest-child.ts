import { arxConfigSchema } from '../../src/config/schema.js';
import { ingestFindings } from '../../src/connectors/ingest.js';
import { createConnectorRuntime } from '../../src/connectors/kit/runtime.js';
import { registerConnector } from '../../src/connectors/registry.js';
import { wizConnector } from '../../src/connectors/wiz/index.js';
import { WIZ_MAX_PAGE } from '../../src/connectors/wiz/operations.js';
import { loadIntel } from '../../src/core/intel/load.js';
import { generateSigner } from '../../src/governance/audit/keys.js';
import { ConfigCredentialBroker } from '../../src/governance/credentials.js';
import { createGovernance } from '../../src/governance/open.js';
import { createLogger } from '../../src/log/logger.js';
import { readAuditHead } from '../../src/store/audit-repo.js';
import { FindingsRepo } from '../../src/store/findings-repo.js';
import { openStore } from '../../src/store/open.js';
import { childInput, peakRssMb, report } from '../lib/child.js';

/**
 * The child process of the ingest scenario: Wiz issues and vulnerabilities read through the real gate
 * (every page decided and audited), normalised, enriched with KEV/EPSS, scored and upserted into one
 * store. Its peak RSS is Arx's alone: the Wiz emulator runs in the parent.
 */
export interface IngestInput {
  /** `prepare`: create and migrate the store, then stop (a user's store already exists when they ingest). */
  phase: 'prepare' | 'ingest';
  store: 'pglite' | 'postgres';
  /** ARX_HOME of the embedded store, or the PostgreSQL URL. */
  home?: string;
  databaseUrl?: string;
  /** The Wiz emulator's variables (WIZ_API_URL, WIZ_AUTH_URL, WIZ_CLIENT_ID, WIZ_CLIENT_SECRET). */
  env: Record<string, string>;
  findings: number;
}

export interface IngestResult {
  store: 'pglite' | 'postgres';
  findings: number;
  /** End to end, the Wiz emulator's time to answer included. */
  findings_per_s: number;
  peak_rss_mb: number;
  seconds: number;
  /** Arx's own pipeline: the run's time minus the time spent waiting for the emulator's answers. */
  arx_seconds: number;
  arx_findings_per_s: number;
  /** RSS with modules loaded and the store open, before the first page. */
  baseline_rss_mb: number;
  imported: number;
  merged: number;
  quarantined: number;
  pages: number;
  audit_entries: number;
  stored: number;
}

/**
 * Time spent waiting for the source: the event loop's idle time while a request (body included) is in
 * flight. Not the request's whole duration: the next page is read while the current one is upserted, and
 * PGlite upserts on this thread, so most of a request's duration is Arx at work. On PostgreSQL, idle time
 * while both a read and a store query are outstanding is counted as the source's.
 */
let sourceMs = 0;
const realFetch = globalThis.fetch;
globalThis.fetch = async (input, init) => {
  const started = performance.eventLoopUtilization();
  const response = await realFetch(input, init);
  const body = await response.arrayBuffer();
  sourceMs += performance.eventLoopUtilization(started).idle;
  return new Response(body, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
};

async function main(): Promise<void> {
  const input = childInput<IngestInput>();
  let sampled = 0;
  const sampler = setInterval(() => {
    sampled = Math.max(sampled, process.memoryUsage().rss);
  }, 100);
  sampler.unref();
  const log = createLogger({ level: process.env.ARX_LOG_LEVEL ?? 'error' });
  const store = input.databaseUrl
    ? await openStore({ databaseUrl: input.databaseUrl })
    : await openStore({ home: input.home!, owner: 'npm run bench (ingest)' });
  if (input.phase === 'prepare') {
    await store.close();
    await report({ result: { prepared: true } });
    return;
  }
  try {
    // Wiz's own ~3 requests/s would make this a measure of Wiz, not of Arx: the source is not the bottleneck here
    // (set on the runtime, not in arx.yaml's wiz section, whose defaults would win over the sandbox's URLs)
    const config = arxConfigSchema.parse({});
    const runtime = createConnectorRuntime({
      clock: store.clock,
      log,
      rateOverrides: { wiz: { requests_per_second: 10_000, burst: 10_000 } },
    });
    const governance = createGovernance({
      db: store.db,
      clock: store.clock,
      config,
      home: '/nonexistent',
      broker: new ConfigCredentialBroker(config.connectors, input.env),
      log,
      signer: generateSigner(),
    });
    registerConnector(governance.gate, wizConnector(runtime), runtime);
    const intel = await loadIntel();
    const auditBefore = (await readAuditHead(store.db)).seq;
    const baselineRss = process.memoryUsage().rss;

    const started = performance.now();
    let lastReport = 0;
    const summary = await ingestFindings({
      gate: governance.gate,
      context: { principal: { kind: 'workflow', id: 'bench-ingest' } },
      store,
      source: 'wiz',
      kinds: ['issues', 'vulnerabilities'],
      pageSize: WIZ_MAX_PAGE,
      intel: intel.lookup,
      onPage: (progress) => {
        sampled = Math.max(sampled, process.memoryUsage().rss);
        if (progress.read - lastReport >= Math.max(50_000, input.findings / 10)) {
          lastReport = progress.read;
          const rate = progress.read / ((performance.now() - started) / 1000);
          void report({
            progress: `${progress.read.toLocaleString('en')} read (${Math.round(rate).toLocaleString('en')}/s, rss ${Math.round(process.memoryUsage().rss / 1048576)} MB)`,
          });
        }
      },
    });
    await governance.audit.flush(); // the last pages' result records belong to the run
    const seconds = (performance.now() - started) / 1000;
    const arxSeconds = seconds - sourceMs / 1000;
    clearInterval(sampler);
    const result: IngestResult = {
      store: input.store,
      findings: summary.read,
      findings_per_s: Math.round(summary.read / seconds),
      peak_rss_mb: Math.round(peakRssMb(sampled)),
      seconds: Math.round(seconds * 10) / 10,
      arx_seconds: Math.round(arxSeconds * 10) / 10,
      arx_findings_per_s: Math.round(summary.read / arxSeconds),
      baseline_rss_mb: Math.round(baselineRss / 1048576),
      imported: summary.imported,
      merged: summary.merged,
      quarantined: summary.quarantined,
      pages: summary.pages,
      audit_entries: (await readAuditHead(store.db)).seq - auditBefore,
      stored: await new FindingsRepo(store.db, store.clock).count(),
    };
    await report({ result });
  } finally {
    clearInterval(sampler);
    await store.close();
  }
}

main().catch(async (err: unknown) => {
  await report({ error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  process.exitCode = 1;
});
