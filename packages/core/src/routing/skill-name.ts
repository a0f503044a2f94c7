// Skill names (`Organization.Project.Skill`) and the patterns that match them.

const segmentPattern = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** Smallest number of dot-separated segments of a skill: `Organization.Project.Skill`. */
const minimumSkillSegments = 3;
/** Smallest number of segments before `.*` in a wildcard entry: `Organization.Project.*`. */
const minimumWildcardSegments = 2;

export type SkillPattern =
  | { kind: 'exact'; text: string; normalized: string }
  | { kind: 'wildcard'; text: string; normalized: string; prefix: string };

function segmentsValid(segments: readonly string[]): boolean {
  return segments.every((segment) => segmentPattern.test(segment));
}

/** True when `name` is a well-formed skill name such as `me.test.supportDemo.TestSkill`. */
export function isSkillName(name: string): boolean {
  const segments = name.split('.');
  return segments.length >= minimumSkillSegments && segmentsValid(segments);
}

/**
 * Parses a routing entry: an exact skill (`me.test.supportDemo.TestSkill`) or a whole project
 * (`me.test.supportDemo.*`). Returns an explanation instead of a pattern when it is malformed.
 */
export function parseSkillPattern(text: string): SkillPattern | { error: string } {
  const segments = text.split('.');
  if (segments.at(-1) === '*') {
    const prefixSegments = segments.slice(0, -1);
    if (prefixSegments.length < minimumWildcardSegments || !segmentsValid(prefixSegments)) {
      return {
        error: `malformed skill pattern "${text}" (expected Organization.Project.* with at least ${minimumWildcardSegments} segments before ".*")`,
      };
    }
    const prefix = prefixSegments.join('.').toLowerCase();
    return { kind: 'wildcard', text, normalized: `${prefix}.*`, prefix };
  }
  if (!isSkillName(text)) {
    return {
      error: `malformed skill name "${text}" (expected Organization.Project.Skill, for example me.test.supportDemo.TestSkill)`,
    };
  }
  return { kind: 'exact', text, normalized: text.toLowerCase() };
}
