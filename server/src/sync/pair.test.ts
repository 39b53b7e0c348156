import { describe, expect, it } from 'vitest';
import { contentAfterHubspotWrite, contentAfterVendorWrite } from './pair';

describe('the HubSpot record after our write', () => {
  const read = { firstName: 'Jürgen', lastName: 'Müller-Lüdenscheidt', email: 'juergen@maschinenbau.example', city: 'Stuttgart' };

  it('keeps every field we did not write, although HubSpot answers with the written ones only', () => {
    expect(contentAfterHubspotWrite(read, { customerNumber: '10042' }, { customerNumber: '10042' })).toEqual({ ...read, customerNumber: '10042' });
  });

  it('takes a written value as HubSpot stored it, as sent where the answer leaves it out, and drops a cleared one', () => {
    const written = { phone: '+49 711 9876543', email: 'j.mueller@maschinenbau.example', city: undefined };
    expect(contentAfterHubspotWrite(read, written, { phone: '+497119876543' })).toEqual({
      firstName: 'Jürgen',
      lastName: 'Müller-Lüdenscheidt',
      email: 'j.mueller@maschinenbau.example',
      phone: '+497119876543',
    });
    expect(contentAfterHubspotWrite(read, written, undefined)).toEqual({
      firstName: 'Jürgen',
      lastName: 'Müller-Lüdenscheidt',
      email: 'j.mueller@maschinenbau.example',
      phone: '+49 711 9876543',
    });
  });
});

describe('the accounting side after our write', () => {
  const read = { firstName: 'Vorname15', lastName: 'Chaos1x15', email: 'c15@t1.example', phone: '+49 30 1234567' };

  it('keeps a field we did not write as we read it, although the answer shows an edit made after our write', () => {
    const answer = { ...read, firstName: 'Vendor1789', lastName: 'Nachname1777' };
    expect(contentAfterVendorWrite(read, { lastName: 'Nachname1777' }, answer)).toEqual({ ...read, lastName: 'Nachname1777' });
  });

  it('takes a written value as the vendor stored it, and leaves out one it does not store', () => {
    const written = { phone: '+49 30 7654321', vatId: 'DE123456789' };
    expect(contentAfterVendorWrite(read, written, { ...read, phone: '+4930 7654321' })).toEqual({ ...read, phone: '+4930 7654321' });
  });

  it('records our value where someone saved what they had read before our write over it', () => {
    const answer = { ...read, firstName: 'Vendor1999' };
    expect(contentAfterVendorWrite(read, { lastName: 'Nachname2001' }, answer)).toEqual({ ...read, lastName: 'Nachname2001' });
  });

  it('records the old value where the vendor kept it and nobody else wrote (it refused ours)', () => {
    expect(contentAfterVendorWrite(read, { lastName: 'Nachname2001' }, read)).toEqual(read);
    // A value we cleared and the vendor kept is kept too: the clear does not come back as its change.
    expect(contentAfterVendorWrite(read, { email: undefined }, { ...read, firstName: 'Vendor1999' })).toEqual(read);
  });
});
