import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Runs a bench module in its own Node process, so what it measures (peak RSS above all) is its own and
 * not the bench's or the emulators'. The child gets its input as JSON in argv, may send `{ progress }`
 * messages, and ends by sending `{ result }` (or `{ error }`) over IPC.
 */
const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export type ChildMessage<R> = { progress: string } | { result: R } | { error: string };

export function runChild<I, R>(module: string, input: I, onProgress?: (line: string) => void): Promise<R> {
  return new Promise((resolvePromise, reject) => {
    const child = fork(resolve(REPO, module), [JSON.stringify(input)], {
      cwd: REPO,
      // BENCH_CPU_PROF=<dir>: a V8 CPU profile of each child, for `npx cpupro` or Chrome DevTools
      execArgv: [
        '--import',
        'tsx',
        ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []),
      ],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let settled = false;
    child.on('message', (message: ChildMessage<R>) => {
      if ('progress' in message) onProgress?.(message.progress);
      else if ('result' in message) {
        settled = true;
        resolvePromise(message.result);
      } else if ('error' in message) {
        settled = true;
        reject(new Error(message.error));
      }
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (!settled) reject(new Error(`${module} exited with ${signal ?? `code ${code}`} before reporting`));
    });
  });
}

/** The child's side: its input, and a way to report. */
export function childInput<I>(): I {
  return JSON.parse(process.argv[2] ?? '{}') as I;
}

export function report<R>(message: ChildMessage<R>): Promise<void> {
  return new Promise((done) => {
    if (!process.send) {
      process.stdout.write(`${JSON.stringify(message)}\n`);
      done();
      return;
    }
    process.send(message, () => done());
  });
}

/** Peak resident set size of this process so far, in MB: the kernel's high-water mark where there is one. */
export function peakRssMb(sampledPeak: number): number {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    if (match) return Number(match[1]) / 1024;
  } catch {
    // not Linux: the sampled peak is what there is
  }
  return sampledPeak / 1024 / 1024;
}
