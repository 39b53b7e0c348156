import { afterEach, describe, expect, it } from 'vitest';
import { makeTestDb } from '../../test/helpers/db';
import type { Db } from '../db/client';
import { portals } from '../db/schema';
import { InvoiceRecords } from './records';

const portalId = '24681357';
const dealId = '9001';

describe('claiming a deal for its document run', () => {
  let db: Db | undefined;
  afterEach(async () => {
    await db?.close();
    db = undefined;
  });

  async function records(now = () => 1_800_000_000_000) {
    db = await makeTestDb();
    await db.insert(portals).values({ portalId, installedAt: 1, updatedAt: 1 });
    return new InvoiceRecords(db, now);
  }

  it('lets exactly one of two concurrent runs claim a deal without a record (the primary key decides)', async () => {
    const store = await records();
    const claims = await Promise.all([
      store.claim(portalId, dealId, undefined, { provider: 'lexoffice', kind: 'invoice' }),
      store.claim(portalId, dealId, undefined, { provider: 'lexoffice', kind: 'invoice' }),
    ]);
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(await store.get(portalId, dealId)).toMatchObject({ status: 'creating', reference: `APIUP-${portalId}-${dealId}` });
  });

  it('lets exactly one of two runs that read the same record claim it, also when the clock does not move', async () => {
    const store = await records();
    const skipped = await store.set(portalId, dealId, 'skipped', { reasonCode: 'condition_quote_required' });
    const claims = await Promise.all([
      store.claim(portalId, dealId, skipped, { provider: 'sevdesk', kind: 'invoice' }),
      store.claim(portalId, dealId, skipped, { provider: 'sevdesk', kind: 'invoice' }),
    ]);
    expect(claims.filter(Boolean)).toHaveLength(1);
    const claimed = (await store.get(portalId, dealId))!;
    expect(claimed).toMatchObject({ status: 'creating', reasonCode: null, provider: 'sevdesk' });
    expect(claimed.history.map((h) => h.status)).toEqual(['skipped', 'creating']);
  });

  it('lets only one of two runs resuming the same `creating` record claim it, in the same millisecond', async () => {
    const store = await records();
    const creating = (await store.claim(portalId, dealId, undefined, { kind: 'invoice' }))!;
    const claims = await Promise.all([
      store.claim(portalId, dealId, creating, { kind: 'invoice' }),
      store.claim(portalId, dealId, creating, { kind: 'invoice' }),
    ]);
    expect(claims.filter(Boolean)).toHaveLength(1);
  });

  it('refuses a claim from a run that read the record before another run changed it', async () => {
    let now = 1_800_000_000_000;
    const store = await records(() => now);
    const read = await store.set(portalId, dealId, 'failed', { reasonCode: 'vendor_failed' });
    now += 1;
    await store.patch(portalId, dealId, { reasonDetail: 'changed meanwhile' });
    expect(await store.claim(portalId, dealId, read, { kind: 'invoice' })).toBeUndefined();
    expect((await store.get(portalId, dealId))?.status).toBe('failed');
  });
});
