import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { Db } from '../db/client';
import { SecretBox } from '../crypto/secrets';
import { portals } from '../db/schema';
import { makeTestDb } from '../../test/helpers/db';
import { VendorEventSecrets } from './event-secrets';
import { signQontoWebhook, verifyQontoWebhook } from './qonto/webhooks';

const delivery = JSON.stringify({
  id: 'evt-7f3c',
  subscription_id: 'sub-1',
  organization_id: 'baeckerei-hoelzl-soehne',
  type: 'v1/client-invoices',
  created_at: '2026-11-24T09:00:00.000Z',
  data: { id: 'inv-2027-0042', status: 'paid' },
});

describe('vendor event secrets', () => {
  let db: Db | undefined;
  afterEach(async () => {
    await db?.close();
    db = undefined;
  });

  it('still verifies a Qonto delivery signed with the secret Qonto got before the encryption key was rotated', async () => {
    db = await makeTestDb();
    await db.insert(portals).values({ portalId: '24681357', installedAt: 1, updatedAt: 1 });
    const oldKey = { id: 'k1', key: randomBytes(32) };
    const beforeRotation = new VendorEventSecrets(db, new SecretBox(oldKey));
    const givenToQonto = await beforeRotation.secretFor('24681357');
    expect(await beforeRotation.secretFor('24681357')).toBe(givenToQonto);

    const rotated = new SecretBox({ id: 'k2', key: randomBytes(32) }, [oldKey]);
    const afterRotation = await new VendorEventSecrets(db, rotated).secretFor('24681357');
    const nowSeconds = Math.floor(Date.now() / 1000);
    const header = signQontoWebhook(delivery, givenToQonto, nowSeconds);
    expect(verifyQontoWebhook(delivery, header, afterRotation)).toEqual({ ok: true });
    // A secret derived from whatever key is current would no longer match.
    expect(rotated.deriveKey('vendor-events:24681357').toString('hex')).not.toBe(givenToQonto);
  });

  it('gives each portal its own secret, and keeps the one a subscription made before it was stored got', async () => {
    db = await makeTestDb();
    for (const portalId of ['111', '222']) await db.insert(portals).values({ portalId, installedAt: 1, updatedAt: 1 });
    const box = new SecretBox({ id: 'k1', key: randomBytes(32) });
    const secrets = new VendorEventSecrets(db, box);
    expect(await secrets.secretFor('111')).not.toBe(await secrets.secretFor('222'));
    expect(await secrets.secretFor('111')).toBe(box.deriveKey('vendor-events:111').toString('hex'));
    const rows = await db.select().from(portals);
    expect(rows).toHaveLength(2);
    expect(rows.every((p) => p.vendorEventsSecretSealed?.startsWith('v1.k1.'))).toBe(true);
  });
});
