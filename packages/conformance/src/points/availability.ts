import { check, checkEqual, expectSupportError } from '../check.js';
import { type ContractPoint, contractPoint } from '../contract-point.js';
import { unknownTeamId } from '../point-helpers.js';

const suite = 'availability';

const skipUnlessAvailability: ContractPoint['skipUnless'] = ({ capabilities, harness }) => {
  if (!capabilities.availability) return 'the adapter declares availability: false';
  if (harness.setTeamAvailability === undefined) return 'the harness cannot make agents (un)available';
  return undefined;
};

/** The team the points play with, made available again afterwards so later points see it online. */
async function withTeam(
  context: Parameters<ContractPoint['run']>[0],
  run: (team: string, setAvailable: (available: boolean) => Promise<void>) => Promise<void>,
) {
  const team = (await context.harness.teams())[0];
  check(team !== undefined, 'the harness backend has no team');
  const setAvailable = async (available: boolean) =>
    context.harness.setTeamAvailability?.(team.id, available);
  try {
    await run(team.id, setAvailable);
  } finally {
    await setAvailable(true);
  }
}

export const availabilityPoints: ContractPoint[] = [
  contractPoint({
    id: 'availability/online',
    suite,
    title: 'a team with an agent online is available',
    skipUnless: skipUnlessAvailability,
    async run(context) {
      await withTeam(context, async (team, setAvailable) => {
        await setAvailable(true);
        const answer = await context.adapter.teamAvailability?.({ team });
        checkEqual(answer?.available, true, 'available');
      });
    },
  }),
  contractPoint({
    id: 'availability/offline',
    suite,
    title: 'a team with nobody online is unavailable, and says why',
    skipUnless: skipUnlessAvailability,
    async run(context) {
      await withTeam(context, async (team, setAvailable) => {
        await setAvailable(false);
        const answer = await context.adapter.teamAvailability?.({ team });
        checkEqual(answer?.available, false, 'available');
        check(
          answer?.reason === 'no_agents' || answer?.reason === 'outside_hours',
          `the reason must be no_agents or outside_hours, got ${String(answer?.reason)}`,
        );
      });
    },
  }),
  contractPoint({
    id: 'availability/unknown-team',
    suite,
    title: 'asking about a team the system does not have is an error',
    skipUnless: skipUnlessAvailability,
    async run(context) {
      const unknown = await unknownTeamId(context);
      await expectSupportError(
        context.adapter.teamAvailability?.({ team: unknown }) ?? Promise.resolve(),
        ['not_found', 'invalid_request'],
        `availability of team ${unknown}`,
      );
    },
  }),
];
