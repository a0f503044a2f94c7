import { describe, expect, it } from 'vitest';
import { businessHoursSchema, isOpen, teamIsOpen } from './business-hours.js';

describe('business hours', () => {
  const hours = businessHoursSchema.parse({
    timezone: 'Europe/Berlin',
    default: { mon: '09:00-17:00', tue: '09:00-12:00,13:00-17:00' },
    teams: { '3': { sat: '10:00-14:00' } },
  });

  it('reads the time in the configured zone', () => {
    // Monday 2026-11-23 08:30 UTC is 09:30 in Berlin (CET, UTC+1).
    expect(isOpen(hours.default ?? {}, 'Europe/Berlin', new Date('2026-11-23T08:30:00Z'))).toBe(true);
    expect(isOpen(hours.default ?? {}, 'UTC', new Date('2026-11-23T08:30:00Z'))).toBe(false);
  });

  it('honours several ranges a day, and closes days left out', () => {
    expect(teamIsOpen(hours, '1', new Date('2026-11-24T11:30:00Z'))).toBe(false);
    expect(teamIsOpen(hours, '1', new Date('2026-11-24T12:30:00Z'))).toBe(true);
    expect(teamIsOpen(hours, '1', new Date('2026-11-25T12:30:00Z'))).toBe(false);
  });

  it("uses a team's own hours before the default ones", () => {
    expect(teamIsOpen(hours, '3', new Date('2026-11-28T11:00:00Z'))).toBe(true);
    expect(teamIsOpen(hours, '3', new Date('2026-11-23T10:00:00Z'))).toBe(false);
  });

  it('keeps teams open when no hours apply', () => {
    const none = businessHoursSchema.parse({ timezone: 'UTC' });
    expect(teamIsOpen(none, '1', new Date('2026-11-22T03:00:00Z'))).toBe(true);
  });

  it('refuses malformed ranges and unknown zones, naming them', () => {
    expect(businessHoursSchema.safeParse({ timezone: 'Mars/Olympus' }).error?.issues[0]?.message).toContain(
      'IANA',
    );
    expect(
      businessHoursSchema.safeParse({ timezone: 'UTC', default: { mon: '9-5' } }).error?.issues[0]?.path,
    ).toEqual(['default', 'mon']);
  });
});
