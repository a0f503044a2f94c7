import { checkEqual } from '../check.js';
import { type ContractPoint, contractPoint } from '../contract-point.js';

export const listTeamsPoints: ContractPoint[] = [
  contractPoint({
    id: 'list-teams/all',
    suite: 'list teams',
    title: 'lists the teams the system has, with their names',
    async run({ adapter, harness }) {
      const expected = (await harness.teams()).map((team) => ({ id: team.id, name: team.name }));
      const listed = (await adapter.listTeams()).map((team) => ({ id: team.id, name: team.name }));
      const byId = (left: { id: string }, right: { id: string }) => left.id.localeCompare(right.id);
      checkEqual(listed.sort(byId), expected.sort(byId), 'the teams');
    },
  }),
];
