import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inTimeWindow } from './time-window.js';

describe('policy time windows', () => {
  it('applies start inclusive, end exclusive, in UTC by default', () => {
    const window = { start: '09:00', end: '17:00' };
    assert.equal(inTimeWindow(new Date('2026-03-02T09:00:00Z'), window), true);
    assert.equal(inTimeWindow(new Date('2026-03-02T16:59:00Z'), window), true);
    assert.equal(inTimeWindow(new Date('2026-03-02T17:00:00Z'), window), false);
    assert.equal(inTimeWindow(new Date('2026-03-02T08:59:00Z'), window), false);
  });

  it('follows the time zone, including daylight saving', () => {
    const window = { start: '09:00', end: '17:00', timezone: 'Europe/Berlin' };
    // winter: Berlin is UTC+1; summer: UTC+2
    assert.equal(inTimeWindow(new Date('2026-01-15T08:30:00Z'), window), true);
    assert.equal(inTimeWindow(new Date('2026-07-15T07:30:00Z'), window), true);
    assert.equal(inTimeWindow(new Date('2026-01-15T07:30:00Z'), window), false);
  });

  it('checks the weekday in the window time zone', () => {
    const window = { days: ['mon' as const], start: '00:00', end: '23:59', timezone: 'America/New_York' };
    // Monday 02:00 UTC is still Sunday evening in New York
    assert.equal(inTimeWindow(new Date('2026-03-02T02:00:00Z'), window), false);
    assert.equal(inTimeWindow(new Date('2026-03-02T15:00:00Z'), window), true);
  });

  it('wraps past midnight, counting the early hours to the day the window opened', () => {
    const window = { days: ['fri' as const], start: '22:00', end: '06:00' };
    assert.equal(inTimeWindow(new Date('2026-03-06T23:00:00Z'), window), true); // Fri 23:00
    assert.equal(inTimeWindow(new Date('2026-03-07T05:00:00Z'), window), true); // Sat 05:00
    assert.equal(inTimeWindow(new Date('2026-03-06T05:00:00Z'), window), false); // Fri 05:00 belongs to Thu
    assert.equal(inTimeWindow(new Date('2026-03-07T12:00:00Z'), window), false);
  });
});
