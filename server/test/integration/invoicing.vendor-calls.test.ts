import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { providerIds, type ProviderId } from '../../src/accounting/provider';
import { endpointOf } from '../../src/sandboxes/recorder';
import { startTestApiup, type TestApiup } from '../helpers/apiup';
import { HubspotUser } from '../helpers/hubspot-user';
import { activateBusinessPlus, connectVendor } from '../helpers/vendors';

/** Account data each vendor's ids refer to: read once per process and credential, not per invoice. */
const accountData: Record<ProviderId, string[]> = {
  lexoffice: [],
  sevdesk: ['GET /SevUser'],
  bexio: ['GET /3.0/users/me', 'GET /3.0/currencies', 'GET /3.0/taxes', 'GET /2.0/country'],
  qonto: ['GET /v2/organization'],
};

/**
 * Every vendor call of the second invoice for a known customer, up to the number on the deal: creating,
 * reading the vendor's totals back, finalizing (without reading the just-created draft again) and the
 * customer's current data; nothing about the account.
 */
const secondInvoice: Record<ProviderId, Record<string, number>> = {
  lexoffice: { 'GET /v1/contacts/:id': 1, 'POST /v1/invoices': 1, 'GET /v1/invoices/:id': 1 },
  sevdesk: {
    'GET /Contact/:id': 1,
    'GET /ContactAddress': 1,
    'GET /CommunicationWay': 1,
    'POST /Invoice/Factory/saveInvoice': 1,
    'GET /Invoice/:id': 2,
    'PUT /Invoice/:id/sendBy': 1,
  },
  bexio: { 'GET /2.0/contact/:id': 1, 'POST /2.0/kb_invoice': 1, 'GET /2.0/kb_invoice/:id': 2, 'POST /2.0/kb_invoice/:id/issue': 1 },
  qonto: { 'GET /v2/clients/:id': 1, 'POST /v2/client_invoices': 1, 'GET /v2/client_invoices/:id': 1, 'POST /v2/client_invoices/:id/finalize': 1 },
};

describe.each(providerIds)('vendor calls per invoice on %s', (providerId) => {
  let t: TestApiup;
  let user: HubspotUser;

  beforeAll(async () => {
    // The payment check waits: only the invoice job's calls are counted.
    t = await startTestApiup({ INVOICE_PAYMENT_POLL_MS: '600000' });
    const sandboxes = t.sandboxes!;
    user = new HubspotUser(sandboxes.hubspot, sandboxes.list()[0].url, t.portalId, sandboxes.hubspot.installDemoPortal().accessToken);
    await connectVendor(t, providerId);
    await activateBusinessPlus(t);
    // Number on the deal only: no e-mail, no e-invoice (their calls are the same on every invoice and tested elsewhere).
    const rules = await t.signedFetch('/api/v1/settings/rules', {
      method: 'PUT',
      body: { invoice: { eInvoiceForBusinessCustomers: false, sendEmail: false } },
    });
    expect(rules.status).toBe(200);
  });

  afterAll(async () => {
    await t?.stop();
  });

  it('reads account data once, not per invoice, and finalizes the draft it just created without reading it first', async () => {
    const recorder = t.sandboxes!.vendors[providerId].sandbox.recorder;
    recorder.enabled = true;
    const pipeline = await user.createPipeline();
    const rate = providerId === 'bexio' ? '0' : '19';
    const rates = await user.taxRateIds();
    const win = async (dealId: string) => {
      user.update('deals', dealId, { dealstage: pipeline.wonStageId });
      await t.sandboxes!.hubspot.flushWebhooks();
      const job = await t.queue.waitFor(`invoice:${t.portalId}:${dealId}`, ['succeeded', 'dead'], 20_000);
      expect(job.lastError).toBeNull();
    };
    const first = await user.createDeal({
      pipelineId: pipeline.pipelineId,
      stageId: pipeline.openStageId,
      company: { name: 'Schreinerei Müller-Lüdenscheidt GmbH & Co. KG', address: 'Königsallee 12', zip: '40212', city: 'Düsseldorf', country: 'DE' },
      lineItems: [{ name: 'Eichentisch nach Maß', quantity: '1', price: '2450.00', hs_tax_rate_group_id: rates[rate] }],
    });
    await win(first.dealId);
    const firstCalls = recorder.exchanges.map(endpointOf);
    expect(firstCalls).toEqual(expect.arrayContaining(accountData[providerId]));

    // The same company and contact buy again.
    const dealId = user.create('deals', {
      dealname: 'Nachbestellung Stühle',
      pipeline: pipeline.pipelineId,
      dealstage: pipeline.openStageId,
      deal_currency_code: 'EUR',
    });
    for (const n of [1, 2, 3, 4, 5, 6]) {
      const itemId = user.create('line_items', { name: `Stuhl „Wiener Geflecht“ Nr. ${n}`, quantity: '1', price: '289.50', hs_tax_rate_group_id: rates[rate] });
      user.associate('deals', dealId, 'line_items', itemId);
    }
    user.associate('deals', dealId, 'companies', first.companyId);
    user.associate('deals', dealId, 'contacts', first.contactId);
    const before = recorder.exchanges.length;
    await win(dealId);
    const counts: Record<string, number> = {};
    for (const endpoint of recorder.exchanges.slice(before).map(endpointOf)) counts[endpoint] = (counts[endpoint] ?? 0) + 1;
    expect(counts).toEqual(secondInvoice[providerId]);
    expect((await t.services.invoicing.records.get(t.portalId, dealId))?.documentNumber).toMatch(/\S/);
  });
});
