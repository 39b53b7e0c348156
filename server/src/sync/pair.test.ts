import { describe, expect, it } from 'vitest';
import { contentAfterHubspotWrite } from './pair';

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
