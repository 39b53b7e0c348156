/**
 * The poller's schedule on a fake clock (issue 19): a poll set to N minutes runs every N minutes,
 * although the poll job starts (and records `lastPollAt`) a few seconds after the tick that enqueued it.
 */
import { describe, expect, it } from 'vitest';
import { ensurePortal } from '../../src/billing/subscriptions';
import { accountingConnections, syncPortalState } from '../../src/db/schema';
import { silentLogger } from '../../src/logger';
import { KeyedLock } from '../../src/lib/keyed-lock';
import type { JobQueue } from '../../src/jobs/queue';
import { PortalSettingsStore } from '../../src/settings/portal-settings';
import { createSyncModule } from '../../src/jobs/definitions/sync-module';
import { FakeClock, makeTestDb } from '../helpers/db';

const tickMs = 60_000;

/** Ticks the poller for `minutes` and answers the minutes (since the start) at which a poll began. */
async function pollStarts(intervalMinutes: number, minutes: number, jobStartDelayMs: number): Promise<number[]> {
  const clock = new FakeClock();
  const db = await makeTestDb();
  try {
    const portalId = '4711';
    await ensurePortal(db, portalId, clock.now());
    await db
      .insert(accountingConnections)
      .values({ portalId, provider: 'lexoffice', credentialsSealed: 'x', connectedAt: clock.now(), updatedAt: clock.now() });
    const settings = new PortalSettingsStore(db, clock.now);
    await settings.save(portalId, await settings.prepare(portalId, { sync: { pollIntervalMinutes: intervalMinutes } }));
    const enqueued: number[] = [];
    const queue = { enqueue: async () => (enqueued.push(clock.now()), { id: enqueued.length, deduplicated: false }) } as unknown as JobQueue;
    const sync = createSyncModule({
      db,
      queue,
      log: silentLogger(),
      hubspot: {} as never,
      // No vendor events for this portal: the configured interval applies (sync/poll-schedule.ts `pollIntervalFor`).
      connections: { providerFor: async () => undefined } as never,
      settings,
      subscriptions: { features: async () => ({ sync: true }) } as never,
      now: clock.now,
      pollTickMs: tickMs,
      customerLock: new KeyedLock(),
    });
    const origin = clock.now();
    const starts: number[] = [];
    for (let tick = 0; tick <= minutes; tick++) {
      clock.current = origin + tick * tickMs;
      if ((await sync.pollDuePortals()) === 0) continue;
      // The worker picks the job up a little later; the poll records its own start (poll.ts).
      const startedAt = clock.now() + jobStartDelayMs;
      starts.push((startedAt - origin) / tickMs);
      await db
        .insert(syncPortalState)
        .values({ portalId, lastPollAt: startedAt, cursorMs: startedAt, updatedAt: startedAt })
        .onConflictDoUpdate({ target: syncPortalState.portalId, set: { lastPollAt: startedAt } });
    }
    return starts.map((m) => Math.round(m * 100) / 100);
  } finally {
    await db.close();
  }
}

describe('sync poll schedule', () => {
  it('polls every minute when the setting says 1 minute, though each poll starts seconds after its tick', async () => {
    expect(await pollStarts(1, 10, 2_500)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((m) => m + 2_500 / tickMs).map((m) => Math.round(m * 100) / 100));
  });

  it('polls every 5 minutes when the setting says 5, and every 15 when it says 15', async () => {
    expect((await pollStarts(5, 20, 4_000)).map(Math.floor)).toEqual([0, 5, 10, 15, 20]);
    expect((await pollStarts(15, 45, 100)).map(Math.floor)).toEqual([0, 15, 30, 45]);
  });

  it('does not poll twice in one interval when the job starts right on its tick', async () => {
    expect(await pollStarts(2, 10, 0)).toEqual([0, 2, 4, 6, 8, 10]);
  });
});
