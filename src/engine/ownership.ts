import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Clock } from '../core/clock.js';
import type { LeaseHolder, RunLease } from '../store/run-leases-repo.js';

/**
 * Run ownership. An executing run holds a lease refreshed every HEARTBEAT_MS; a lease not refreshed for
 * LEASE_TTL_MS, or held by a process on this host that no longer exists (kill -9), means the run was
 * interrupted and may be resumed. The pid check makes resuming after a crash immediate on one machine; the
 * heartbeat covers workers on other machines sharing one PostgreSQL.
 */
export const HEARTBEAT_MS = 10_000;
/** Several missed heartbeats, so a long pause (GC, a slow query) is not mistaken for a crash. */
export const LEASE_TTL_MS = 60_000;

/** This engine instance's identity: a fresh token per instance, so two engines in one process differ. */
export function newHolder(): LeaseHolder {
  const host = hostname();
  return { owner: `${host}:${process.pid}:${randomBytes(4).toString('hex')}`, host, pid: process.pid };
}

/** Whether the lease's owner has stopped executing the run. */
export function ownerGone(lease: RunLease | undefined, clock: Clock, host: string = hostname()): boolean {
  if (!lease) return true;
  if (clock.now().getTime() - lease.heartbeatAt.getTime() > LEASE_TTL_MS) return true;
  return lease.host === host && !processAlive(lease.pid);
}

/** Signal 0 checks existence without touching the process; EPERM means it exists under another user. */
export function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
