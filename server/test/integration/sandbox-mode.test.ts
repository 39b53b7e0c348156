import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApiup, type TestApiup } from '../helpers/apiup';

/** What a person sees after `npm start`: everything reachable with the credentials from GET /sandbox. */
describe('sandbox mode', () => {
  let t: TestApiup;
  let directory: any;

  beforeAll(async () => {
    t = await startTestApiup({ SANDBOX_DEMO_PROVIDER: 'lexoffice' });
    directory = await (await fetch(`${t.url}/sandbox`)).json();
  });

  afterAll(async () => {
    await t?.stop();
  });

  it('lists every sandbox with working credentials', async () => {
    expect(directory.hubspot).toMatchObject({
      portalId: t.portalId,
      clientSecret: expect.any(String),
      accessToken: expect.stringMatching(/^pat-/),
      baseUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
    });
    expect(Object.keys(directory.accounting)).toEqual(['lexoffice', 'sevdesk', 'bexio', 'qonto']);
    const profile = await fetch(`${directory.accounting.lexoffice.baseUrl}/v1/profile`, {
      headers: { authorization: `Bearer ${directory.accounting.lexoffice.credentials.apiKey}` },
    });
    expect(profile.status).toBe(200);
  });

  it('invoices a deal a person moves to won with HubSpot API calls alone', async () => {
    const hubspot = async (method: string, path: string, body?: unknown) => {
      const response = await fetch(`${directory.hubspot.baseUrl}${path}`, {
        method,
        headers: { authorization: `Bearer ${directory.hubspot.accessToken}`, 'content-type': 'application/json' },
        body: body ? JSON.stringify(body) : undefined,
      });
      expect(response.ok).toBe(true);
      return response.json();
    };
    // A business customer as an e-invoice needs it (on by default): address, and a contact with an e-mail.
    const company = await hubspot('POST', '/crm/v3/objects/companies', {
      properties: { name: 'Sandbox Kunde GmbH', address: 'Hauptstraße 1', zip: '10115', city: 'Berlin', country: 'DE' },
      associations: [],
    });
    const contact = await hubspot('POST', '/crm/v3/objects/contacts', {
      properties: { firstname: 'Jürgen', lastname: 'Müller', email: 'juergen.mueller@sandbox-kunde.example' },
      associations: [],
    });
    const item = await hubspot('POST', '/crm/v3/objects/line_items', { properties: { name: 'Workshop', quantity: '1', price: '1200' }, associations: [] });
    const deal = await hubspot('POST', '/crm/v3/objects/deals', {
      properties: { dealname: 'Workshop', pipeline: 'default', dealstage: 'appointmentscheduled', amount: '1200' },
      associations: [
        { to: { id: company.id }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 5 }] },
        { to: { id: contact.id }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 3 }] },
        { to: { id: item.id }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 19 }] },
      ],
    });
    await hubspot('PATCH', `/crm/v3/objects/deals/${deal.id}`, { properties: { dealstage: 'closedwon' } });
    await t.sandboxes!.hubspot.flushWebhooks();
    await t.queue.waitFor(`invoice:${t.portalId}:${deal.id}`, 'succeeded', 20_000);
    const updated = await hubspot('GET', `/crm/v3/objects/deals/${deal.id}?properties=apiup_invoice_number`);
    expect(updated.properties.apiup_invoice_number).toMatch(/\S+/);
    const invoices = await fetch(`${directory.accounting.lexoffice.baseUrl}/v1/voucherlist?voucherType=invoice&voucherStatus=any`, {
      headers: { authorization: `Bearer ${directory.accounting.lexoffice.credentials.apiKey}` },
    });
    const list = await invoices.json();
    expect(list.content.map((v: { voucherNumber: string }) => v.voucherNumber)).toContain(updated.properties.apiup_invoice_number);
  });

  it('reports jobs, webhook events, vendor calls and invoice latency in Prometheus format', async () => {
    const text = await (await fetch(`${t.url}/metrics`)).text();
    expect(text).toMatch(/apiup_jobs\{state="succeeded"\} [1-9]/);
    expect(text).toMatch(/apiup_webhook_events_total\{outcome="accepted"\} [1-9]/);
    expect(text).toMatch(/apiup_vendor_requests_total\{provider="lexoffice",status="2xx"\} [1-9]/);
    expect(text).toMatch(/apiup_invoice_latency_seconds_count 1/);
  });
});
