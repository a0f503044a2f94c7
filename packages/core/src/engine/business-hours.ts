// Business hours per team: their configuration schema and whether a team is open at a time.

import { z } from 'zod';

const dayNames = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type DayName = (typeof dayNames)[number];

const rangePattern = /^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-4]):([0-5]\d)$/;

/** `09:00-17:00`, several joined by commas (`09:00-12:00,13:00-17:00`), or `closed`. */
const daySchema = z
  .string()
  .trim()
  .refine(
    (value) => value === 'closed' || value.split(',').every((range) => rangePattern.test(range.trim())),
    'must be "closed" or ranges such as 09:00-12:00,13:00-17:00',
  );

/** Opening hours per weekday; a day left out is closed. */
export const weeklyHoursSchema = z.object(
  Object.fromEntries(dayNames.map((day) => [day, daySchema.optional()])) as Record<
    DayName,
    z.ZodOptional<typeof daySchema>
  >,
);

export const businessHoursSchema = z.object({
  /** IANA time zone the hours are in, for example `Europe/Berlin`. */
  timezone: z.string().refine((zone) => {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: zone });
      return true;
    } catch {
      return false;
    }
  }, 'must be an IANA time zone such as Europe/Berlin'),
  /** Hours of teams without their own. Omitted: those teams are always open. */
  default: weeklyHoursSchema.optional(),
  /** Hours by support-side team id. */
  teams: z.record(z.string(), weeklyHoursSchema).default({}),
});

export type WeeklyHours = z.infer<typeof weeklyHoursSchema>;
export type BusinessHours = z.output<typeof businessHoursSchema>;

/** The weekday and minute of the day at `date` in `timezone`. */
function localTime(date: Date, timezone: string): { day: DayName; minute: number } {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: timezone,
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(date);
  const part = (type: string) => parts.find((candidate) => candidate.type === type)?.value ?? '';
  const day = part('weekday').slice(0, 3).toLowerCase() as DayName;
  return { day, minute: Number(part('hour')) * 60 + Number(part('minute')) };
}

/** Whether `hours` are open at `date` in `timezone`. */
export function isOpen(hours: WeeklyHours, timezone: string, date: Date): boolean {
  const { day, minute } = localTime(date, timezone);
  const ranges = hours[day];
  if (ranges === undefined || ranges === 'closed') return false;
  return ranges.split(',').some((range) => {
    const match = rangePattern.exec(range.trim());
    if (match === null) return false;
    const start = Number(match[1]) * 60 + Number(match[2]);
    const end = Number(match[3]) * 60 + Number(match[4]);
    return minute >= start && minute < end;
  });
}

/** Whether `team` is within its configured business hours (teams without hours are always open). */
export function teamIsOpen(businessHours: BusinessHours, team: string, date: Date): boolean {
  const hours = businessHours.teams[team] ?? businessHours.default;
  return hours === undefined || isOpen(hours, businessHours.timezone, date);
}
