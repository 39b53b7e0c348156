/**
 * Housekeeping on a schedule: the retention prune (jobs/retention.ts). The timer only enqueues; the
 * job's dedupe key means several processes on one database prune once, not once each.
 */
import type { Logger } from 'pino';
import { z } from 'zod';
import type { RetentionPolicy } from '../retention';
import type { Db } from '../../db/client';
import { defineJob } from '../define';
import type { JobQueue } from '../queue';
import { pruneExpired } from '../retention';

export const pruneIntervalMs = 60 * 60_000;

export function pruneJob(deps: { db: Db; policy: RetentionPolicy; now: () => number }) {
  return defineJob({
    name: 'maintenance.prune',
    payload: z.object({}),
    key: () => 'maintenance:prune',
    portalId: () => '',
    maxAttempts: 3,
    async run(_p, ctx) {
      const result = await pruneExpired(deps.db, deps.policy, deps.now());
      ctx.log.info({ ...result }, 'retention prune done');
    },
  });
}

/** Enqueues the prune at start and then every `intervalMs`. */
export function schedulePrune(
  queue: JobQueue,
  job: ReturnType<typeof pruneJob>,
  log: Logger,
  onEnqueued: () => void,
  intervalMs = pruneIntervalMs,
): { stop(): void } {
  return every(intervalMs, log, 'retention prune', async () => {
    await queue.enqueue(job, {});
    onEnqueued();
  });
}

/**
 * Runs `tick` now and then every `intervalMs`; a failing tick (thrown or rejected) is logged and the
 * next one comes anyway.
 */
export function every(intervalMs: number, log: Logger, what: string, tick: () => void | Promise<void>): { stop(): void } {
  const failed = (error: unknown) => log.error({ err: error, what }, 'scheduled tick failed');
  const safeTick = () => {
    try {
      // Not awaited: ticks are independent; a rejected one is only logged.
      void Promise.resolve(tick()).catch(failed);
    } catch (error) {
      failed(error);
    }
  };
  safeTick();
  const timer = setInterval(safeTick, intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
