import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { portalSettings } from '../db/schema';
import { InvoiceSettingsSchema, type InvoiceSettings } from '../invoicing/settings';
import { SyncSettingsSchema, type SyncSettings } from '../sync/settings';
import { ensurePortal } from '../db/portals';

export interface PortalSettings {
  invoice: InvoiceSettings;
  sync: SyncSettings;
}

/** Settings per portal, parsed on read (defaults fill what is missing) and validated on write. */
export class PortalSettingsStore {
  constructor(
    private readonly db: DbOrTx,
    private readonly now: () => number = Date.now,
  ) {}

  async get(portalId: string): Promise<PortalSettings> {
    const [row] = await this.db.select().from(portalSettings).where(eq(portalSettings.portalId, portalId)).limit(1);
    return {
      invoice: InvoiceSettingsSchema.parse(row?.invoice ?? {}),
      sync: SyncSettingsSchema.parse(row?.sync ?? {}),
    };
  }

  /** The settings a patch would give, validated; nothing is written (the caller checks, then saves). */
  async prepare(portalId: string, patch: { invoice?: unknown; sync?: unknown }): Promise<PortalSettings> {
    const current = await this.get(portalId);
    return {
      invoice: patch.invoice === undefined ? current.invoice : InvoiceSettingsSchema.parse(patch.invoice),
      sync: patch.sync === undefined ? current.sync : SyncSettingsSchema.parse(patch.sync),
    };
  }

  async save(portalId: string, next: PortalSettings): Promise<void> {
    const now = this.now();
    await ensurePortal(this.db, portalId, now);
    await this.db
      .insert(portalSettings)
      .values({ portalId, invoice: next.invoice, sync: next.sync, updatedAt: now })
      .onConflictDoUpdate({ target: portalSettings.portalId, set: { invoice: next.invoice, sync: next.sync, updatedAt: now } });
  }
}
