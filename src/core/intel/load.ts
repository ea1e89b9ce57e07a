import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ArxError } from '../errors.js';
import { type IntelIndex, type IntelOrigin, indexSnapshot } from './intel-index.js';
import { type IntelSnapshot, serializeSnapshot, snapshotSchema } from './snapshot.js';

/**
 * I/O: where snapshots live and how they are read and written. The snapshot shipped with Arx sits in the
 * top-level `data/intel/` folder, which is the same relative place from `src/core/intel/` and from
 * `dist/core/intel/`, so the build needs no copy step. `arx intel update` writes `ARX_HOME/intel/snapshot.json`,
 * which wins when present. Nothing is read until `loadIntel` is called.
 */

export const SHIPPED_SNAPSHOT_PATH = fileURLToPath(
  new URL('../../../data/intel/snapshot.json', import.meta.url),
);

export function refreshedSnapshotPath(home: string): string {
  return join(home, 'intel', 'snapshot.json');
}

export async function readSnapshotFile(path: string): Promise<IntelSnapshot> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, 'utf8'));
  } catch (err) {
    throw new ArxError('intel_snapshot_unreadable', `${path}: ${(err as Error).message}`, {
      fault: 'caller',
      cause: err,
      hint: 'run `arx intel update` again, or delete the file to use the snapshot shipped with Arx',
    });
  }
  const parsed = snapshotSchema.safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues[0]!;
    throw new ArxError(
      'intel_snapshot_unreadable',
      `${path}: not an Arx intel snapshot (${first.path.join('.') || '(root)'}: ${first.message})`,
      {
        fault: 'caller',
        hint: 'run `arx intel update` again, or delete the file to use the shipped snapshot',
      },
    );
  }
  return parsed.data;
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/** The snapshot in force: the refreshed one under `home` when there is one, else the shipped one. */
export async function currentSnapshot(
  home: string | undefined,
): Promise<{ snapshot: IntelSnapshot; origin: IntelOrigin; path: string }> {
  const refreshed = home ? refreshedSnapshotPath(home) : undefined;
  if (refreshed && (await exists(refreshed))) {
    return { snapshot: await readSnapshotFile(refreshed), origin: 'refreshed', path: refreshed };
  }
  return {
    snapshot: await readSnapshotFile(SHIPPED_SNAPSHOT_PATH),
    origin: 'shipped',
    path: SHIPPED_SNAPSHOT_PATH,
  };
}

/**
 * Threat intel for scoring and enrichment.
 * @example const intel = await loadIntel({ home: '.arx' }); intel.lookup('CVE-2021-44228')?.kev
 */
export async function loadIntel(options: { home?: string } = {}): Promise<IntelIndex> {
  const { snapshot, origin, path } = await currentSnapshot(options.home);
  return indexSnapshot(snapshot, origin, path);
}

/** Write to a temporary file in the same folder, flush, then rename: readers see the old or the new file. */
export async function writeSnapshotAtomically(path: string, snapshot: IntelSnapshot): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    const handle = await open(temp, 'w');
    try {
      await handle.writeFile(serializeSnapshot(snapshot), 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
}
