// Which skills the tools a model called stand for, and which of them are unfinished: routing reads
// them (`Organization.Project.Skill`), agents read their inputs as the slots filled so far.

import { isSkillName } from '@handoff/core';
import type { ModelMessage } from 'ai';

/** How tool calls map to skills. */
export interface ToolSkillSettings {
  /** `Organization.Project`: every tool called maps to `Organization.Project.<toolName>`. */
  project?: string;
  /** Per tool: its skill name, or false to leave the tool out (wins over `project`). */
  byTool?: Readonly<Record<string, string | false>>;
}

/** One unfinished skill as the bot answers it. */
export interface UnfinishedToolSkill {
  skill: string;
  slots?: Record<string, string | number | boolean>;
}

interface CallFound {
  toolName: string;
  input: unknown;
  /** No result, or an error result: the work is still in progress. */
  open: boolean;
}

const maxSlots = 20;

/** The skill a tool stands for, if any. */
function skillOfTool(toolName: string, settings: ToolSkillSettings): string | undefined {
  const mapped = settings.byTool?.[toolName];
  if (mapped === false) return undefined;
  const skill = mapped ?? (settings.project === undefined ? undefined : `${settings.project}.${toolName}`);
  return skill !== undefined && isSkillName(skill) ? skill : undefined;
}

/** A tool call's scalar inputs, as the slots agents read. */
function slotsOf(input: unknown): Record<string, string | number | boolean> | undefined {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return undefined;
  const slots: Record<string, string | number | boolean> = {};
  for (const [name, value] of Object.entries(input)) {
    if (Object.keys(slots).length >= maxSlots || name.length > 100) continue;
    if (typeof value === 'string') slots[name] = value.slice(0, 1_000);
    else if (typeof value === 'number' || typeof value === 'boolean') slots[name] = value;
  }
  return Object.keys(slots).length > 0 ? slots : undefined;
}

function callsIn(messages: readonly ModelMessage[]): CallFound[] {
  const outcome = new Map<string, 'done' | 'failed'>();
  for (const message of messages) {
    if (message.role !== 'tool' && message.role !== 'assistant') continue;
    if (typeof message.content === 'string') continue;
    for (const part of message.content) {
      if (part.type !== 'tool-result') continue;
      const failed = part.output.type === 'error-text' || part.output.type === 'error-json';
      outcome.set(part.toolCallId, failed ? 'failed' : 'done');
    }
  }
  const calls: CallFound[] = [];
  for (const message of messages) {
    if (message.role !== 'assistant' || typeof message.content === 'string') continue;
    for (const part of message.content) {
      if (part.type !== 'tool-call') continue;
      calls.push({
        toolName: part.toolName,
        input: part.input,
        open: outcome.get(part.toolCallId) !== 'done',
      });
    }
  }
  return calls;
}

/**
 * The unfinished skills of a conversation, innermost first: the skills named at the handoff, then
 * the tool calls still in progress (no result yet, or a failed one), then the other tools called
 * lately (the tasks the bot was busy with), each skill once, at most `limit`.
 */
export function unfinishedToolSkills(input: {
  messages: readonly ModelMessage[];
  named: readonly string[];
  settings: ToolSkillSettings;
  limit: number;
}): UnfinishedToolSkill[] {
  const found: UnfinishedToolSkill[] = [];
  const seen = new Set<string>();
  const add = (skill: string, slots?: Record<string, string | number | boolean>) => {
    const key = skill.toLowerCase();
    if (seen.has(key) || found.length >= input.limit) return;
    seen.add(key);
    found.push(slots === undefined ? { skill } : { skill, slots });
  };
  for (const skill of input.named) if (isSkillName(skill)) add(skill);
  const latestFirst = callsIn(input.messages).reverse();
  for (const pass of [true, false]) {
    for (const call of latestFirst) {
      if (call.open !== pass) continue;
      const skill = skillOfTool(call.toolName, input.settings);
      if (skill !== undefined) add(skill, slotsOf(call.input));
    }
  }
  return found;
}
