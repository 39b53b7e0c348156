/**
 * The retention policy applied: finished jobs, received webhook events and old invoice-history
 * entries are deleted once older than the configured age (config.ts RETAIN_*). Deletes go in
 * small batches so the write lock is never held for long while webhooks keep arriving. What the
 * product needs to stay exactly-once is never touched: live jobs, events whose job is not made yet, and the
 * invoice record itself.
 */
import { and, eq, inArray, isNotNull, lt, ne, or, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { dealInvoices, jobs, webhookEvents } from '../db/schema';

/** How long finished work is kept, in ms (config.ts, the RETAIN_* variables). */
export interface RetentionPolicy {
  succeededJobsMs: number;
  deadJobsMs: number;
  webhookEventsMs: number;
  invoiceHistoryMs: number;
}

export interface PruneResult {
  jobs: number;
  webhookEvents: number;
  invoiceHistoryEntries: number;
}

const defaultBatchSize = 2_000;

export async function pruneExpired(db: Db, policy: RetentionPolicy, now: number, batchSize = defaultBatchSize): Promise<PruneResult> {
  const finishedBefore = (state: 'succeeded' | 'dead', cutoff: number) =>
    and(eq(jobs.state, state), lt(sql`coalesce(${jobs.finishedAt}, ${jobs.updatedAt})`, cutoff));
  const deleteJobs = (state: 'succeeded' | 'dead', cutoff: number) =>
    deleteInBatches(batchSize, (limit) =>
      db
        .delete(jobs)
        .where(inArray(jobs.id, db.select({ id: jobs.id }).from(jobs).where(finishedBefore(state, cutoff)).limit(limit)))
        .returning({ id: jobs.id }),
    );
  const jobCount = (await deleteJobs('succeeded', now - policy.succeededJobsMs)) + (await deleteJobs('dead', now - policy.deadJobsMs));
  const eventCount = await deleteInBatches(batchSize, (limit) =>
    db
      .delete(webhookEvents)
      .where(
        inArray(
          webhookEvents.id,
          db
            .select({ id: webhookEvents.id })
            .from(webhookEvents)
            // An event still waiting for its routing job (worker stopped for longer than the retention) is kept.
            .where(and(lt(webhookEvents.receivedAt, now - policy.webhookEventsMs), or(ne(webhookEvents.status, 'queued'), isNotNull(webhookEvents.jobId))))
            .limit(limit),
        ),
      )
      .returning({ id: webhookEvents.id }),
  );
  return { jobs: jobCount, webhookEvents: eventCount, invoiceHistoryEntries: await pruneInvoiceHistory(db, now - policy.invoiceHistoryMs) };
}

/** Runs `deleteBatch` until a batch deletes fewer than `batchSize` rows; the total deleted. */
async function deleteInBatches(batchSize: number, deleteBatch: (limit: number) => Promise<unknown[]>): Promise<number> {
  let total = 0;
  for (;;) {
    const deleted = (await deleteBatch(batchSize)).length;
    total += deleted;
    if (deleted < batchSize) return total;
  }
}

/** Drops history entries older than `cutoff`; the newest entry stays, so every record still says how it got there. */
async function pruneInvoiceHistory(db: Db, cutoff: number): Promise<number> {
  // Entries are appended in time order: the first one is the oldest.
  const hasOldEntries =
    db.dialect === 'postgres'
      ? sql`jsonb_array_length(${dealInvoices.history}) > 1 and (${dealInvoices.history} -> 0 ->> 'at')::bigint < ${cutoff}`
      : sql`json_array_length(${dealInvoices.history}) > 1 and json_extract(${dealInvoices.history}, '$[0].at') < ${cutoff}`;
  const rows = await db
    .select({
      portalId: dealInvoices.portalId,
      dealId: dealInvoices.dealId,
      history: dealInvoices.history,
      // As stored (the engine's own text of the JSON), for the compare-and-set below.
      stored: sql<string>`${dealInvoices.history}`,
    })
    .from(dealInvoices)
    .where(hasOldEntries);
  let removed = 0;
  for (const row of rows) {
    const history = row.history;
    const kept = history.filter((entry, index) => entry.at >= cutoff || index === history.length - 1);
    // Compare-and-set: a concurrent status change wins, the next prune catches up.
    const updated = await db
      .update(dealInvoices)
      .set({ history: kept })
      .where(and(eq(dealInvoices.portalId, row.portalId), eq(dealInvoices.dealId, row.dealId), sql`${dealInvoices.history} = ${row.stored}`))
      .returning({ dealId: dealInvoices.dealId });
    if (updated.length === 1) removed += history.length - kept.length;
  }
  return removed;
}
