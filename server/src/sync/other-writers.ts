/**
 * Other integrations writing the contacts and companies we sync (issue 17). Two apps that both sync the
 * same fields overwrite each other, and each overwrite looks like a user's edit to the other. HubSpot's
 * webhook events name the app behind an API change (`changeSource: INTEGRATION`, `sourceId`: its app id;
 * hubspot/webhook-events.ts), so we count, per app and day, the changes it made to synced fields of linked
 * records, and the settings page names the app and how often. Bounded: the last `windowDays` only, and at
 * most `maxSourcesPerPortal` apps per portal (a new app replaces the one with the fewest changes).
 */
import { and, eq, gte, lt, sql } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import type { DbOrTx } from '../db/client';
import { syncOtherWriters } from '../db/schema';
import type { ObjectType } from './content';

export const windowDays = 30;
export const maxSourcesPerPortal = 10;
const dayMs = 86_400_000;

export interface OtherWrite {
  portalId: string;
  /** The writing app's id (HubSpot's `sourceId`). */
  sourceId: string;
  objectType: ObjectType;
  objectId: string;
  propertyName: string;
  occurredAt: number;
}

export interface OtherWriterView {
  sourceId: string;
  last7Days: number;
  last30Days: number;
  lastSeenAt: number;
  lastObjectType: ObjectType;
  lastObjectId: string;
  lastPropertyName: string;
}

const dayOf = (ms: number) => Math.floor(ms / dayMs);

/** Counts one change; called in the webhook intake's transaction, once per stored (not duplicate) event. */
export async function recordOtherWrite(db: DbOrTx, w: OtherWrite, now: number): Promise<void> {
  const today = dayOf(now);
  const oldest = today - windowDays + 1;
  // A change dated ahead of our clock counts for today; one retried past the window counts no more.
  const day = Math.min(dayOf(w.occurredAt), today);
  if (day < oldest) return;
  const t = syncOtherWriters;
  await db.delete(t).where(and(eq(t.portalId, w.portalId), lt(t.day, oldest)));
  const [known] = await db
    .select({ sourceId: t.sourceId })
    .from(t)
    .where(and(eq(t.portalId, w.portalId), eq(t.sourceId, w.sourceId)))
    .limit(1);
  if (!known) await makeRoom(db, w.portalId);
  const last = { lastSeenAt: w.occurredAt, lastObjectType: w.objectType, lastObjectId: w.objectId, lastPropertyName: w.propertyName };
  // One statement (two intakes may count the same app and day at once on PostgreSQL). Deliveries are not in
  // order: the row keeps the latest change it has seen.
  const newer = sql`excluded.last_seen_at >= ${t.lastSeenAt}`;
  const latest = (column: SQLiteColumn, name: string) => sql`case when ${newer} then ${sql.raw(`excluded.${name}`)} else ${column} end`;
  await db
    .insert(t)
    .values({ portalId: w.portalId, sourceId: w.sourceId, day, changes: 1, ...last })
    .onConflictDoUpdate({
      target: [t.portalId, t.sourceId, t.day],
      set: {
        changes: sql`${t.changes} + 1`,
        lastSeenAt: latest(t.lastSeenAt, 'last_seen_at'),
        lastObjectType: latest(t.lastObjectType, 'last_object_type'),
        lastObjectId: latest(t.lastObjectId, 'last_object_id'),
        lastPropertyName: latest(t.lastPropertyName, 'last_property_name'),
      },
    });
}

/** Drops the app with the fewest changes (then the longest quiet) while the portal has no room for another. */
async function makeRoom(db: DbOrTx, portalId: string): Promise<void> {
  const t = syncOtherWriters;
  const sources = summarise(await db.select().from(t).where(eq(t.portalId, portalId)), Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY);
  sources.sort((a, b) => a.last30Days - b.last30Days || a.lastSeenAt - b.lastSeenAt);
  for (const s of sources.slice(0, Math.max(0, sources.length - maxSourcesPerPortal + 1))) {
    await db.delete(t).where(and(eq(t.portalId, portalId), eq(t.sourceId, s.sourceId)));
  }
}

/** The apps that changed synced records in the last 30 days, the busiest first. */
export async function otherWriters(db: DbOrTx, portalId: string, now: number): Promise<OtherWriterView[]> {
  const today = dayOf(now);
  const t = syncOtherWriters;
  const rows = await db
    .select()
    .from(t)
    .where(and(eq(t.portalId, portalId), gte(t.day, today - windowDays + 1)))
    .orderBy(t.sourceId, t.day);
  return summarise(rows, today - 6, today - windowDays + 1).sort((a, b) => b.last30Days - a.last30Days || b.lastSeenAt - a.lastSeenAt);
}

function summarise(rows: Array<typeof syncOtherWriters.$inferSelect>, weekFrom: number, monthFrom: number): OtherWriterView[] {
  const bySource = new Map<string, OtherWriterView>();
  for (const r of rows) {
    const view = bySource.get(r.sourceId) ?? {
      sourceId: r.sourceId,
      last7Days: 0,
      last30Days: 0,
      lastSeenAt: r.lastSeenAt,
      lastObjectType: r.lastObjectType,
      lastObjectId: r.lastObjectId,
      lastPropertyName: r.lastPropertyName,
    };
    if (r.day >= weekFrom) view.last7Days += r.changes;
    if (r.day >= monthFrom) view.last30Days += r.changes;
    if (r.lastSeenAt > view.lastSeenAt)
      Object.assign(view, { lastSeenAt: r.lastSeenAt, lastObjectType: r.lastObjectType, lastObjectId: r.lastObjectId, lastPropertyName: r.lastPropertyName });
    bySource.set(r.sourceId, view);
  }
  return [...bySource.values()];
}
