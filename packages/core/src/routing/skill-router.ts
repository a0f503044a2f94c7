// The skill router: picks the team for a handoff from the bot's team, its unfinished skills, or the
// default; and reads the user's answer to the topic question.

import { ConfigurationError, type ConfigurationIssue } from '../errors/configuration-error.js';
import {
  type RoutingPriority,
  type RoutingPriorityInput,
  routingPrioritySchema,
} from './routing-priority.js';
import { parseSkillPattern } from './skill-name.js';

/** A team the router can send a conversation to. */
export interface RoutingTarget {
  /** Support-side team id. */
  team: string;
  /** Display label from the configuration, when it has one. */
  label?: string;
}

/** A topic the user can pick when asked which team they need. */
export interface RoutingTopic extends RoutingTarget {
  label: string;
}

/** Which of the four decision rules produced a decision, with the evidence for logs and the agent note. */
export type RoutingReason =
  | { rule: 'explicit'; requested: string; text: string }
  | {
      rule: 'skill';
      skill: string;
      entry: string;
      entryIndex: number;
      match: 'exact' | 'wildcard';
      text: string;
    }
  | { rule: 'ask'; text: string }
  | { rule: 'topic'; answer: string; text: string }
  | { rule: 'default'; unmatchedSkills: readonly string[]; text: string };

export type RoutingDecision =
  | { action: 'transfer'; target: RoutingTarget; reason: RoutingReason }
  | { action: 'ask'; topics: readonly RoutingTopic[]; reason: RoutingReason };

export interface RoutingOptions {
  /** Unfinished skills of the conversation, innermost (most recently started) first. */
  unfinishedSkills?: readonly string[];
  /** A team the bot named explicitly (static transfer): a team id or a configured label. */
  team?: string;
}

export interface SkillRouter {
  readonly configuration: RoutingPriority;
  /** Topics offered when the user is asked: the labelled teams, the default team last. */
  readonly topics: readonly RoutingTopic[];
  decide(options: RoutingOptions): RoutingDecision;
  /**
   * Interprets the user's answer to the topic question: a topic label (case-insensitive) or its
   * number in the list, starting at 1. Undefined when the answer names no topic.
   */
  resolveTopic(answer: string): RoutingDecision | undefined;
  /** The configured label of a team id, if any. */
  labelOf(team: string): string | undefined;
  /** The default team, as a decision explained by `text` (for example "the user named no topic"). */
  defaultDecision(text: string): RoutingDecision;
}

interface CompiledMatch {
  entryIndex: number;
  entry: string;
  match: 'exact' | 'wildcard';
  target: RoutingTarget;
}

const matchCacheLimit = 50_000;

function describeTarget(target: RoutingTarget): string {
  return target.label ? `${target.label} (team ${target.team})` : `team ${target.team}`;
}

function withLabel(team: string, label: string | undefined): RoutingTarget {
  return label === undefined ? { team } : { team, label };
}

/**
 * Compiles the routing priority into lookup tables so a decision costs O(unfinished skills), not
 * O(entries). Throws a ConfigurationError naming the entry when the configuration is unusable.
 */
export function createSkillRouter(input: RoutingPriorityInput | RoutingPriority): SkillRouter {
  const parsed = routingPrioritySchema.safeParse(input);
  if (!parsed.success) throw ConfigurationError.fromZod(parsed.error, { source: 'routing priority' });
  const configuration = parsed.data;

  const issues: ConfigurationIssue[] = [];
  const exact = new Map<string, CompiledMatch>();
  const wildcard = new Map<string, CompiledMatch>();
  const owners = new Map<string, { team: string; path: string }>();
  const labels = new Map<string, string>();
  const teamsByLabel = new Map<string, RoutingTarget>();

  const defaultTarget = withLabel(configuration.defaultTeam.team, configuration.defaultTeam.label);
  const register = (target: RoutingTarget, path: ReadonlyArray<string | number>) => {
    if (target.label === undefined) return;
    const known = labels.get(target.team);
    if (known !== undefined && known !== target.label) {
      issues.push({ path, message: `team ${target.team} already has the label "${known}"` });
      return;
    }
    const key = target.label.toLowerCase();
    const owner = teamsByLabel.get(key);
    if (owner !== undefined && owner.team !== target.team) {
      issues.push({ path, message: `label "${target.label}" is already used by team ${owner.team}` });
      return;
    }
    labels.set(target.team, target.label);
    teamsByLabel.set(key, target);
  };
  register(defaultTarget, ['defaultTeam', 'label']);

  configuration.teams.forEach((entry, entryIndex) => {
    const target = withLabel(entry.team, entry.label);
    register(target, ['teams', entryIndex, 'label']);
    entry.skills.forEach((skill, skillIndex) => {
      const path = ['teams', entryIndex, 'skills', skillIndex] as const;
      const pattern = parseSkillPattern(skill);
      if ('error' in pattern) {
        issues.push({ path, message: pattern.error });
        return;
      }
      const owner = owners.get(pattern.normalized);
      if (owner !== undefined) {
        if (owner.team !== entry.team) {
          issues.push({
            path,
            message: `skill "${skill}" is bound to two teams: team ${owner.team} (${owner.path}) and team ${entry.team}`,
          });
        }
        return;
      }
      owners.set(pattern.normalized, {
        team: entry.team,
        path: `teams[${entryIndex}].skills[${skillIndex}]`,
      });
      const compiled: CompiledMatch = { entryIndex, entry: skill, match: pattern.kind, target };
      if (pattern.kind === 'exact') exact.set(pattern.normalized, compiled);
      else wildcard.set(pattern.prefix, compiled);
    });
  });
  if (issues.length > 0) throw new ConfigurationError(issues, { source: 'routing priority' });

  const topics: RoutingTopic[] = [];
  const offered = new Set<string>();
  for (const entry of configuration.teams) {
    const label = labels.get(entry.team);
    if (label === undefined || offered.has(entry.team)) continue;
    offered.add(entry.team);
    topics.push({ team: entry.team, label });
  }
  const defaultLabel = labels.get(defaultTarget.team);
  if (defaultLabel !== undefined && !offered.has(defaultTarget.team)) {
    topics.push({ team: defaultTarget.team, label: defaultLabel });
  }

  // Skills repeat across conversations; remember each one's match so a decision is a few lookups.
  const matchCache = new Map<string, CompiledMatch | null>();
  const matchSkill = (skill: string): CompiledMatch | null => {
    const cached = matchCache.get(skill);
    if (cached !== undefined) return cached;
    const normalized = skill.toLowerCase();
    let found: CompiledMatch | null = exact.get(normalized) ?? null;
    if (found === null && wildcard.size > 0) {
      // The earliest entry in list order among the wildcards covering this skill wins.
      let dot = normalized.indexOf('.');
      while (dot !== -1) {
        const candidate = wildcard.get(normalized.slice(0, dot));
        if (candidate !== undefined && (found === null || candidate.entryIndex < found.entryIndex)) {
          found = candidate;
        }
        dot = normalized.indexOf('.', dot + 1);
      }
    }
    if (matchCache.size >= matchCacheLimit) matchCache.clear();
    matchCache.set(skill, found);
    return found;
  };

  const resolveTeam = (requested: string): RoutingTarget => {
    const byLabel = teamsByLabel.get(requested.toLowerCase());
    if (byLabel !== undefined) return byLabel;
    return withLabel(requested, labels.get(requested));
  };

  const askReason: RoutingReason = {
    rule: 'ask',
    text: 'no unfinished skill: asking the user to choose a topic',
  };

  return {
    configuration,
    topics,
    labelOf: (team) => labels.get(team),
    defaultDecision: (text) => ({
      action: 'transfer',
      target: defaultTarget,
      reason: {
        rule: 'default',
        unmatchedSkills: [],
        text: `${text}: default ${describeTarget(defaultTarget)}`,
      },
    }),
    decide(options) {
      if (options.team !== undefined && options.team.trim() !== '') {
        const target = resolveTeam(options.team.trim());
        return {
          action: 'transfer',
          target,
          reason: {
            rule: 'explicit',
            requested: options.team,
            text: `the bot asked for ${describeTarget(target)}`,
          },
        };
      }
      const skills = options.unfinishedSkills ?? [];
      for (const skill of skills) {
        const found = matchSkill(skill);
        if (found === null) continue;
        return {
          action: 'transfer',
          target: found.target,
          reason: {
            rule: 'skill',
            skill,
            entry: found.entry,
            entryIndex: found.entryIndex,
            match: found.match,
            text: `unfinished skill ${skill} matched ${found.match === 'exact' ? 'skill' : 'wildcard'} ${found.entry} (teams[${found.entryIndex}]): ${describeTarget(found.target)}`,
          },
        };
      }
      if (skills.length === 0 && configuration.askWhenNoSkill && topics.length > 0) {
        return { action: 'ask', topics, reason: askReason };
      }
      return {
        action: 'transfer',
        target: defaultTarget,
        reason: {
          rule: 'default',
          unmatchedSkills: skills,
          text:
            skills.length === 0
              ? `no unfinished skill: default ${describeTarget(defaultTarget)}`
              : `no routing entry matches the unfinished skills ${skills.join(', ')}: default ${describeTarget(defaultTarget)}`,
        },
      };
    },
    resolveTopic(answer) {
      const trimmed = answer.trim();
      if (trimmed === '') return undefined;
      const index = /^\d{1,3}$/.test(trimmed) ? Number(trimmed) - 1 : -1;
      const topic =
        topics[index] ?? topics.find((candidate) => candidate.label.toLowerCase() === trimmed.toLowerCase());
      if (topic === undefined) return undefined;
      return {
        action: 'transfer',
        target: topic,
        reason: { rule: 'topic', answer: trimmed, text: `the user chose the topic ${topic.label}` },
      };
    },
  };
}
