import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** An initial sync: its dry-run report, then the run's progress (resumable: done counts what is linked). */
export const syncRuns = sqliteTable('sync_runs', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  portalId: text('portal_id').notNull(),
  state: text('state', { enum: ['planned', 'running', 'succeeded', 'failed'] }).notNull(),
  report: text('report', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
  total: integer('total').notNull(),
  done: integer('done').notNull(),
  startedAt: integer('started_at'),
  finishedAt: integer('finished_at'),
  updatedAt: integer('updated_at').notNull(),
});
