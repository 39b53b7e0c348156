import { count } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import type { Db } from '../db/client';
import { syncOtherWriters } from '../db/schema';
import { FakeClock, makeTestDb } from '../../test/helpers/db';
import { maxSourcesPerPortal, otherWriters, recordOtherWrite, type OtherWrite } from './other-writers';

const dayMs = 86_400_000;
const portalId = '24681357';

describe('other apps writing synced records', () => {
  let db: Db | undefined;
  afterEach(async () => {
    await db?.close();
    db = undefined;
  });

  const open = async () => (db = await makeTestDb());
  const write = (sourceId: string, occurredAt: number, extra: Partial<OtherWrite> = {}): OtherWrite => ({
    portalId,
    sourceId,
    objectType: 'contact',
    objectId: '40000000002',
    propertyName: 'email',
    occurredAt,
    ...extra,
  });

  it('counts per app the changes of the last 7 and 30 days, the busiest app first, with its latest change', async () => {
    const db = await open();
    const clock = new FakeClock();
    const now = clock.now();
    for (const daysAgo of [0, 1, 6, 7, 29, 30, 45]) await recordOtherWrite(db, write('3141592', now - daysAgo * dayMs - 60_000), now);
    await recordOtherWrite(db, write('2718281', now - 2 * dayMs, { objectType: 'company', objectId: '40000000009', propertyName: 'city' }), now);
    // Delivered late, after a newer change of the same day: the newer one stays the latest.
    await recordOtherWrite(db, write('3141592', now - 1000, { objectId: '40000000007', propertyName: 'phone' }), now);
    await recordOtherWrite(db, write('3141592', now - 5000, { objectId: '40000000005' }), now);
    await recordOtherWrite(db, write('3141592', now, { portalId: '99999999' }), now);

    expect(await otherWriters(db, portalId, now)).toEqual([
      {
        sourceId: '3141592',
        last7Days: 5,
        last30Days: 7,
        lastSeenAt: now - 1000,
        lastObjectType: 'contact',
        lastObjectId: '40000000007',
        lastPropertyName: 'phone',
      },
      {
        sourceId: '2718281',
        last7Days: 1,
        last30Days: 1,
        lastSeenAt: now - 2 * dayMs,
        lastObjectType: 'company',
        lastObjectId: '40000000009',
        lastPropertyName: 'city',
      },
    ]);
    expect((await otherWriters(db, portalId, now + 3 * dayMs)).map((s) => [s.sourceId, s.last7Days, s.last30Days])).toEqual([
      ['3141592', 4, 6],
      ['2718281', 1, 1],
    ]);
  });

  it(`keeps at most ${maxSourcesPerPortal} apps per portal, dropping the one with the fewest changes, and no day older than 30`, async () => {
    const db = await open();
    const now = new FakeClock().now();
    for (let app = 1; app <= maxSourcesPerPortal; app++)
      for (let n = 0; n < app + 1; n++) await recordOtherWrite(db, write(String(5_000_000 + app), now - n * dayMs), now);
    await recordOtherWrite(db, write('7000001', now), now);
    const sources = (await otherWriters(db, portalId, now)).map((s) => s.sourceId);
    expect(sources).toHaveLength(maxSourcesPerPortal);
    expect(sources).toContain('7000001');
    expect(sources).not.toContain('5000001');

    await recordOtherWrite(db, write('7000001', now + 40 * dayMs), now + 40 * dayMs);
    const [{ n }] = await db.select({ n: count() }).from(syncOtherWriters);
    expect(Number(n)).toBe(1);
  });
});
