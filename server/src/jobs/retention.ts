/**
 * The retention policy applied: finished jobs, received webhook events and old invoice-history
 * entries are deleted once older than the configured age (config.ts RETAIN_*). Deletes go in
 * small batches so the write lock is never held for long while webhooks keep arriving. What the
 * product needs to stay exactly-once is never touched: live jobs, and the invoice record itself.
 */
import type { Db } from '../db/client';

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

export function pruneExpired(db: Db, policy: RetentionPolicy, now: number, batchSize = defaultBatchSize): PruneResult {
  const client = db.$client;
  const deleteInBatches = (sql: string, ...params: number[]): number => {
    const statement = client.prepare(sql);
    let total = 0;
    for (;;) {
      const { changes } = statement.run(...params, batchSize);
      total += changes;
      if (changes < batchSize) return total;
    }
  };
  const jobs =
    deleteInBatches(
      `delete from jobs where id in (select id from jobs where state = 'succeeded' and coalesce(finished_at, updated_at) < ? limit ?)`,
      now - policy.succeededJobsMs,
    ) +
    deleteInBatches(
      `delete from jobs where id in (select id from jobs where state = 'dead' and coalesce(finished_at, updated_at) < ? limit ?)`,
      now - policy.deadJobsMs,
    );
  const webhookEvents = deleteInBatches(
    `delete from webhook_events where id in (select id from webhook_events where received_at < ? limit ?)`,
    now - policy.webhookEventsMs,
  );
  return { jobs, webhookEvents, invoiceHistoryEntries: pruneInvoiceHistory(db, now - policy.invoiceHistoryMs) };
}

/** Drops history entries older than `cutoff`; the newest entry stays, so every record still says how it got there. */
function pruneInvoiceHistory(db: Db, cutoff: number): number {
  const client = db.$client;
  // Entries are appended in time order: the first one is the oldest.
  const rows = client
    .prepare(
      `select portal_id as portalId, deal_id as dealId, history from deal_invoices where json_array_length(history) > 1 and json_extract(history, '$[0].at') < ?`,
    )
    .all(cutoff) as Array<{ portalId: string; dealId: string; history: string }>;
  const update = client.prepare(`update deal_invoices set history = ? where portal_id = ? and deal_id = ? and history = ?`);
  let removed = 0;
  for (const row of rows) {
    const history = JSON.parse(row.history) as Array<{ at: number }>;
    const kept = history.filter((entry, index) => entry.at >= cutoff || index === history.length - 1);
    // Compare-and-set: a concurrent status change wins, the next prune catches up.
    if (update.run(JSON.stringify(kept), row.portalId, row.dealId, row.history).changes === 1) removed += history.length - kept.length;
  }
  return removed;
}
