import { Cron } from 'croner';

/**
 * Cron arithmetic, in the schedule's IANA time zone, by croner. Daylight saving follows croner's rules: an
 * occurrence in the hour skipped in spring fires at the first valid minute after it, one in the hour
 * repeated in autumn fires once.
 */

/**
 * The first occurrence strictly after `after`, or null when the expression never fires again.
 * @example nextFire('0 9 * * 1-5', 'Europe/Berlin', new Date('2026-03-27T12:00:00Z')) // Mon 30 Mar 07:00Z
 */
export function nextFire(cron: string, timezone: string, after: Date): Date | null {
  return pattern(cron, timezone).nextRun(after);
}

/** The next `count` occurrences after `after`: what `arx register` prints. */
export function nextFires(cron: string, timezone: string, after: Date, count: number): Date[] {
  return pattern(cron, timezone).nextRuns(count, after);
}

/**
 * What to fire for a schedule that came due at `due` and is checked at `now`: the latest occurrence not
 * after `now` (a scheduler that was down for a day fires once, for the most recent occurrence, not once per
 * missed one), and the occurrence after `now` to wait for next.
 */
export function dueOccurrence(
  cron: string,
  timezone: string,
  due: Date,
  now: Date,
): { fireAt: Date; next: Date | null } {
  const next = nextFire(cron, timezone, now);
  // previousRuns looks strictly before its reference; occurrences fall on whole seconds
  const justAfterNow = new Date(Math.floor(now.getTime() / 1000) * 1000 + 1000);
  const latest = pattern(cron, timezone).previousRuns(1, justAfterNow)[0];
  const fireAt = latest && latest.getTime() >= due.getTime() ? latest : due;
  return { fireAt, next };
}

function pattern(cron: string, timezone: string): Cron {
  return new Cron(cron, { timezone, paused: true });
}
