/** When a portal's next customer poll is due (pure; the poller in jobs/definitions/sync-module.ts asks). */

/** Poll interval where contact events arrive by webhook. */
export const safetyNetPollMs = 60 * 60_000;

/** The poll interval in ms: the configured one, or at least the safety-net hour where the vendor pushes contact events. */
export function pollIntervalFor(configuredMinutes: number, customerEvents: boolean): number {
  const configured = configuredMinutes * 60_000;
  return customerEvents ? Math.max(configured, safetyNetPollMs) : configured;
}

/**
 * `lastPollAt` is the poll job's own start, a little after the tick that enqueued it: compared
 * exactly, the tick one interval later finds the poll not yet due and it waits a whole extra tick
 * (a 1-minute setting polled every 2 minutes). Half a tick of tolerance makes the tick nearest to
 * the due time poll, so the interval is what the setting says.
 */
export function isPollDue(lastPollAt: number | undefined, intervalMs: number, tickMs: number, now: number): boolean {
  return lastPollAt === undefined || lastPollAt + intervalMs - tickMs / 2 <= now;
}
