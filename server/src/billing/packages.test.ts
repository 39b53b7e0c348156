import { describe, expect, it } from 'vitest';
import { currentPeriodEnd, featuresOf, packageState, trialFor, type SubscriptionRow } from './packages';

const day = 24 * 60 * 60_000;
const t0 = Date.UTC(2026, 0, 31, 12);

function row(overrides: Partial<SubscriptionRow> = {}): SubscriptionRow {
  return { packageId: 'invoicing', ...trialFor(t0), bookedAt: null, cancelledAt: null, ...overrides };
}

describe('packages', () => {
  it('runs a 7-day trial from activation, then expires without a booking', () => {
    expect(packageState(row(), t0 + day)).toEqual({ state: 'trial', trialEndsAt: t0 + 7 * day, daysLeft: 6 });
    expect(packageState(row(), t0 + 7 * day)).toEqual({ state: 'expired' });
  });

  it('stays active monthly once booked, and a cancellation runs to the end of the paid month', () => {
    const booked = row({ bookedAt: t0 + 3 * day });
    expect(packageState(booked, t0 + 40 * day).state).toBe('active');
    const cancelled = { ...booked, cancelledAt: t0 + 10 * day };
    const state = packageState(cancelled, t0 + 11 * day);
    expect(state).toEqual({ state: 'cancelled_until', periodEndsAt: Date.UTC(2026, 2, 3, 12) });
    expect(packageState(cancelled, Date.UTC(2026, 2, 3, 12)).state).toBe('expired');
  });

  it('counts monthly periods by calendar month, clamping to the month end', () => {
    expect(new Date(currentPeriodEnd(t0, t0)).toISOString()).toBe('2026-02-28T12:00:00.000Z');
    expect(new Date(currentPeriodEnd(t0, Date.UTC(2026, 2, 1))).toISOString()).toBe('2026-03-31T12:00:00.000Z');
  });

  it('unlocks the union of every usable package', () => {
    const features = featuresOf([row({ packageId: 'sync' }), row({ packageId: 'invoicing', trialEndsAt: t0 - 1 })], t0);
    expect(features).toEqual({ invoicing: false, sync: true, writeBack: false, conditions: false, texts: false });
    expect(featuresOf([row({ packageId: 'business_plus' })], t0)).toEqual({ invoicing: true, sync: true, writeBack: true, conditions: true, texts: true });
  });
});
