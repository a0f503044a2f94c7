import { type DayName, isOpen, type WeeklyHours } from '@handoff/core';
import { z } from 'zod';

/** Only what the adapter reads of `GET /inboxes/{id}`: whether working hours apply, and them. */
export const inboxWorkingHoursSchema = z.object({
  working_hours_enabled: z.boolean().nullable().optional(),
  timezone: z.string().nullable().optional(),
  working_hours: z
    .array(
      z.object({
        day_of_week: z.number().int().min(0).max(6),
        closed_all_day: z.boolean().nullable().optional(),
        open_all_day: z.boolean().nullable().optional(),
        open_hour: z.number().int().nullable().optional(),
        open_minutes: z.number().int().nullable().optional(),
        close_hour: z.number().int().nullable().optional(),
        close_minutes: z.number().int().nullable().optional(),
      }),
    )
    .nullable()
    .optional(),
});
export type InboxWorkingHours = z.infer<typeof inboxWorkingHoursSchema>;

const dayNames: readonly DayName[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const clock = (hour: number, minutes: number) =>
  `${String(hour).padStart(2, '0')}:${String(minutes).padStart(2, '0')}`;

function validZone(timezone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
    return true;
  } catch {
    return false;
  }
}

/**
 * The inbox's business hours as weekly hours in a zone, or undefined when they do not apply
 * (turned off, or nothing usable configured): then only the agents' presence decides.
 */
export function weeklyHoursOf(
  inbox: InboxWorkingHours,
): { hours: WeeklyHours; timezone: string } | undefined {
  if (inbox.working_hours_enabled !== true) return undefined;
  const timezone = inbox.timezone ?? 'UTC';
  if (!validZone(timezone)) return undefined;
  const hours: WeeklyHours = {};
  for (const day of inbox.working_hours ?? []) {
    const name = dayNames[day.day_of_week] as DayName;
    if (day.open_all_day === true) {
      hours[name] = '00:00-24:00';
      continue;
    }
    if (day.closed_all_day === true) {
      hours[name] = 'closed';
      continue;
    }
    const {
      open_hour: openHour,
      open_minutes: openMinutes,
      close_hour: closeHour,
      close_minutes: closeMinutes,
    } = day;
    if (openHour == null || closeHour == null) continue;
    const start = openHour * 60 + (openMinutes ?? 0);
    const end = closeHour * 60 + (closeMinutes ?? 0);
    if (start >= end || end > 24 * 60) continue;
    hours[name] = `${clock(openHour, openMinutes ?? 0)}-${clock(closeHour, closeMinutes ?? 0)}`;
  }
  return { hours, timezone };
}

/** Whether the inbox is within its working hours at `date` (always, when they do not apply). */
export function inboxIsOpen(inbox: InboxWorkingHours, date: Date): boolean {
  const weekly = weeklyHoursOf(inbox);
  // A day without a usable row is open: Chatwoot has a row per day, so none means "not configured".
  if (weekly === undefined) return true;
  const filled: WeeklyHours = Object.fromEntries(
    dayNames.map((name) => [name, weekly.hours[name] ?? '00:00-24:00']),
  ) as WeeklyHours;
  return isOpen(filled, weekly.timezone, date);
}
