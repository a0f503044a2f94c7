// The routing priority table: teams with their skills and labels, the default team, asking for a topic.

import { z } from 'zod';

const teamIdSchema = z
  .union([z.string().trim().min(1), z.number().int().nonnegative()])
  .transform((value) => String(value));

/** One row of the routing priority table: a team and the skills it takes. */
export const routingEntrySchema = z.object({
  /** The support system's team id (Chatwoot team ids are numbers; both forms are accepted). */
  team: teamIdSchema,
  /** What users and agents read: "Billing". Also the topic offered when the user is asked. */
  label: z.string().trim().min(1).max(100).optional(),
  /** `Organization.Project.Skill` names or `Organization.Project.*` wildcards. */
  skills: z.array(z.string()).default([]),
});

const defaultTeamSchema = z.union(
  [
    teamIdSchema.transform((team) => ({ team, label: undefined as string | undefined })),
    z.object({ team: teamIdSchema, label: z.string().trim().min(1).max(100).optional() }),
  ],
  {
    error: (issue) =>
      issue.input === undefined
        ? 'no default team: routing needs one for conversations no entry matches'
        : 'must be a team id or { team, label }',
  },
);

/**
 * "Routing priority": a default team plus an ordered list of teams with associated skills.
 * Validated further by `createSkillRouter` (skill names, one team per skill).
 */
export const routingPrioritySchema = z.object({
  defaultTeam: defaultTeamSchema,
  teams: z.array(routingEntrySchema).default([]),
  /** With no unfinished skill, ask the user to pick a topic instead of using the default team. */
  askWhenNoSkill: z.boolean().default(false),
});

export type RoutingPriorityInput = z.input<typeof routingPrioritySchema>;
export type RoutingPriority = z.output<typeof routingPrioritySchema>;
export type RoutingEntry = z.output<typeof routingEntrySchema>;
