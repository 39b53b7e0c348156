import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

export const jobStates = ['queued', 'running', 'retrying', 'succeeded', 'dead'] as const;
export type JobState = (typeof jobStates)[number];

/**
 * The durable job queue. A job is runnable when queued/retrying and due, or running with an expired
 * lease (its process died). At most one live (queued/running/retrying) job per `dedupe_key`.
 */
export const jobs = sqliteTable(
  'jobs',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    name: text('name').notNull(),
    /** Tenant for fairness and the activity log; '' for system jobs. */
    portalId: text('portal_id').notNull().default(''),
    payload: text('payload', { mode: 'json' }).notNull(),
    dedupeKey: text('dedupe_key'),
    state: text('state', { enum: jobStates }).notNull().default('queued'),
    attempts: integer('attempts').notNull().default(0),
    maxAttempts: integer('max_attempts').notNull(),
    /** Epoch ms from which the job may run. */
    runAt: integer('run_at').notNull(),
    leaseUntil: integer('lease_until'),
    /** Times the job was taken over after its process died: not the job's failure, counted apart. */
    leaseLosses: integer('lease_losses').notNull().default(0),
    lockedBy: text('locked_by'),
    /** A trigger arrived while the job ran: run it once more after it succeeds. */
    rerunRequested: integer('rerun_requested', { mode: 'boolean' }).notNull().default(false),
    /** Results of completed `ctx.step`s, reused after a crash or retry. */
    steps: text('steps', { mode: 'json' }).$type<Record<string, unknown>>().notNull().default({}),
    /** Last failure: `{ code, message, retryable, kind? }`, kept when dead for the UI. */
    lastError: text('last_error', { mode: 'json' }).$type<JobErrorInfo>(),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
    finishedAt: integer('finished_at'),
    /**
     * PostgreSQL: the pg-boss job that is this job's current run (each run, retry or rerun is one
     * pg-boss job in the queue `apiup.runs`); null when no run is pending or active, and always on SQLite.
     */
    runId: text('run_id'),
  },
  (t) => [
    uniqueIndex('jobs_live_dedupe_key')
      .on(t.dedupeKey)
      .where(sql`${t.state} in ('queued', 'running', 'retrying') and ${t.dedupeKey} is not null`),
    index('jobs_runnable').on(t.state, t.runAt),
    index('jobs_portal_state').on(t.portalId, t.state),
  ],
);

export interface JobErrorInfo {
  code: string;
  message: string;
  retryable: boolean;
  at: number;
}
