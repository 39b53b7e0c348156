import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../logger';
import { RateLimiterRegistry } from '../../lib/rate-limit';
import { eInvoiceContactUpdate } from './einvoice';
import { createLexofficeEvents } from './events';
import type { LexofficeContact } from './schemas';
import { signLexofficeWebhook } from './webhooks';

const contact: LexofficeContact = {
  id: '4d43ad14-671d-4e0c-fd4b-2fd8cc117eff',
  version: 3,
  roles: { customer: { number: 10307 } },
  company: { name: 'Stadtwerke Bad Säckingen – Eigenbetrieb Wasserversorgung', contactPersons: [] },
  addresses: { billing: [{ street: 'Rheinbrückstraße 8', zip: '79713', city: 'Bad Säckingen', countryCode: 'DE' }] },
  emailAddresses: { office: ['rechnungseingang@stadtwerke-saeckingen.example'] },
} as unknown as LexofficeContact;

describe('eInvoiceContactUpdate', () => {
  it('puts the Leitweg-ID and supplier number on the contact, keeping its version and everything else, with the role as written', () => {
    const body = eInvoiceContactUpdate(contact, { buyerReference: '04011000-1234512345-35', vendorNumberAtCustomer: '70123456' })!;
    expect(body).toMatchObject({
      version: 3,
      roles: { customer: {} },
      company: { name: 'Stadtwerke Bad Säckingen – Eigenbetrieb Wasserversorgung' },
      addresses: contact.addresses,
      emailAddresses: contact.emailAddresses,
      xRechnung: { buyerReference: '04011000-1234512345-35', vendorNumberAtCustomer: '70123456' },
    });
    expect(body).not.toHaveProperty('id');
  });

  it('adds a business e-mail only where the contact has none, and changes nothing that is already right', () => {
    expect(eInvoiceContactUpdate(contact, { email: 'other@example.de' })).toBeNull();
    const withoutMail = { ...contact, emailAddresses: undefined } as LexofficeContact;
    expect(eInvoiceContactUpdate(withoutMail, { email: 'einkauf@hoelzl-soehne.example' })).toMatchObject({
      emailAddresses: { business: ['einkauf@hoelzl-soehne.example'] },
    });
    const enabled = { ...contact, xRechnung: { buyerReference: '04011000-1234512345-35', vendorNumberAtCustomer: '70123456' } } as LexofficeContact;
    expect(eInvoiceContactUpdate(enabled, { buyerReference: '04011000-1234512345-35', vendorNumberAtCustomer: '70123456' })).toBeNull();
  });

  it('never sets half of the XRechnung pair (Lexware refuses a buyer reference without the supplier number)', () => {
    expect(eInvoiceContactUpdate(contact, { buyerReference: '04011000-1234512345-35' })).toBeNull();
  });
});

describe('lexoffice events: contact events', () => {
  const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const events = createLexofficeEvents(
    { baseUrl: 'http://127.0.0.1:1', credentials: { apiKey: 'k' }, log: silentLogger(), limiters: new RateLimiterRegistry() },
    keys.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  );
  const recorded = JSON.parse(readFileSync(new URL('../../../test/recorded/lexoffice/webhook-contact-changed.json', import.meta.url), 'utf8'));

  it('names the contact of the recorded contact.changed delivery as a customer to sync, no document', () => {
    const raw = JSON.stringify(recorded.webhook.body);
    expect(events.parse(raw, { 'x-lxo-signature': signLexofficeWebhook(raw, keys.privateKey) }, '')).toEqual({
      documentIds: [],
      customerIds: ['4d43ad14-671d-4e0c-fd4b-2fd8cc117eff'],
    });
    expect(events.customerEvents).toBe(true);
  });

  it('treats contact.created and contact.deleted alike, and refuses an unsigned one', () => {
    for (const eventType of ['contact.created', 'contact.deleted']) {
      const raw = JSON.stringify({ ...recorded.webhook.body, eventType });
      expect(events.parse(raw, { 'x-lxo-signature': signLexofficeWebhook(raw, keys.privateKey) }, '')?.customerIds).toEqual([
        '4d43ad14-671d-4e0c-fd4b-2fd8cc117eff',
      ]);
      expect(events.parse(raw, {}, '')).toBeNull();
    }
  });
});
