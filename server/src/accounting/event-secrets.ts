/**
 * Our per-portal secret for vendor push events signed with a shared secret (Qonto, accounting.md
 * §4.5). The vendor keeps the secret it got at subscription time, and `subscribe` keeps an existing
 * subscription, so the secret must never change for a portal: it is sealed into the portal's row on
 * first use and read from there, across encryption-key rotations and accounting reconnects.
 */
import { and, eq, isNull } from 'drizzle-orm';
import type { SecretBox } from '../crypto/secrets';
import type { Db } from '../db/client';
import { portals } from '../db/schema';

export class VendorEventSecrets {
  constructor(
    private readonly db: Db,
    private readonly secrets: SecretBox,
  ) {}

  async secretFor(portalId: string): Promise<string> {
    const [row] = await this.db.select({ sealed: portals.vendorEventsSecretSealed }).from(portals).where(eq(portals.portalId, portalId)).limit(1);
    if (row?.sealed) return this.secrets.decrypt(row.sealed);
    // First use: the value earlier releases derived from the key, so subscriptions made before the
    // secret was stored still verify; from now on it is read back, whatever the current key is.
    const secret = this.secrets.deriveKey(`vendor-events:${portalId}`).toString('hex');
    if (!row) return secret;
    await this.db
      .update(portals)
      .set({ vendorEventsSecretSealed: this.secrets.encrypt(secret) })
      .where(and(eq(portals.portalId, portalId), isNull(portals.vendorEventsSecretSealed)));
    return this.secretFor(portalId);
  }
}
