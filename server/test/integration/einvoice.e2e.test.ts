/**
 * E-invoices for business customers through the vendor sandboxes: the pre-flight lists each missing piece
 * and where to fix it, the run refuses before anything is sent, and with complete data the vendor makes
 * the e-invoice and serves its XML.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApiup, type TestApiup } from '../helpers/apiup';
import { HubspotUser } from '../helpers/hubspot-user';
import { vendorProbe, type VendorProbe } from '../helpers/vendors';

const company = {
  name: 'Bäckerei Hölzl & Söhne Großhandel GmbH',
  address: 'Schönhauser Allee 112',
  zip: '10439',
  city: 'Berlin',
  country: 'DE',
};

describe.each(['sevdesk', 'lexoffice'] as const)('e-invoice through the %s sandbox', (providerId) => {
  let t: TestApiup;
  let user: HubspotUser;
  let vendor: VendorProbe;
  let pipeline: Awaited<ReturnType<HubspotUser['createPipeline']>>;
  let rates: Record<string, string>;

  beforeAll(async () => {
    t = await startTestApiup();
    const sandboxes = t.sandboxes!;
    vendor = vendorProbe(sandboxes, providerId);
    user = new HubspotUser(sandboxes.hubspot, sandboxes.list()[0].url, t.portalId, sandboxes.hubspot.installDemoPortal().accessToken);
    expect(
      (await t.signedFetch('/api/v1/settings/connection', { method: 'PUT', body: { provider: providerId, credentials: vendor.credentials } })).status,
    ).toBe(200);
    await t.signedFetch('/api/v1/settings/packages/business_plus/activate', { method: 'POST' });
    pipeline = await user.createPipeline();
    rates = await user.taxRateIds();
  });

  afterAll(async () => {
    await t?.stop();
  });

  const lines = () => [
    { name: 'Website-Relaunch und Wartung Müller GmbH 2027 – Konzeption', quantity: '12', price: '95.00', hs_tax_rate_group_id: rates['19'] },
    { name: 'Gestaltung Startseite und Unterseiten', quantity: '3', price: '480.00', hs_tax_rate_group_id: rates['19'] },
    { name: 'Fachbuch „Barrierefreies Webdesign“', quantity: '2', price: '39.90', hs_tax_rate_group_id: rates['7'] },
    { name: 'Hosting Jänner–Dezember', quantity: '12', price: '24.50', hs_tax_rate_group_id: rates['19'] },
  ];

  async function win(dealId: string) {
    user.update('deals', dealId, { dealstage: pipeline.wonStageId });
    await t.sandboxes!.hubspot.flushWebhooks();
    return t.queue.waitFor(`invoice:${t.portalId}:${dealId}`, ['succeeded', 'dead'], 20_000);
  }

  it('refuses in the preview and in the run, naming each missing piece and where to fix it', async () => {
    const deal = await user.createDeal({
      pipelineId: pipeline.pipelineId,
      stageId: pipeline.openStageId,
      lineItems: lines(),
      company: { name: company.name, country: 'DE' },
      contact: { firstname: 'Jörg', lastname: 'Hölzl' },
    });
    const preview = await (await t.signedFetch(`/api/v1/deals/${deal.dealId}/invoice/preview`, { locale: 'en' })).json();
    const blocking = preview.notices.filter((n: { blocking: boolean }) => n.blocking).map((n: { message: string }) => n.message);
    expect(blocking).toContain(
      'E-invoice: the customer\'s address (street, postcode, city, country) is missing. Please add it in HubSpot on the company (address or the "APIUP" property group); no invoice is created until then.',
    );
    expect(blocking).toContain(
      "E-invoice: the customer's e-mail address is missing. Please add it in HubSpot on the deal's contact (e-mail); no invoice is created until then.",
    );
    if (providerId === 'sevdesk') expect(blocking.some((m: string) => m.includes('buyer reference (Leitweg-ID)'))).toBe(true);
    expect(preview.skip?.code).toBe('einvoice_missing');

    const before = vendor.documentCount();
    const job = await win(deal.dealId);
    expect(job.lastError).toBeNull();
    expect(vendor.documentCount()).toBe(before);
    const card = await (await t.signedFetch(`/api/v1/deals/${deal.dealId}/invoice`, { locale: 'de' })).json();
    expect(card.invoice).toMatchObject({ status: 'skipped', reason: { code: 'einvoice_missing' } });
    expect(card.invoice.reason.message).toMatch(/^E-Rechnung: .+ fehlt\. Bitte ergänzen in /);
  });

  if (providerId === 'sevdesk') {
    it('names the seller data sevDesk lacks, read from the account', async () => {
      const client = (t.sandboxes!.vendors.sevdesk.sandbox as any).store.client;
      const iban = client.bankIban;
      client.bankIban = null;
      client.vatNumber = '';
      try {
        const deal = await user.createDeal({
          pipelineId: pipeline.pipelineId,
          stageId: pipeline.openStageId,
          lineItems: lines(),
          company: { ...company, apiup_buyer_reference: '991-01234-56' },
        });
        const preview = await (await t.signedFetch(`/api/v1/deals/${deal.dealId}/invoice/preview`, { locale: 'de' })).json();
        const blocking = preview.notices.filter((n: { blocking: boolean }) => n.blocking).map((n: { message: string }) => n.message);
        expect(blocking).toEqual([
          'E-Rechnung: Ihre Steuernummer oder USt-IdNr. fehlt. Bitte ergänzen in den Firmeneinstellungen der Buchhaltung; bis dahin wird keine Rechnung erstellt.',
          'E-Rechnung: Ihre IBAN fehlt. Bitte ergänzen in den Firmeneinstellungen der Buchhaltung; bis dahin wird keine Rechnung erstellt.',
        ]);
      } finally {
        client.bankIban = iban;
        client.vatNumber = 'DE123456789';
      }
    });
  }

  if (providerId === 'lexoffice') {
    it('says Lexware checks the seller data itself, and Lexware refuses an XRechnung without it', async () => {
      const company_ = (t.sandboxes!.vendors.lexoffice.sandbox as any).store.company;
      const iban = company_.iban;
      company_.iban = undefined;
      try {
        const deal = await user.createDeal({
          pipelineId: pipeline.pipelineId,
          stageId: pipeline.openStageId,
          lineItems: lines(),
          company: { ...company, apiup_buyer_reference: '04011000-1234512345-35', apiup_vendor_number_at_customer: '70123456' },
        });
        const preview = await (await t.signedFetch(`/api/v1/deals/${deal.dealId}/invoice/preview`, { locale: 'en' })).json();
        expect(preview.skip).toBeNull();
        expect(preview.notices).toContainEqual(expect.objectContaining({ code: 'einvoice_seller_checked_by_vendor', blocking: false }));
        const before = vendor.documentCount();
        await win(deal.dealId);
        expect(vendor.documentCount()).toBe(before);
        const card = await (await t.signedFetch(`/api/v1/deals/${deal.dealId}/invoice`, { locale: 'en' })).json();
        expect(card.invoice.reason).toMatchObject({ code: 'vendor_failed' });
      } finally {
        company_.iban = iban;
      }
    });

    it('asks for the supplier number Lexware needs with a Leitweg-ID', async () => {
      const deal = await user.createDeal({
        pipelineId: pipeline.pipelineId,
        stageId: pipeline.openStageId,
        lineItems: lines(),
        company: { ...company, apiup_buyer_reference: '04011000-1234512345-35' },
      });
      const preview = await (await t.signedFetch(`/api/v1/deals/${deal.dealId}/invoice/preview`, { locale: 'de' })).json();
      expect(preview.notices.filter((n: { blocking: boolean }) => n.blocking).map((n: { message: string }) => n.message)).toEqual([
        'E-Rechnung: Ihre Lieferantennummer beim Kunden fehlt. Bitte ergänzen in HubSpot am Unternehmen (Eigenschaften der Gruppe „APIUP“ bzw. Adresse); bis dahin wird keine Rechnung erstellt.',
      ]);
    });

    it('makes a ZUGFeRD for a business customer without Leitweg-ID: the XML is inside the PDF', async () => {
      const deal = await user.createDeal({ pipelineId: pipeline.pipelineId, stageId: pipeline.openStageId, lineItems: lines(), company });
      expect((await win(deal.dealId)).lastError).toBeNull();
      const record = (await t.services.invoicing.records.get(t.portalId, deal.dealId))!;
      const stored = (t.sandboxes!.vendors.lexoffice.sandbox as any).store.vouchers.get(record.documentId);
      expect(stored.profile).toBe('EN16931');
      const provider = (await t.services.connections.providerFor(t.portalId))!.provider;
      expect(await provider.eInvoicing!.fetchXml(record.documentId!)).toBeNull();
      expect((await provider.fetchPdf(record.documentId!, 'invoice')).subarray(0, 4).toString()).toBe('%PDF');
      const card = await (await t.signedFetch(`/api/v1/deals/${deal.dealId}/invoice`, { locale: 'de' })).json();
      expect(card.invoice.pdfUrl).toContain('/files/invoices/');
      expect(card.invoice.eInvoiceXmlUrl).toBeNull();
    });
  }

  it('creates the e-invoice with complete data and serves its XML', async () => {
    const deal = await user.createDeal({
      pipelineId: pipeline.pipelineId,
      stageId: pipeline.openStageId,
      lineItems: lines(),
      company: { ...company, apiup_buyer_reference: '991-01234-56', apiup_vendor_number_at_customer: 'L-2027-0815' },
      contact: { firstname: 'Jörg', lastname: 'Hölzl', email: 'einkauf@hoelzl-soehne.example' },
    });
    const preview = await (await t.signedFetch(`/api/v1/deals/${deal.dealId}/invoice/preview`, { locale: 'en' })).json();
    expect(preview.skip).toBeNull();
    expect(preview.notices.filter((n: { blocking: boolean }) => n.blocking)).toEqual([]);
    expect(preview.notices.map((n: { code: string }) => n.code)).toContain('einvoice_planned');

    const job = await win(deal.dealId);
    expect(job.lastError).toBeNull();
    const record = (await t.services.invoicing.records.get(t.portalId, deal.dealId))!;
    expect(record.documentId).toBeTruthy();
    const provider = (await t.services.connections.providerFor(t.portalId))!.provider;
    const xml = await provider.eInvoicing!.fetchXml(record.documentId!);
    expect(xml).toMatch(/^<\?xml/);
    expect(xml).toContain('991-01234-56');
    expect(xml).toContain(company.name.replace('&', '&amp;'));
    // The buyer reference and e-mail went onto the vendor's customer record, where the vendor reads them.
    const customer = await provider.getCustomer(record.customerId!);
    expect(customer?.email).toBe('einkauf@hoelzl-soehne.example');
    if (providerId === 'lexoffice') expect((t.sandboxes!.vendors.lexoffice.sandbox as any).store.vouchers.get(record.documentId).profile).toBe('XRechnung');

    // The deal card offers the XML next to the PDF, through our signed link.
    const card = await (await t.signedFetch(`/api/v1/deals/${deal.dealId}/invoice`, { locale: 'de' })).json();
    expect(card.invoice.eInvoiceXmlUrl).toContain(`/files/invoices/${t.portalId}/${deal.dealId}.xml?`);
    const download = await fetch(card.invoice.eInvoiceXmlUrl);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toMatch(/^application\/xml/);
    expect(download.headers.get('content-disposition')).toBe(`attachment; filename="${record.documentNumber}.xml"`);
    expect(await download.text()).toBe(xml);
    // The PDF link's signature does not open the XML.
    const pdfSignature = new URL(card.invoice.pdfUrl).search;
    expect((await fetch(card.invoice.eInvoiceXmlUrl.replace(/\?.*$/, pdfSignature))).status).toBe(401);
  });
});

describe.each([
  [
    'qonto',
    'einvoice_automatic',
    'The accounting system creates the e-invoice (Factur-X) itself when finalizing, where e-invoicing is enabled in the account.',
  ],
  ['bexio', 'einvoice_not_supported', 'The connected accounting system creates no e-invoices through its API; the invoice is created as an ordinary PDF.'],
] as const)('e-invoice setting with %s', (providerId, code, message) => {
  let t: TestApiup;
  let user: HubspotUser;

  beforeAll(async () => {
    t = await startTestApiup();
    user = new HubspotUser(t.sandboxes!.hubspot, t.sandboxes!.list()[0].url, t.portalId, t.sandboxes!.hubspot.installDemoPortal().accessToken);
    expect(
      (
        await t.signedFetch('/api/v1/settings/connection', {
          method: 'PUT',
          body: { provider: providerId, credentials: vendorProbe(t.sandboxes!, providerId).credentials },
        })
      ).status,
    ).toBe(200);
    await t.signedFetch('/api/v1/settings/packages/business_plus/activate', { method: 'POST' });
  });

  afterAll(async () => {
    await t?.stop();
  });

  it('says what the vendor does instead, without blocking the invoice', async () => {
    const pipeline = await user.createPipeline();
    const deal = await user.createDeal({
      pipelineId: pipeline.pipelineId,
      stageId: pipeline.openStageId,
      lineItems: [{ name: 'Beratung Großküche Süd', quantity: '3', price: '120.00' }],
      company,
    });
    const preview = await (await t.signedFetch(`/api/v1/deals/${deal.dealId}/invoice/preview`, { locale: 'en' })).json();
    expect(preview.notices).toContainEqual({ code, blocking: false, message });
    expect(preview.notices.some((n: { blocking: boolean }) => n.blocking)).toBe(false);
  });
});
