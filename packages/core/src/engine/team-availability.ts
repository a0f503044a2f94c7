import type { TeamAvailability } from '../contract/support-adapter.js';
import { isSupportError } from '../errors/support-error.js';
import { teamIsOpen } from './business-hours.js';
import type { EngineContext } from './engine-context.js';

/**
 * Whether anyone of `team` can answer now. Configured business hours come first (an operator's
 * explicit word, and no call needed when closed); then the support system, where its API tells
 * (capability `availability`: agents online, its own working hours). When neither can tell, or
 * the question fails, the team is taken as available: the check never blocks a handoff.
 */
export async function teamAvailability(
  context: EngineContext,
  team: string,
  signal: AbortSignal | undefined,
): Promise<TeamAvailability> {
  if (!context.checkAvailability) return { available: true };
  if (context.businessHours !== undefined && !teamIsOpen(context.businessHours, team, context.now())) {
    return { available: false, reason: 'outside_hours' };
  }
  const ask = context.support.teamAvailability?.bind(context.support);
  if (ask === undefined || !context.support.capabilities.availability) return { available: true };
  try {
    return await ask({ team, ...(signal === undefined ? {} : { signal }) });
  } catch (error) {
    context.telemetry({
      type: 'availability.failed',
      team,
      error: isSupportError(error) ? error.code : error instanceof Error ? error.name : 'error',
    });
    return { available: true };
  }
}
