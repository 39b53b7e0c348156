import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrateDb, openDb, sqliteConnection } from './client';
import { fallbackCheckpointPages } from './checkpointer';
import { webhookEvents } from './schema';

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

describe('WAL checkpoints beside the event loop (SQLite file)', () => {
  it('copies committed pages into the database file without the main connection checkpointing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'apiup-wal-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const path = join(dir, 'apiup.sqlite');
    const db = openDb(path);
    cleanup.push(() => db.close());
    await migrateDb(db);
    // The main connection checkpoints only after this many pages, far more than written here.
    expect(sqliteConnection(db)!.pragma('wal_autocheckpoint', { simple: true })).toBe(fallbackCheckpointPages);
    const before = statSync(path).size;
    const rows = Array.from({ length: 2_000 }, (_, n) => ({
      portalId: '48151623',
      dedupeKey: `deal.propertyChange:${9_000_000 + n}:dealstage:${1_796_000_000_000 + n}`,
      eventId: String(3_100_000 + n),
      subscriptionType: 'deal.propertyChange',
      objectId: String(9_000_000 + n),
      occurredAt: 1_796_000_000_000 + n,
      payload: { propertyName: 'dealstage', propertyValue: 'closedwon', note: `Großauftrag Müller-Lüdenscheidt Nr. ${n}` },
      status: 'queued' as const,
      receivedAt: 1_796_000_000_000,
    }));
    for (let start = 0; start < rows.length; start += 200) await db.insert(webhookEvents).values(rows.slice(start, start + 200));
    await expect.poll(() => statSync(path).size, { timeout: 5_000, interval: 100 }).toBeGreaterThan(before + 200_000);
  });
});
