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

  get(portalId: string): PortalSettings {
    const row = this.db.select().from(portalSettings).where(eq(portalSettings.portalId, portalId)).get();
    return {
      invoice: InvoiceSettingsSchema.parse(row?.invoice ?? {}),
      sync: SyncSettingsSchema.parse(row?.sync ?? {}),
    };
  }

  /** The settings a patch would give, validated; nothing is written (the caller checks, then saves). */
  prepare(portalId: string, patch: { invoice?: unknown; sync?: unknown }): PortalSettings {
    const current = this.get(portalId);
    return {
      invoice: patch.invoice === undefined ? current.invoice : InvoiceSettingsSchema.parse(patch.invoice),
      sync: patch.sync === undefined ? current.sync : SyncSettingsSchema.parse(patch.sync),
    };
  }

  save(portalId: string, next: PortalSettings): void {
    const now = this.now();
    ensurePortal(this.db, portalId, now);
    this.db
      .insert(portalSettings)
      .values({ portalId, invoice: next.invoice, sync: next.sync, updatedAt: now })
      .onConflictDoUpdate({ target: portalSettings.portalId, set: { invoice: next.invoice, sync: next.sync, updatedAt: now } })
      .run();
  }
}
