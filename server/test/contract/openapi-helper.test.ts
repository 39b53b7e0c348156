import { describe, expect, it } from 'vitest';
import { OpenApiContract } from '../helpers/openapi';

describe('OpenApiContract', () => {
  const contacts = OpenApiContract.load('hubspot/contacts.json');

  it('finds the operation template for a concrete path', () => {
    expect(contacts.findOperation('PATCH', '/crm/v3/objects/contacts/123')).toBe('/crm/v3/objects/contacts/{contactId}');
    expect(contacts.findOperation('POST', '/crm/v3/objects/contacts/batch/read')).toBe('/crm/v3/objects/contacts/batch/read');
  });

  it('accepts a conforming body and rejects a wrong one', () => {
    const template = '/crm/v3/objects/contacts';
    expect(contacts.validateRequest('post', template, { properties: { firstname: 'Ada' }, associations: [] })).toBeNull();
    expect(contacts.validateRequest('post', template, { properties: { firstname: 42 } })).toMatch(/must be string/);
  });
});
