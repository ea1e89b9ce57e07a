import type { Child } from './child-process.js';
import { waitFor } from './wait.js';

/** What `arx serve --json` says once it listens. */
export interface Serving {
  url: string;
  pid: number;
  store: string;
  auth: { scheme: string; file: string };
  schedules: unknown[];
}

/** Waits for a spawned `arx serve --json` to print its `serving` line, and returns it. */
export function servingOf(serve: Child): Promise<Serving> {
  let output = '';
  serve.process.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  return waitFor('arx serve to say where it listens', () => {
    const line = output.split('\n').find((l) => l.includes('"serving"'));
    return line ? (JSON.parse(line) as Serving) : undefined;
  });
}
