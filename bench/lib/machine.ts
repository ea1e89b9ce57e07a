import { cpus, freemem, loadavg, totalmem } from 'node:os';

/** Where the figures were taken: they mean little without the machine and how busy it was. */
export interface Machine {
  cpus: number;
  cpu_model: string;
  memory_gb: number;
  free_memory_gb: number;
  node: string;
  platform: string;
  /** 1, 5 and 15 minute load averages (`uptime`). */
  load: number[];
}

export function describeMachine(): Machine {
  const list = cpus();
  return {
    cpus: list.length,
    cpu_model: list[0]?.model.trim() ?? 'unknown',
    memory_gb: Math.round(totalmem() / 2 ** 30),
    free_memory_gb: Math.round(freemem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    load: loadavg().map((n) => Math.round(n * 100) / 100),
  };
}
