import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { type Clock, systemClock } from '../core/clock.js';
import { ArxError } from '../core/errors.js';

/**
 * PGlite has no inter-process locking: a second process that opens the same data directory loses its
 * writes without an error. So the embedded store is owned by one process at a time, recorded in a lock
 * file next to the data. A lock whose process is gone (kill -9, crash, reboot) is taken over.
 */
export const LOCK_FILE = 'store.lock';

/** What the lock file says about its owner; `url` is set by an owner that serves the API (`arx serve`). */
export interface LockHolder {
  pid: number;
  hostname: string;
  command: string;
  startedAt: string;
  token: string;
  /** `<boot time>:<start ticks>` of the owning process (Linux), so a reused pid is not mistaken for it. */
  processStart?: string;
  url?: string;
}

export interface StoreLock {
  readonly path: string;
  readonly holder: LockHolder;
  /** Records where the owner can be reached, so other `arx` commands can talk to it instead. */
  advertise(url: string): void;
  release(): void;
}

export interface AcquireLockOptions {
  /** A label for people: `arx serve`, `arx run wiz-finding-distribution`. */
  command: string;
  /** How the user wrote the store path (`./.arx`), for messages. */
  displayPath?: string;
  clock?: Clock;
}

/** Stale takeovers and create races are retried a few times; more means something else keeps interfering. */
const MAX_ATTEMPTS = 5;

/** Locks held by this process, by path: a second open in the same process must fail too. */
const heldHere = new Map<string, string>();

export function lockPath(home: string): string {
  return join(resolve(home), LOCK_FILE);
}

/** The current holder of the embedded store at `home`, if any (not checked for staleness). */
export function readStoreLock(home: string): LockHolder | undefined {
  const raw = readRaw(lockPath(home));
  return raw === undefined ? undefined : parseHolder(raw);
}

export function acquireStoreLock(home: string, options: AcquireLockOptions): StoreLock {
  const dir = resolve(home);
  const path = join(dir, LOCK_FILE);
  const shown = options.displayPath ?? home;
  makeHome(dir, shown);
  const holder: LockHolder = {
    pid: process.pid,
    hostname: hostname(),
    command: options.command,
    startedAt: (options.clock ?? systemClock).now().toISOString(),
    token: randomBytes(12).toString('hex'),
    processStart: processStartOf(process.pid),
  };
  const content = JSON.stringify(holder, null, 2);

  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    if (createExclusive(path, content)) return ownedLock(path, holder);
    const raw = readRaw(path);
    if (raw === undefined) continue; // released between our create and read: try again
    const current = parseHolder(raw);
    if (current && heldHere.get(path) === current.token) {
      throw new ArxError(
        'store_locked',
        `The embedded store at ${shown} is already open in this process (by "${current.command}"); close it first.`,
        { fault: 'arx', details: { holder: current } },
      );
    }
    if (!isStale(current, path)) throw lockedError(shown, path, current);
    removeIfUnchanged(path, raw);
  }
  throw new ArxError(
    'store_locked',
    `Could not take the lock on the embedded store at ${shown}: it keeps changing.`,
    {
      fault: 'caller',
      retryable: true,
      hint: `Another process is starting or stopping on the same store. Try again, or delete ${path} if no arx process is running.`,
    },
  );
}

const HOME_ERRORS: Record<string, string> = {
  ENOTDIR: 'part of the path is a file, not a directory',
  EEXIST: 'it exists and is not a directory',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only',
};

function makeHome(dir: string, shown: string): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (err) {
    const code = errno(err) ?? '';
    throw new ArxError(
      'store_home_invalid',
      `The store directory ${shown} cannot be used: ${HOME_ERRORS[code] ?? (code || String(err))}.`,
      {
        fault: 'caller',
        hint: 'Set ARX_HOME to a writable directory, or point Arx at PostgreSQL with DATABASE_URL.',
        cause: err,
      },
    );
  }
}

function ownedLock(path: string, holder: LockHolder): StoreLock {
  heldHere.set(path, holder.token);
  const onExit = () => releaseIfOurs(path, holder.token);
  process.on('exit', onExit);
  return {
    path,
    holder,
    advertise(url: string) {
      holder.url = url;
      const temp = `${path}.${holder.token}.tmp`;
      writeFileSync(temp, JSON.stringify(holder, null, 2));
      renameSync(temp, path); // atomic replace of our own lock
    },
    release() {
      process.off('exit', onExit);
      releaseIfOurs(path, holder.token);
    },
  };
}

function releaseIfOurs(path: string, token: string): void {
  if (heldHere.get(path) === token) heldHere.delete(path);
  const raw = readRaw(path);
  if (raw !== undefined && parseHolder(raw)?.token === token) unlinkQuietly(path);
}

/** Creates the lock file with its full content in one step: a reader never sees it half-written. */
function createExclusive(path: string, content: string): boolean {
  const temp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  writeFileSync(temp, content, { flag: 'wx' });
  try {
    linkSync(temp, path);
    return true;
  } catch (err) {
    if (errno(err) === 'EEXIST') return false;
    // File systems without hard links: fall back to an exclusive create.
    if (errno(err) === 'EPERM' || errno(err) === 'ENOTSUP') return createWithFlag(path, content);
    throw err;
  } finally {
    unlinkQuietly(temp);
  }
}

function createWithFlag(path: string, content: string): boolean {
  try {
    writeFileSync(path, content, { flag: 'wx' });
    return true;
  } catch (err) {
    if (errno(err) === 'EEXIST') return false;
    throw err;
  }
}

/** A lock is stale when its process is certainly gone: same host and the pid is dead or now another process. */
function isStale(holder: LockHolder | undefined, path: string): boolean {
  if (!holder) return ageMs(path) > UNREADABLE_LOCK_GRACE_MS;
  if (holder.hostname !== hostname()) return false;
  if (holder.pid === process.pid) return true; // not held by this process (checked before), so a former one
  if (!isAlive(holder.pid)) return true;
  const start = processStartOf(holder.pid);
  return holder.processStart !== undefined && start !== undefined && start !== holder.processStart;
}

/** An unparseable lock is only treated as garbage after this long, in case a writer is mid-way. */
const UNREADABLE_LOCK_GRACE_MS = 10_000;

/**
 * Removes a stale lock so that exactly one taker wins: rename it to a unique name (only one rename of the
 * same file succeeds), then check that what was moved is the stale lock we judged. If another taker had
 * already replaced it with a live lock, put that lock back.
 */
function removeIfUnchanged(path: string, staleRaw: string): void {
  const aside = `${path}.stale-${randomBytes(6).toString('hex')}`;
  try {
    renameSync(path, aside);
  } catch (err) {
    if (errno(err) === 'ENOENT') return; // another taker moved it first
    throw err;
  }
  try {
    if (readRaw(aside) !== staleRaw) {
      try {
        linkSync(aside, path);
      } catch (err) {
        if (errno(err) !== 'EEXIST') throw err;
      }
    }
  } finally {
    unlinkQuietly(aside);
  }
}

function lockedError(shown: string, path: string, holder: LockHolder | undefined): ArxError {
  if (!holder) {
    return new ArxError(
      'store_locked',
      `The embedded store at ${shown} is locked by an unreadable lock file.`,
      {
        fault: 'caller',
        hint: `If no arx process is using it, delete ${path}; or point this command at PostgreSQL with DATABASE_URL.`,
      },
    );
  }
  const elsewhere = holder.hostname !== hostname();
  const who = `pid ${holder.pid}${elsewhere ? ` on host ${holder.hostname}` : ''}, since ${formatSince(holder.startedAt)}`;
  const fix = elsewhere
    ? `Stop that process; if host ${holder.hostname} no longer runs it, delete ${path}. Or point this command at PostgreSQL with DATABASE_URL.`
    : 'Stop that process, or point this command at PostgreSQL with DATABASE_URL.';
  return new ArxError(
    'store_locked',
    `The embedded store at ${shown} is in use by "${holder.command}" (${who}). ${fix}`,
    {
      fault: 'caller',
      details: {
        holder: {
          pid: holder.pid,
          hostname: holder.hostname,
          command: holder.command,
          startedAt: holder.startedAt,
          url: holder.url,
        },
      },
    },
  );
}

/** `10:02` for today, `2026-03-01 10:02` otherwise (local time: this is read by the person at the machine). */
function formatSince(iso: string): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  const pad = (n: number) => String(n).padStart(2, '0');
  const time = `${pad(at.getHours())}:${pad(at.getMinutes())}`;
  const day = `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`;
  const now = new Date();
  const today = `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
  return day === today ? time : `${day} ${time}`;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return errno(err) === 'EPERM'; // exists, owned by another user
  }
}

/** Linux only: boot time plus the process start tick from /proc, which differs for a reused pid. */
function processStartOf(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = fields[19]; // field 22 of stat; the fields after "comm)" start at field 3
    const boot = /^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'utf8'))?.[1];
    return ticks && boot ? `${boot}:${ticks}` : undefined;
  } catch {
    return undefined;
  }
}

function parseHolder(raw: string): LockHolder | undefined {
  try {
    const value = JSON.parse(raw) as Partial<LockHolder>;
    if (typeof value.pid !== 'number' || typeof value.token !== 'string') return undefined;
    return {
      pid: value.pid,
      hostname: String(value.hostname ?? ''),
      command: String(value.command ?? 'arx'),
      startedAt: String(value.startedAt ?? ''),
      token: value.token,
      processStart: value.processStart,
      url: value.url,
    };
  } catch {
    return undefined;
  }
}

function readRaw(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    if (errno(err) === 'ENOENT') return undefined;
    throw err;
  }
}

function ageMs(path: string): number {
  try {
    return Date.now() - statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}

function errno(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException)?.code;
}
