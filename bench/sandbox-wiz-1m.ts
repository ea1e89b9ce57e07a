/**
 * Pages a 1,000,000-finding demo tenant through the Wiz emulator over HTTP and reports time and peak heap,
 * showing memory stays bounded (the tenant is generated per page, never held). Not part of `npm test`.
 *   npx tsx bench/sandbox-wiz-1m.ts [findings]
 */
import { startSandbox } from '../src/sandbox/start.js';
import { wizToken } from './naive/wiz.js';

const findings = Number(process.argv[2] ?? 1_000_000);
const sandbox = await startSandbox({ findings, seed: 1, only: ['wiz'] });
const env = sandbox.env;
let peakHeap = 0;
const sample = () => {
  peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
};
const sampler = setInterval(sample, 50);

const access_token = await wizToken(env);

async function pageAll(field: string, selection: string, pageSize: number): Promise<void> {
  const query = `query Q($first: Int, $after: String) { ${field}(first: $first, after: $after) {
    nodes { ${selection} } pageInfo { hasNextPage endCursor } } }`;
  const started = performance.now();
  let after: string | null = null;
  let items = 0;
  let pages = 0;
  for (;;) {
    const res = await fetch(env.WIZ_API_URL!, {
      method: 'POST',
      headers: { authorization: `Bearer ${access_token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables: { first: pageSize, after } }),
    });
    const body = (await res.json()) as {
      data: Record<string, { nodes: unknown[]; pageInfo: { hasNextPage: boolean; endCursor: string } }>;
    };
    const connection = body.data[field]!;
    items += connection.nodes.length;
    pages++;
    sample();
    if (!connection.pageInfo.hasNextPage) break;
    after = connection.pageInfo.endCursor;
  }
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `${field}: ${items.toLocaleString('en')} items in ${pages} pages of ${pageSize}, ${seconds.toFixed(1)} s ` +
      `(${Math.round(items / seconds).toLocaleString('en')}/s)`,
  );
}

console.log(
  `tenant: ${findings.toLocaleString('en')} findings (${sandbox.tenant.count('issue')} issues, ${sandbox.tenant.count('vuln')} vulnerabilities)`,
);
await pageAll(
  'issuesV2',
  'id status severity createdAt entitySnapshot { name providerId } serviceTickets { externalId }',
  500,
);
await pageAll(
  'vulnerabilityFindings',
  'id name CVSSSeverity epssProbability status vulnerableAsset { ... on VulnerableAssetVirtualMachine { ipAddresses } }',
  1000,
);
clearInterval(sampler);
console.log(`peak heap: ${(peakHeap / 1024 / 1024).toFixed(0)} MB`);
await sandbox.close();
