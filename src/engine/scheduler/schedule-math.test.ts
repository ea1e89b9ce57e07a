import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dueOccurrence, nextFire, nextFires } from './schedule-math.js';

const iso = (dates: Array<Date | null>) => dates.map((d) => d?.toISOString() ?? null);

describe('schedule math', () => {
  it('reads the cron in the schedule’s time zone', () => {
    const after = new Date('2026-06-01T00:00:00Z');
    assert.equal(nextFire('0 9 * * *', 'UTC', after)?.toISOString(), '2026-06-01T09:00:00.000Z');
    assert.equal(nextFire('0 9 * * *', 'Europe/Berlin', after)?.toISOString(), '2026-06-01T07:00:00.000Z');
    assert.equal(nextFire('0 9 * * *', 'America/New_York', after)?.toISOString(), '2026-06-01T13:00:00.000Z');
    assert.equal(nextFire('0 9 * * *', 'Asia/Kolkata', after)?.toISOString(), '2026-06-01T03:30:00.000Z');
  });

  it('fires a nonexistent spring-forward time once, at the first valid minute after it', () => {
    // Berlin 2026-03-29: 02:00 CET jumps to 03:00 CEST; 02:30 does not exist that day
    assert.deepEqual(iso(nextFires('30 2 * * *', 'Europe/Berlin', new Date('2026-03-28T12:00:00Z'), 3)), [
      '2026-03-29T01:00:00.000Z',
      '2026-03-30T00:30:00.000Z',
      '2026-03-31T00:30:00.000Z',
    ]);
  });

  it('fires a repeated fall-back time once, not twice', () => {
    // Berlin 2026-10-25: 03:00 CEST falls back to 02:00 CET; 02:30 happens twice on the wall clock
    assert.deepEqual(iso(nextFires('30 2 * * *', 'Europe/Berlin', new Date('2026-10-24T12:00:00Z'), 3)), [
      '2026-10-25T00:30:00.000Z',
      '2026-10-26T01:30:00.000Z',
      '2026-10-27T01:30:00.000Z',
    ]);
  });

  it('keeps "every 4 hours" on the local wall clock across a DST change', () => {
    // New York 2026-03-08: 02:00 EST jumps to 03:00 EDT, so the gap between 00:00 and 04:00 local is 3 hours
    assert.deepEqual(iso(nextFires('0 */4 * * *', 'America/New_York', new Date('2026-03-08T00:00:00Z'), 4)), [
      '2026-03-08T01:00:00.000Z',
      '2026-03-08T05:00:00.000Z',
      '2026-03-08T08:00:00.000Z',
      '2026-03-08T12:00:00.000Z',
    ]);
  });

  it('fires a schedule missed for a day once, for its latest occurrence', () => {
    const due = new Date('2026-01-01T01:00:00Z');
    const { fireAt, next } = dueOccurrence('0 * * * *', 'UTC', due, new Date('2026-01-02T05:30:00Z'));
    assert.equal(fireAt.toISOString(), '2026-01-02T05:00:00.000Z');
    assert.equal(next?.toISOString(), '2026-01-02T06:00:00.000Z');
  });

  it('fires an occurrence due exactly now for itself, and waits for the one after', () => {
    const due = new Date('2026-01-01T01:00:00Z');
    const { fireAt, next } = dueOccurrence('0 * * * *', 'UTC', due, new Date('2026-01-01T01:00:00.400Z'));
    assert.equal(fireAt.toISOString(), due.toISOString());
    assert.equal(next?.toISOString(), '2026-01-01T02:00:00.000Z');
  });

  it('handles per-second crons (six fields)', () => {
    const now = new Date('2026-01-01T00:00:07.250Z');
    const { fireAt, next } = dueOccurrence('* * * * * *', 'UTC', new Date('2026-01-01T00:00:05Z'), now);
    assert.equal(fireAt.toISOString(), '2026-01-01T00:00:07.000Z');
    assert.equal(next?.toISOString(), '2026-01-01T00:00:08.000Z');
  });
});
