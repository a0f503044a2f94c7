// Whether anyone of a team can answer now: configured business hours, then the support system.

import type { SupportAdapter, TeamAvailability } from '../contract/support-adapter.js';
import { isSupportError } from '../errors/support-error.js';
import { type BusinessHours, teamIsOpen } from './business-hours.js';
import type { EngineTelemetryEvent } from './engine-types.js';

export interface TeamAvailabilityCheckSettings {
  support: Pick<SupportAdapter, 'capabilities' | 'teamAvailability'>;
  /** False: every team is taken as available, nothing is checked. */
  checkAvailability: boolean;
  businessHours: BusinessHours | undefined;
  now: () => Date;
  telemetry: (event: EngineTelemetryEvent) => void;
}

/**
 * Whether anyone of `team` can answer now. `whileAsking` runs when (and only when) the support
 * system is about to be asked: work that may overlap the question's round trip.
 */
export type TeamAvailabilityCheck = (
  team: string,
  signal: AbortSignal | undefined,
  whileAsking?: () => void,
) => Promise<TeamAvailability>;

/**
 * Configured business hours come first (an operator's explicit word, and no call needed when
 * closed); then the support system, where its API tells (capability `availability`: agents online,
 * its own working hours). When neither can tell, or the question fails, the team is taken as
 * available: the check never blocks a handoff.
 */
export function createTeamAvailabilityCheck(settings: TeamAvailabilityCheckSettings): TeamAvailabilityCheck {
  const { support, businessHours, now } = settings;
  return async (team, signal, whileAsking) => {
    if (!settings.checkAvailability) return { available: true };
    if (businessHours !== undefined && !teamIsOpen(businessHours, team, now())) {
      return { available: false, reason: 'outside_hours' };
    }
    const ask = support.teamAvailability?.bind(support);
    if (ask === undefined || !support.capabilities.availability) return { available: true };
    whileAsking?.();
    try {
      return await ask({ team, ...(signal === undefined ? {} : { signal }) });
    } catch (error) {
      settings.telemetry({
        type: 'availability.failed',
        team,
        error: isSupportError(error) ? error.code : error instanceof Error ? error.name : 'error',
      });
      return { available: true };
    }
  };
}
