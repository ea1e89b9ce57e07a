import { type ArxRunInput, type ArxRunReport, runArxHere } from './arx-run.js';
import { childInput, report } from './child.js';

/** The child process of one distribution run (see `runArx`): runs, reports its figures, exits. */
try {
  await report<ArxRunReport>({ result: await runArxHere(childInput<ArxRunInput>()) });
} catch (err) {
  await report({ error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  process.exitCode = 1;
}
