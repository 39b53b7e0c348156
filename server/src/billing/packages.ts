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
  /** Set once paid through Stripe; then the fields below, from Stripe's subscription, decide. */
  stripeSubscriptionId?: string | null;
  billingStatus?: string | null;
  periodEndsAt?: number | null;
  cancelAtPeriodEnd?: boolean;
  pastDueSince?: number | null;
}

export type PackageState =
  | { state: 'trial'; trialEndsAt: number; daysLeft: number }
  | { state: 'active'; periodEndsAt: number }
  | { state: 'cancelled_until'; periodEndsAt: number }
  | { state: 'past_due'; graceEndsAt: number }
  | { state: 'expired' };

export function trialFor(now: number): { trialStartedAt: number; trialEndsAt: number } {
  return { trialStartedAt: now, trialEndsAt: now + trialDays * dayMs };
}

/** Where a package stands at `now`; a past-due subscription keeps working for `graceMs`. */
export function packageState(row: SubscriptionRow, now: number, graceMs = 0): PackageState {
  const paid = row.stripeSubscriptionId ? stripeState(row, now, graceMs) : undefined;
  if (paid) return paid;
  if (row.bookedAt !== null && !row.stripeSubscriptionId) {
    const periodEndsAt = currentPeriodEnd(row.bookedAt, row.cancelledAt ?? now);
    if (row.cancelledAt === null) return { state: 'active', periodEndsAt: currentPeriodEnd(row.bookedAt, now) };
    return now < periodEndsAt ? { state: 'cancelled_until', periodEndsAt } : { state: 'expired' };
  }
  if (row.cancelledAt === null && now < row.trialEndsAt) {
    return { state: 'trial', trialEndsAt: row.trialEndsAt, daysLeft: Math.ceil((row.trialEndsAt - now) / dayMs) };
  }
  return { state: 'expired' };
}

/**
 * Stripe's subscription statuses (https://docs.stripe.com/billing/subscriptions/overview#subscription-statuses):
 * `trialing` and `active` are paid for (a trial with a card on file counts as booked); `past_due`
 * works until the grace period ends; `canceled`, `unpaid`, `incomplete_expired` and `paused` are over.
 * `incomplete` (first payment not made) leaves the free trial as it was.
 */
function stripeState(row: SubscriptionRow, now: number, graceMs: number): PackageState | undefined {
  const periodEndsAt = row.periodEndsAt ?? now;
  switch (row.billingStatus) {
    case 'trialing':
    case 'active':
      if (!row.cancelAtPeriodEnd) return { state: 'active', periodEndsAt };
      return now < periodEndsAt ? { state: 'cancelled_until', periodEndsAt } : { state: 'expired' };
    case 'past_due': {
      const graceEndsAt = (row.pastDueSince ?? now) + graceMs;
      return now < graceEndsAt ? { state: 'past_due', graceEndsAt } : { state: 'expired' };
    }
    case 'incomplete':
      return undefined;
    default:
      return { state: 'expired' };
  }
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
  return state.state === 'trial' || state.state === 'active' || state.state === 'cancelled_until' || state.state === 'past_due';
}

/** The union of what every usable package unlocks. */
export function featuresOf(rows: SubscriptionRow[], now: number, graceMs = 0): Features {
  const features: Features = { invoicing: false, sync: false, writeBack: false, conditions: false, texts: false };
  for (const row of rows) {
    if (!isUsable(packageState(row, now, graceMs))) continue;
    for (const feature of unlocks[row.packageId]) features[feature] = true;
  }
  return features;
}
