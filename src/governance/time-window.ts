import type { TimeWindow, Weekday } from '../config/governance.js';

/**
 * Is `at` inside a policy time window? Windows are wall-clock times in their time zone (UTC by default), so
 * "09:00–17:00 Europe/Berlin" follows daylight saving. `end` is exclusive. A window whose end is before its
 * start wraps past midnight (22:00–06:00); its early-morning part belongs to the day the window opened, so
 * `days: [fri]` with 22:00–06:00 covers Friday 22:00 to Saturday 06:00.
 */
const WEEKDAY_ORDER: readonly Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

export function inTimeWindow(at: Date, window: TimeWindow): boolean {
  const { weekday, minutes } = localTime(at, window.timezone ?? 'UTC');
  const start = toMinutes(window.start);
  const end = toMinutes(window.end);
  const days = window.days;
  if (start <= end) return minutes >= start && minutes < end && (!days || days.includes(weekday));
  if (minutes >= start) return !days || days.includes(weekday);
  if (minutes < end) return !days || days.includes(previousDay(weekday));
  return false;
}

/** Describes a window for verdict reasons: `mon,tue 09:00–17:00 Europe/Berlin`. */
export function describeTimeWindow(window: TimeWindow): string {
  const days = window.days ? `${window.days.join(',')} ` : '';
  return `${days}${window.start}–${window.end} ${window.timezone ?? 'UTC'}`;
}

function localTime(at: Date, timeZone: string): { weekday: Weekday; minutes: number } {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const weekday = get('weekday').toLowerCase().slice(0, 3) as Weekday;
  return { weekday, minutes: Number(get('hour')) * 60 + Number(get('minute')) };
}

function toMinutes(clock: string): number {
  const [h, m] = clock.split(':');
  return Number(h) * 60 + Number(m);
}

function previousDay(day: Weekday): Weekday {
  const index = WEEKDAY_ORDER.indexOf(day);
  return WEEKDAY_ORDER[(index + 6) % 7]!;
}
