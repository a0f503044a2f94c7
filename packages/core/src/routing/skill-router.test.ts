import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../errors/configuration-error.js';
import type { RoutingPriorityInput } from './routing-priority.js';
import { createSkillRouter } from './skill-router.js';

const shop: RoutingPriorityInput = {
  defaultTeam: { team: '1', label: 'General' },
  teams: [
    { team: '2', label: 'Billing', skills: ['me.test.shop.Refund', 'me.test.payments.*'] },
    { team: '3', label: 'Orders', skills: ['me.test.shop.OrderStatus', 'me.test.shop.*'] },
    { team: '4', label: 'Accounts', skills: ['me.test.account.PasswordReset'] },
  ],
};

describe('createSkillRouter: decisions', () => {
  const router = createSkillRouter(shop);

  const cases: Array<{
    name: string;
    team?: string;
    skills: string[];
    expected: { team: string; rule: string; entry?: string; skill?: string };
  }> = [
    {
      name: 'rule 1: an explicit team wins over matching skills',
      team: '4',
      skills: ['me.test.shop.Refund'],
      expected: { team: '4', rule: 'explicit' },
    },
    {
      name: 'rule 1: an explicit team can be named by its label, in any case',
      team: 'billing',
      skills: [],
      expected: { team: '2', rule: 'explicit' },
    },
    {
      name: 'rule 1: an unknown explicit team is used as a support-side id',
      team: '99',
      skills: [],
      expected: { team: '99', rule: 'explicit' },
    },
    {
      name: 'rule 2: an exact skill entry picks its team',
      skills: ['me.test.account.PasswordReset'],
      expected: { team: '4', rule: 'skill', entry: 'me.test.account.PasswordReset' },
    },
    {
      name: 'rule 2: the innermost unfinished skill decides when several match',
      skills: ['me.test.account.PasswordReset', 'me.test.shop.Refund'],
      expected: { team: '4', rule: 'skill', skill: 'me.test.account.PasswordReset' },
    },
    {
      name: 'rule 2: an unmatched innermost skill falls through to the next one',
      skills: ['me.test.unknown.Thing', 'me.test.shop.Refund'],
      expected: { team: '2', rule: 'skill', skill: 'me.test.shop.Refund' },
    },
    {
      name: 'rule 2: a wildcard entry covers a whole project',
      skills: ['me.test.payments.CardDeclined'],
      expected: { team: '2', rule: 'skill', entry: 'me.test.payments.*' },
    },
    {
      name: 'rule 2: an exact entry beats a wildcard entry listed earlier',
      skills: ['me.test.shop.Refund'],
      expected: { team: '2', rule: 'skill', entry: 'me.test.shop.Refund' },
    },
    {
      name: 'rule 2: a skill only a wildcard covers goes to the wildcard team',
      skills: ['me.test.shop.Cancel'],
      expected: { team: '3', rule: 'skill', entry: 'me.test.shop.*' },
    },
    {
      name: 'rule 2: matching ignores case',
      skills: ['ME.TEST.SHOP.REFUND'],
      expected: { team: '2', rule: 'skill', entry: 'me.test.shop.Refund' },
    },
    {
      name: 'rule 2: a wildcard matches whole segments only',
      skills: ['me.test.shopping.Cart'],
      expected: { team: '1', rule: 'default' },
    },
    {
      name: 'rule 2: an exact entry does not match a longer skill name',
      skills: ['me.test.account.PasswordResetV2'],
      expected: { team: '1', rule: 'default' },
    },
    {
      name: 'rule 4: no matching entry gives the default team',
      skills: ['org.other.project.Skill'],
      expected: { team: '1', rule: 'default' },
    },
    {
      name: 'rule 4: no unfinished skill and asking off gives the default team',
      skills: [],
      expected: { team: '1', rule: 'default' },
    },
  ];

  for (const testCase of cases) {
    it(testCase.name, () => {
      const decision = router.decide({
        unfinishedSkills: testCase.skills,
        ...(testCase.team === undefined ? {} : { team: testCase.team }),
      });
      expect(decision.action).toBe('transfer');
      if (decision.action !== 'transfer') return;
      expect(decision.target.team).toBe(testCase.expected.team);
      expect(decision.reason.rule).toBe(testCase.expected.rule);
      if (testCase.expected.entry !== undefined && decision.reason.rule === 'skill') {
        expect(decision.reason.entry).toBe(testCase.expected.entry);
      }
      if (testCase.expected.skill !== undefined && decision.reason.rule === 'skill') {
        expect(decision.reason.skill).toBe(testCase.expected.skill);
      }
      expect(decision.reason.text.length).toBeGreaterThan(10);
    });
  }

  it('explains a skill decision with the skill, the entry and the team', () => {
    const decision = router.decide({ unfinishedSkills: ['me.test.payments.Chargeback'] });
    expect(decision.reason.text).toBe(
      'unfinished skill me.test.payments.Chargeback matched wildcard me.test.payments.* (teams[0]): Billing (team 2)',
    );
  });

  it('explains a default decision with the skills that matched nothing', () => {
    const decision = router.decide({ unfinishedSkills: ['a.b.C', 'a.b.D'] });
    expect(decision.reason).toMatchObject({ rule: 'default', unmatchedSkills: ['a.b.C', 'a.b.D'] });
    expect(decision.reason.text).toContain('a.b.C, a.b.D');
  });
});

describe('createSkillRouter: list order among wildcards', () => {
  it('the first wildcard in list order wins, whatever its length', () => {
    const broadFirst = createSkillRouter({
      defaultTeam: '1',
      teams: [
        { team: '2', skills: ['me.test.*'] },
        { team: '3', skills: ['me.test.shop.*'] },
      ],
    });
    const narrowFirst = createSkillRouter({
      defaultTeam: '1',
      teams: [
        { team: '3', skills: ['me.test.shop.*'] },
        { team: '2', skills: ['me.test.*'] },
      ],
    });
    const decide = (router: ReturnType<typeof createSkillRouter>) =>
      router.decide({ unfinishedSkills: ['me.test.shop.Refund'] });
    expect(decide(broadFirst)).toMatchObject({ target: { team: '2' } });
    expect(decide(narrowFirst)).toMatchObject({ target: { team: '3' } });
  });
});

describe('createSkillRouter: asking for a topic (rule 3)', () => {
  const router = createSkillRouter({ ...shop, askWhenNoSkill: true });

  it('asks when there is no unfinished skill and asking is on', () => {
    const decision = router.decide({ unfinishedSkills: [] });
    expect(decision.action).toBe('ask');
    if (decision.action !== 'ask') return;
    expect(decision.topics.map((topic) => topic.label)).toEqual(['Billing', 'Orders', 'Accounts', 'General']);
    expect(decision.reason.rule).toBe('ask');
  });

  it('does not ask when unfinished skills exist but none matches: default team', () => {
    const decision = router.decide({ unfinishedSkills: ['x.y.Z'] });
    expect(decision).toMatchObject({
      action: 'transfer',
      target: { team: '1' },
      reason: { rule: 'default' },
    });
  });

  it('an explicit team still wins over asking', () => {
    expect(router.decide({ team: '3' })).toMatchObject({ action: 'transfer', target: { team: '3' } });
  });

  it('resolves an answer by label, in any case, or by number', () => {
    expect(router.resolveTopic('  orders ')).toMatchObject({
      target: { team: '3' },
      reason: { rule: 'topic', answer: 'orders' },
    });
    expect(router.resolveTopic('1')).toMatchObject({ target: { team: '2' } });
    expect(router.resolveTopic('4')).toMatchObject({ target: { team: '1' } });
  });

  it('returns nothing for an answer that names no topic', () => {
    expect(router.resolveTopic('I want pizza')).toBeUndefined();
    expect(router.resolveTopic('0')).toBeUndefined();
    expect(router.resolveTopic('5')).toBeUndefined();
    expect(router.resolveTopic('')).toBeUndefined();
  });

  it('does not ask when no team has a label to offer', () => {
    const unlabelled = createSkillRouter({
      defaultTeam: '1',
      teams: [{ team: '2', skills: [] }],
      askWhenNoSkill: true,
    });
    expect(unlabelled.decide({})).toMatchObject({ action: 'transfer', target: { team: '1' } });
  });
});

describe('createSkillRouter: configuration errors name the entry', () => {
  const errorOf = (input: unknown): ConfigurationError => {
    try {
      createSkillRouter(input as RoutingPriorityInput);
    } catch (error) {
      if (ConfigurationError.isInstance(error)) return error;
      throw error;
    }
    throw new Error('expected a ConfigurationError');
  };

  const cases: Array<{ name: string; input: unknown; path: string; message: RegExp }> = [
    {
      name: 'no default team',
      input: { teams: [{ team: '2', skills: ['a.b.C'] }] },
      path: 'defaultTeam',
      message: /no default team/,
    },
    {
      name: 'a skill name with two segments',
      input: { defaultTeam: '1', teams: [{ team: '2', skills: ['a.b.C', 'billing.Refund'] }] },
      path: 'teams[0].skills[1]',
      message: /malformed skill name "billing.Refund"/,
    },
    {
      name: 'a skill name with an empty segment',
      input: { defaultTeam: '1', teams: [{ team: '2', skills: ['a..C'] }] },
      path: 'teams[0].skills[0]',
      message: /malformed skill name/,
    },
    {
      name: 'a skill name with spaces',
      input: { defaultTeam: '1', teams: [{ team: '2', skills: ['me.test.Password Reset'] }] },
      path: 'teams[0].skills[0]',
      message: /malformed skill name/,
    },
    {
      name: 'a wildcard over a whole organisation only',
      input: { defaultTeam: '1', teams: [{ team: '2', skills: ['me.*'] }] },
      path: 'teams[0].skills[0]',
      message: /malformed skill pattern "me\.\*"/,
    },
    {
      name: 'one skill bound to two teams',
      input: {
        defaultTeam: '1',
        teams: [
          { team: '2', skills: ['me.test.shop.Refund'] },
          { team: '3', skills: ['me.test.shop.refund'] },
        ],
      },
      path: 'teams[1].skills[0]',
      message: /bound to two teams: team 2 \(teams\[0\]\.skills\[0\]\) and team 3/,
    },
    {
      name: 'one wildcard bound to two teams',
      input: {
        defaultTeam: '1',
        teams: [
          { team: '2', skills: ['me.test.*'] },
          { team: '3', skills: ['me.test.*'] },
        ],
      },
      path: 'teams[1].skills[0]',
      message: /bound to two teams/,
    },
    {
      name: 'one label for two teams',
      input: {
        defaultTeam: '1',
        teams: [
          { team: '2', label: 'Billing', skills: [] },
          { team: '3', label: 'billing', skills: [] },
        ],
      },
      path: 'teams[1].label',
      message: /already used by team 2/,
    },
  ];

  for (const testCase of cases) {
    it(`reports ${testCase.name}`, () => {
      const error = errorOf(testCase.input);
      const paths = error.issues.map((issue) => issue.path.map(String).join('/'));
      expect(error.message).toContain(testCase.path);
      expect(error.message).toMatch(testCase.message);
      expect(paths.length).toBeGreaterThan(0);
    });
  }

  it('reports every problem at once', () => {
    const error = errorOf({
      defaultTeam: '1',
      teams: [{ team: '2', skills: ['bad', 'also.bad'] }],
    });
    expect(error.issues).toHaveLength(2);
    expect(error.message).toContain('teams[0].skills[0]');
    expect(error.message).toContain('teams[0].skills[1]');
  });

  it('accepts the same skill twice for the same team', () => {
    expect(() =>
      createSkillRouter({ defaultTeam: '1', teams: [{ team: '2', skills: ['a.b.C', 'A.B.c'] }] }),
    ).not.toThrow();
  });

  it('accepts numeric team ids as Chatwoot shows them', () => {
    const router = createSkillRouter({ defaultTeam: 7, teams: [{ team: 8, skills: ['a.b.C'] }] });
    expect(router.decide({ unfinishedSkills: ['a.b.C'] })).toMatchObject({ target: { team: '8' } });
    expect(router.decide({})).toMatchObject({ target: { team: '7' } });
  });
});
