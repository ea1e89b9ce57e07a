import type { Command } from 'commander';

/** A CLI command module: registers its commands on the program. Keep top-level imports light. */
export type RegisterCommand = (program: Command) => void;

/** Each module owns one command family. */
export async function registerAll(program: Command): Promise<void> {
  const modules: Array<Promise<{ register: RegisterCommand }>> = [
    import('./connectors.js'),
    import('./validate.js'),
    import('./intel.js'),
    import('./sandbox.js'),
    import('./approvals.js'),
    import('./audit.js'),
    import('./killswitch.js'),
    import('./drift.js'),
    import('./policy.js'),
    import('./findings.js'),
    import('./run.js'),
    import('./runs.js'),
    import('./register.js'),
    import('./serve.js'),
    import('./worker.js'),
    // command modules are added here, one line each
  ];
  for (const mod of await Promise.all(modules)) mod.register(program);
}
