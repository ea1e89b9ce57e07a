import { type ChildProcess, spawn } from 'node:child_process';

/**
 * A child Node process running a TypeScript entry point through tsx, with its output collected, for tests
 * that kill it (SIGKILL at an awkward instant) and run it again: the engine crash test and the chaos test.
 */
export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface Child {
  process: ChildProcess;
  exited: Promise<Exit>;
}

export function spawnTs(entry: string, args: readonly string[], env: NodeJS.ProcessEnv): Child {
  const child = spawn(process.execPath, ['--import', 'tsx', entry, ...args], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<Exit>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return { process: child, exited };
}

/** Runs the entry point to its end; `onSpawn` sees the process first (to kill it from a hook). */
export function runTs(
  entry: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  onSpawn: (child: ChildProcess) => void = () => {},
): Promise<Exit> {
  const child = spawnTs(entry, args, env);
  onSpawn(child.process);
  return child.exited;
}
