/**
 * Runs the ticketing fixture workflow once, in its own process, so a test can kill it with SIGKILL at any
 * instant and run it again. Loads the workflow from its folder the way `arx run ./path` does, takes the
 * ticket count from TICKET_COUNT (the option's environment fallback), and prints the run summary as JSON.
 *
 * Environment: TICKETS_URL, TICKET_COUNT, and ARX_HOME (embedded store) or DATABASE_URL + ARX_TEST_SCHEMA.
 */
import { openStore } from '../../src/store/open.js';
import { loadWorkflowFromPath } from '../../src/workflows/sdk/load.js';
import { resolveOptions } from '../../src/workflows/sdk/options.js';
import { openEngineHarness } from './engine.js';

const env = process.env;
const store = await openStore(
  env.DATABASE_URL
    ? {
        databaseUrl: env.DATABASE_URL,
        ...(env.ARX_TEST_SCHEMA ? { schema: env.ARX_TEST_SCHEMA } : {}),
        poolSize: 2,
      }
    : { home: env.ARX_HOME ?? '.arx', owner: 'engine crash test' },
);
try {
  const workflow = await loadWorkflowFromPath(
    new URL('../fixtures/workflows/ticketing', import.meta.url).pathname,
  );
  const { engine } = openEngineHarness(store, { ticketsUrl: env.TICKETS_URL ?? '' });
  const outcome = await engine.run(workflow, { options: resolveOptions(workflow, undefined, env) });
  process.stdout.write(`${JSON.stringify(outcome.summary)}\n`);
  process.exitCode = outcome.status === 'succeeded' ? 0 : 1;
} finally {
  await store.close();
}
