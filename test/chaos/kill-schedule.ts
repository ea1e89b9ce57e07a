import type { ChildProcess } from 'node:child_process';
import type { Sandbox } from '../../src/sandbox/start.js';

/**
 * When to kill a workflow run: at a random instant inside a phase, seen from the emulators' side. The
 * emulators count every request they answer; a kill fires once the tool named has answered `after`
 * requests since the child started, plus a random delay, so it lands mid-read, between two writes, or while
 * a write is in flight.
 */
export interface KillPoint {
  /** The emulator whose requests are counted: `wiz` (reading), `jira` or `slack` (writing). */
  tool: string;
  after: number;
  delayMs: number;
}

/** Requests the emulator `tool` has answered so far. */
export function requestsOf(sandbox: Sandbox, tool: string): number {
  return sandbox.emulators.find((e) => e.name === tool)?.stats().total ?? 0;
}

/**
 * Watches the emulators and SIGKILLs `child` at `point`. Resolves true when it killed, false when the child
 * ended first (the run got through before the instant came).
 */
export function killAt(sandbox: Sandbox, child: ChildProcess, point: KillPoint): Promise<boolean> {
  const start = requestsOf(sandbox, point.tool);
  return new Promise((resolve) => {
    let done = false;
    const finish = (killed: boolean) => {
      if (done) return;
      done = true;
      clearInterval(watch);
      resolve(killed);
    };
    child.once('exit', () => finish(false));
    const watch = setInterval(() => {
      if (requestsOf(sandbox, point.tool) - start < point.after) return;
      clearInterval(watch);
      setTimeout(() => {
        if (done || child.exitCode !== null) return finish(false);
        child.kill('SIGKILL');
        finish(true);
      }, point.delayMs);
    }, 2);
  });
}
