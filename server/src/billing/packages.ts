/**
 * Packages and what they unlock. Each package has a 7-day trial from activation, then a monthly
 * booking; a cancelled booking runs to the end of its paid month. Several packages may be active.
 */
import type { PackageId } from '../db/schema';

export const trialDays = 7;
const dayMs = 24 * 60 * 60_000;

export interface Features {
  invoicing: boolean;
  sync: boolean;
  /** Business Plus: write-back, conditions, texts. */
  writeBack: boolean;
  conditions: boolean;
  texts: boolean;
}

const unlocks: Record<PackageId, Array<keyof Features>> = {
  invoicing: ['invoicing'],
  sync: ['sync'],
  business: ['invoicing', 'sync'],
  business_plus: ['invoicing', 'sync', 'writeBack', 'conditions', 'texts'],
};

export const packageNames: Record<PackageId, { de: string; en: string }> = {
  invoicing: { de: 'Buchhaltung & Rechnung', en: 'Accounting & Invoicing' },
  sync: { de: 'Vertrieb & Kontakt', en: 'Sales & Contacts' },
  business: { de: 'Business', en: 'Business' },
  business_plus: { de: 'Business Plus', en: 'Business Plus' },
};

export interface SubscriptionRow {
  packageId: PackageId;
  trialStartedAt: number;
  trialEndsAt: number;
  bookedAt: number | null;
  cancelledAt: number | null;
}

export type PackageState =
  | { state: 'trial'; trialEndsAt: number; daysLeft: number }
  | { state: 'active'; periodEndsAt: number }
  | { state: 'cancelled_until'; periodEndsAt: number }
  | { state: 'expired' };

export function trialFor(now: number): { trialStartedAt: number; trialEndsAt: number } {
  return { trialStartedAt: now, trialEndsAt: now + trialDays * dayMs };
}

/** Where a package stands at `now`. */
export function packageState(row: SubscriptionRow, now: number): PackageState {
  if (row.bookedAt !== null) {
    const periodEndsAt = currentPeriodEnd(row.bookedAt, row.cancelledAt ?? now);
    if (row.cancelledAt === null) return { state: 'active', periodEndsAt: currentPeriodEnd(row.bookedAt, now) };
    return now < periodEndsAt ? { state: 'cancelled_until', periodEndsAt } : { state: 'expired' };
  }
  if (row.cancelledAt === null && now < row.trialEndsAt) {
    return { state: 'trial', trialEndsAt: row.trialEndsAt, daysLeft: Math.ceil((row.trialEndsAt - now) / dayMs) };
  }
  return { state: 'expired' };
}

/** End of the monthly period that contains `at`, counting calendar months from the booking. */
export function currentPeriodEnd(bookedAt: number, at: number): number {
  let months = 1;
  let end = addMonths(bookedAt, months);
  while (end <= at) end = addMonths(bookedAt, ++months);
  return end;
}

function addMonths(epochMs: number, months: number): number {
  const d = new Date(epochMs);
  const target = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1, d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds()));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d.getUTCDate(), lastDay));
  return target.getTime();
}

export function isUsable(state: PackageState): boolean {
  return state.state === 'trial' || state.state === 'active' || state.state === 'cancelled_until';
}

/** The union of what every usable package unlocks. */
export function featuresOf(rows: SubscriptionRow[], now: number): Features {
  const features: Features = { invoicing: false, sync: false, writeBack: false, conditions: false, texts: false };
  for (const row of rows) {
    if (!isUsable(packageState(row, now))) continue;
    for (const feature of unlocks[row.packageId]) features[feature] = true;
  }
  return features;
}
