import { describe, expect, it } from 'vitest';
import { type InboxWorkingHours, inboxIsOpen, weeklyHoursOf } from './inbox-working-hours.js';

const weekdays = (open: [number, number], close: [number, number]) =>
  [0, 1, 2, 3, 4, 5, 6].map((day) => ({
    day_of_week: day,
    closed_all_day: day === 0 || day === 6,
    open_all_day: false,
    open_hour: open[0],
    open_minutes: open[1],
    close_hour: close[0],
    close_minutes: close[1],
  }));

describe('Chatwoot inbox working hours', () => {
  const berlin: InboxWorkingHours = {
    working_hours_enabled: true,
    timezone: 'Europe/Berlin',
    working_hours: weekdays([9, 30], [17, 0]),
  };

  it('reads the rows as weekly hours in the inbox zone', () => {
    expect(weeklyHoursOf(berlin)).toEqual({
      timezone: 'Europe/Berlin',
      hours: {
        sun: 'closed',
        mon: '09:30-17:00',
        tue: '09:30-17:00',
        wed: '09:30-17:00',
        thu: '09:30-17:00',
        fri: '09:30-17:00',
        sat: 'closed',
      },
    });
  });

  it('is open within the hours of the inbox zone only', () => {
    // Monday 2026-11-23: 08:45 UTC is 09:45 in Berlin; 08:15 UTC is 09:15.
    expect(inboxIsOpen(berlin, new Date('2026-11-23T08:45:00Z'))).toBe(true);
    expect(inboxIsOpen(berlin, new Date('2026-11-23T08:15:00Z'))).toBe(false);
    expect(inboxIsOpen(berlin, new Date('2026-11-23T16:00:00Z'))).toBe(false);
    expect(inboxIsOpen(berlin, new Date('2026-11-22T12:00:00Z'))).toBe(false);
  });

  it('honours open all day, and is always open when working hours are off or unusable', () => {
    const allDay = {
      ...berlin,
      working_hours: [{ day_of_week: 0, open_all_day: true, closed_all_day: false }],
    };
    expect(inboxIsOpen(allDay, new Date('2026-11-22T23:30:00Z'))).toBe(true);
    expect(inboxIsOpen({ ...berlin, working_hours_enabled: false }, new Date('2026-11-22T12:00:00Z'))).toBe(
      true,
    );
    expect(inboxIsOpen({ ...berlin, timezone: 'Not/AZone' }, new Date('2026-11-22T12:00:00Z'))).toBe(true);
  });
});
