import { describe, expect, it } from 'vitest';
import { SyncSettingsSchema } from './settings';

describe('sync settings', () => {
  it('keys field owners by the fields the merge compares', () => {
    expect(SyncSettingsSchema.parse({ fieldOwners: { vatId: 'accounting', email: 'hubspot' } }).fieldOwners).toEqual({ vatId: 'accounting', email: 'hubspot' });
  });

  it("reads owners saved under the settings page's former names as their fields", () => {
    const owners = SyncSettingsSchema.parse({ fieldOwners: { name: 'hubspot', address: 'accounting', country: 'hubspot', vat_id: 'accounting' } }).fieldOwners;
    expect(owners).toEqual({ companyName: 'hubspot', street: 'accounting', countryCode: 'hubspot', vatId: 'accounting' });
  });

  it('refuses an owner for a field the sync does not know, instead of ignoring it', () => {
    expect(SyncSettingsSchema.safeParse({ fieldOwners: { umsatzsteuer: 'hubspot' } }).success).toBe(false);
  });
});
