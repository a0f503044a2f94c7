// The tool a model calls to hand the user to a person: a reason, and optionally the team and the
// skills that should route it.

import { type Tool, tool } from 'ai';
import { z } from 'zod';

/** The name the bot gives the handoff tool unless told otherwise. */
export const defaultHandoffToolName = 'handoff';

/** A team the model may name: its routing topic label, and what it handles. */
export interface HandoffTeam {
  label: string;
  description?: string;
}

export interface HandoffToolSettings {
  /** The routing topics the model may name, so it can pick a team. Without them the router decides. */
  teams?: ReadonlyArray<HandoffTeam | string>;
  /** Skill names (`Organization.Project.Skill`) the model may name for routing. */
  skills?: readonly string[];
  /** Replaces the first sentence of the description (the topics and skills are still listed). */
  description?: string;
}

/** What the model passes when it hands off. */
export interface HandoffToolInput {
  reason: string;
  team?: string | undefined;
  skills?: string[] | undefined;
}

/** What the tool answers the model: the handoff is on its way; the conversation now goes to a person. */
export interface HandoffToolOutput {
  handedOff: true;
}

function teamLine(team: HandoffTeam | string): string {
  if (typeof team === 'string') return `- ${team}`;
  return team.description === undefined ? `- ${team.label}` : `- ${team.label}: ${team.description}`;
}

/**
 * A tool the model calls when the user needs a person: when they ask for one, or when the bot cannot
 * help. `createAiSdkBot` turns its call into a handoff request; used with `generateText` directly,
 * read the call from the result's tool calls.
 */
export function handoffTool(settings: HandoffToolSettings = {}): Tool<HandoffToolInput, HandoffToolOutput> {
  const labels = (settings.teams ?? []).map((team) => (typeof team === 'string' ? team : team.label));
  const lines = [
    settings.description ??
      'Hand the conversation to a human support agent. Call it when the user asks for a person, or when you cannot help; never tell the user you will connect them without calling it.',
  ];
  if (labels.length > 0) {
    lines.push(
      'Teams (name one in `team` when the topic fits; leave it out when unsure):',
      ...(settings.teams ?? []).map(teamLine),
    );
  }
  if ((settings.skills ?? []).length > 0) {
    lines.push(
      'Skills (name those the request needs in `skills`):',
      ...(settings.skills ?? []).map((skill) => `- ${skill}`),
    );
  }
  // Any name is taken (routing matches topic labels whatever their case, and sends an unknown one
  // to the default team): a call refused for a team's spelling would hand nobody off.
  const teamSchema = z.string().min(1).max(255);
  return tool({
    description: lines.join('\n'),
    inputSchema: z.object({
      reason: z.string().min(1).max(500).describe('Why the user needs a person, in one sentence.'),
      team: teamSchema.optional().describe('The team that should answer, if one fits.'),
      skills: z.array(z.string().max(255)).max(10).optional().describe('Skills the request needs.'),
    }),
    execute: async (): Promise<HandoffToolOutput> => ({ handedOff: true }),
  });
}
