import { randomBytes } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '../log/logger.js';
import type { Store } from '../store/open.js';
import { DEFAULT_HOME } from '../store/options.js';

/**
 * The store of a sandbox run: `<ARX_HOME>/sandbox`, emptied at the start of every sandbox run, because the
 * emulators' state dies with the process (a ledger that outlived it would point at tickets that no longer
 * exist). It stays on disk after the run so the run can be inspected and its audit trail verified:
 * `ARX_HOME=.arx/sandbox arx audit verify`. A fresh PostgreSQL costs seconds of initdb and migrations, so the
 * migrated empty database is dumped once to the OS temp dir, keyed by the migrations' SQL, and later sandbox
 * runs start from that dump in a fraction of a second. A dump that cannot be read (another PGlite version) is
 * rebuilt.
 */
export async function openSandboxStore(log?: Logger, home = sandboxHome()): Promise<Store> {
  const [{ openStore }, { migrationsFingerprint }] = await Promise.all([
    import('../store/open.js'),
    import('../store/migrate.js'),
  ]);
  const onDisk = { home, discardExisting: true, owner: 'arx run (sandbox)' } as const;
  const file = join(tmpdir(), `arx-sandbox-store-${(await migrationsFingerprint()).slice(0, 16)}.tar`);
  const cached = readIfPresent(file);
  if (cached) {
    try {
      return await openStore({ ...onDisk, snapshot: new Blob([cached]), migrate: false });
    } catch (err) {
      log?.warn(
        { file, err: err instanceof Error ? err.message : String(err) },
        'sandbox store cache unusable; rebuilding',
      );
    }
  }
  const store = await openStore(onDisk);
  try {
    const dump = await store.pglite!.dumpDataDir('none');
    const bytes = new Uint8Array(await dump.arrayBuffer());
    // written under a unique name, then renamed: a parallel run never reads half a file
    const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
    writeFileSync(temp, bytes);
    renameSync(temp, file);
  } catch (err) {
    log?.warn({ err: err instanceof Error ? err.message : String(err) }, 'could not cache the sandbox store');
  }
  return store;
}

function readIfPresent(file: string): Uint8Array | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

/** Where sandbox runs keep their store: `sandbox/` inside ARX_HOME. */
export function sandboxHome(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.ARX_HOME?.trim() || DEFAULT_HOME, 'sandbox');
}
