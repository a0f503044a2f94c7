import type { FakeAdmin, FakeTeam } from './fake-records.js';

/** The admins of the seeded workspace. Admin ids are numeric strings, as in Intercom's JSON. */
export const seedAdminIds = { bot: '991267459', anna: '991267460', omar: '991267461' } as const;

const seedTeamIds = { support: '5017691', billing: '5017692', orders: '5017693' } as const;

/** The workspace (`app`) the token belongs to. */
export const seedApp = {
  idCode: 'fk7q2w3e',
  name: 'Acme',
  createdAt: new Date('2024-12-18T15:54:03Z'),
  /** Search compares dates by calendar day in this zone; the fake keeps it UTC. */
  timezone: 'Etc/UTC',
  region: 'US',
} as const;

/**
 * The `app_package_code` of parts created through the API by the adapter (facts §7: "The app
 * package code if this part was created via API"). Parts the harness makes as a human in
 * Intercom's UI carry null.
 */
export const seedAppPackageCode = 'handoff-test-app';

export function seedAdmins(): FakeAdmin[] {
  const admin = (id: string, name: string, email: string, away: boolean): FakeAdmin => ({
    id,
    name,
    email,
    jobTitle: null,
    awayModeEnabled: away,
    awayModeReassign: false,
    awayStatusReasonId: null,
  });
  return [
    admin(seedAdminIds.bot, 'Handoff bot', 'handoff-bot@acme.test', false),
    admin(seedAdminIds.anna, 'Anna', 'anna@acme.test', false),
    admin(seedAdminIds.omar, 'Omar', 'omar@acme.test', true),
  ];
}

export function seedTeams(): FakeTeam[] {
  return [
    { id: seedTeamIds.support, name: 'Support', adminIds: [seedAdminIds.anna] },
    { id: seedTeamIds.billing, name: 'Billing', adminIds: [seedAdminIds.anna] },
    { id: seedTeamIds.orders, name: 'Orders', adminIds: [seedAdminIds.omar] },
  ];
}
