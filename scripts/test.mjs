#!/usr/bin/env node
// Runs the test suite with node's own runner. Store suites run on the embedded store (PGlite) always and on
// PostgreSQL when DATABASE_URL is set; `--stores postgres` runs them on PostgreSQL only (the CI's second pass).
import { spawnSync } from 'node:child_process';
import { globSync, readFileSync } from 'node:fs';

const args = process.argv.slice(2);
const env = { ...process.env };
const storesAt = args.indexOf('--stores');
if (storesAt >= 0) {
  env.ARX_TEST_STORES = args[storesAt + 1];
  args.splice(storesAt, 2);
}
const stores = env.ARX_TEST_STORES ?? (env.DATABASE_URL ? 'pglite,postgres' : 'pglite');
env.ARX_TEST_STORES = stores;
if (stores.includes('postgres') && !env.DATABASE_URL) {
  console.error(
    '✖ the PostgreSQL suite needs DATABASE_URL, e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/arx_test',
  );
  process.exit(2);
}
if (!stores.includes('postgres')) {
  console.log(
    'ℹ PostgreSQL store suite skipped (DATABASE_URL is not set). To run it:\n' +
      '  createdb arx_test && DATABASE_URL=postgres://postgres@127.0.0.1:5432/arx_test npm test',
  );
}

const files = args.filter((a) => !a.startsWith('-'));
const flags = args.filter((a) => a.startsWith('-'));
let targets = files.length > 0 ? files : globSync(['src/**/*.test.ts', 'test/**/*.test.ts']).sort();
if (!stores.includes('pglite') && files.length === 0) {
  // PostgreSQL only (CI's second pass): the suites that run on a store; the rest already ran on the first pass.
  targets = targets.filter((file) => readFileSync(file, 'utf8').includes('forEachStore'));
}
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=2', ...flags, ...targets],
  { stdio: 'inherit', env },
);
process.exit(result.status ?? 1);
