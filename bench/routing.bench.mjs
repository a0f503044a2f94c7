// Routing decisions per second with 10,000 skill entries and 5-deep unfinished skill stacks.
import { createSkillRouter } from '../packages/core/dist/index.js';
import { formatNumber, report } from './lib/bench-kit.mjs';

const entries = 10_000;
const teams = [];
for (let team = 0; team < 100; team += 1) {
  const skills = [];
  for (let skill = 0; skill < entries / 100; skill += 1) {
    skills.push(
      skill % 10 === 0 ? `org${team}.project${skill}.*` : `org${team}.project${skill}.Skill${skill}`,
    );
  }
  teams.push({ team: String(team + 2), skills });
}
const router = createSkillRouter({ defaultTeam: '1', teams });

// Stacks where the match is found at depth 1..5 or not at all (the worst case: 5 misses).
const stacks = [];
for (let index = 0; index < 1_000; index += 1) {
  const depth = index % 6;
  const stack = [];
  for (let level = 0; level < 5; level += 1) {
    const team = (index * 7 + level) % 100;
    const skill = (index * 13 + level) % 100;
    stack.push(
      level === depth ? `org${team}.project${skill}.Skill${skill}` : `other${index}.miss${level}.Skill`,
    );
  }
  stacks.push(stack);
}

const run = (decisions) => {
  const started = process.hrtime.bigint();
  let sink = 0;
  for (let index = 0; index < decisions; index += 1) {
    const decision = router.decide({ unfinishedSkills: stacks[index % stacks.length] });
    sink += decision.action.length;
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { perSecond: decisions / seconds, sink };
};

run(200_000); // warm-up
const samples = [1, 2, 3, 4, 5].map(() => run(1_000_000).perSecond).sort((a, b) => a - b);
const median = samples[2];
console.log(
  `routing decisions per second (median of 5 runs of 1,000,000; 10,000 entries, 5-deep stacks): ${formatNumber(median)}`,
);
const target = {
  name: 'at least 1,000,000 routing decisions per second',
  met: median >= 1_000_000,
  figure: Math.round(median),
};
console.log(`target ${target.met ? 'met    ' : 'NOT met'} ${target.name}: ${formatNumber(median)}/s`);
console.log('(absolute figure: this machine only)');
report('routing', {
  kind: 'absolute',
  entries,
  stackDepth: 5,
  decisionsPerSecond: Math.round(median),
  targets: [target],
});
